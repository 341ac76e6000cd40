"""The opt-in secret scan wired into tests/conftest.py (``AZUREML_REST_SECRET_SCAN=1``).

Every test then runs with the root logger at DEBUG and all records captured; at session end the captured text is
scanned for the emulator's development secret and JWT-shaped strings (access tokens). Leaks fail the session and
are listed in the JSON report named by ``AZUREML_REST_SECRET_SCAN_REPORT`` (default
``<basetemp>/secret-scan.json``). tests/security/test_suite_secret_scan.py runs part of the suite this way.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator

import pytest

__all__ = ["JWT_RE", "SECRET", "_secret_scan", "pytest_sessionfinish"]

SCAN_ON = os.environ.get("AZUREML_REST_SECRET_SCAN") == "1"
SECRET = "emulator-dev-secret"
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


class ScanHandler(logging.Handler):
    """Scans the formatted text (message, args, exception) of every record; remembers what leaked where."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.records = 0
        self.chars = 0
        self.leaks: list[dict[str, str]] = []
        self.test = ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a broken record must not hide the others
            text = str(record.msg)
        self.records += 1
        self.chars += len(text)
        found = [m.group(0)[:12] + "..." for m in JWT_RE.finditer(text)]
        if SECRET in text:
            found.append("client secret")
        for what in found:
            self.leaks.append({"test": self.test, "logger": record.name, "what": what})


HANDLER = ScanHandler()


@pytest.fixture(autouse=True)
def _secret_scan(request: pytest.FixtureRequest) -> Iterator[None]:
    if not SCAN_ON:
        yield
        return
    root = logging.getLogger()
    old_level = root.level
    HANDLER.test = request.node.nodeid
    root.addHandler(HANDLER)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(HANDLER)
        root.setLevel(old_level)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not SCAN_ON:
        return
    report = {"records": HANDLER.records, "chars": HANDLER.chars, "leaks": HANDLER.leaks}
    target = os.environ.get("AZUREML_REST_SECRET_SCAN_REPORT")
    base = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]  # pytest's tmp factory
    path = target or str(base / "secret-scan.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
    if HANDLER.leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
