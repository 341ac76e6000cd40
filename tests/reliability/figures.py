"""Figures the reliability and security tests measure (faults injected, hostile cases, leaks, lost writes).

One :class:`Figures` per session (fixture ``figures`` in tests/reliability/conftest.py); at the end it is
written to ``<pytest basetemp>/reliability-figures.json`` and printed in the terminal summary, with or
without ``-s``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

__all__ = ["FIGURES", "Figures", "terminal_summary"]


class Figures:
    """A thread-safe bag of named figures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.data: dict[str, Any] = {}

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self.data[key] = value

    def record(self, section: str, key: str, value: Any) -> None:
        """``data[section][key] = value``, keeping ``data[section + "_tried"]`` = the number of keys."""
        with self._lock:
            part = self.data.setdefault(section, {})
            part[key] = value
            self.data[section + "_tried"] = len(part)

    def add_hostile(self, case: str, outcome: str, leaks: int) -> None:
        """One hostile-server case and how the client ended (exception type or ``tolerant result``)."""
        with self._lock:
            cases = self.data.setdefault("hostile_server_cases", {})
            cases[case] = outcome
            self.data["hostile_server_cases_tried"] = len(cases)
            self.data["authorization_headers_at_foreign_hosts"] = (
                self.data.get("authorization_headers_at_foreign_hosts", 0) + leaks)

    def write(self, path: Path) -> None:
        with self._lock:
            path.write_text(json.dumps(self.data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def lines(self) -> list[str]:
        with self._lock:
            out = []
            for key in sorted(self.data):
                v = self.data[key]
                if isinstance(v, dict):
                    out.append(f"{key}: {len(v)} entries")
                else:
                    out.append(f"{key}: {v}")
            return out


FIGURES = Figures()
_printed: list[bool] = []


def terminal_summary(reporter: Any, config: Any) -> None:
    """Write the figures JSON under pytest's basetemp and print them (once, whichever conftest calls first)."""
    if not FIGURES.data or _printed:
        return
    _printed.append(True)
    path = Path(config._tmp_path_factory.getbasetemp()) / "reliability-figures.json"
    FIGURES.write(path)
    reporter.section("reliability figures")
    for line in FIGURES.lines():
        reporter.write_line(line)
    reporter.write_line(f"(written to {path})")
