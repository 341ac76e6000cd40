"""One row of the final table, and the table itself."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """A measured figure next to its reference.

    ``ratio`` is ``ours / reference`` unless the benchmark sets it (throughput rows invert nothing: a
    throughput ratio >= goal passes). ``passed`` is None for figures reported without a goal.
    """

    name: str
    ours: float
    reference: float | None
    unit: str
    goal: str = "-"
    passed: bool | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.ratio is None and self.reference not in (None, 0) and not math.isnan(self.ours):
            assert self.reference is not None
            self.ratio = self.ours / self.reference

    @property
    def verdict(self) -> str:
        return "info" if self.passed is None else ("PASS" if self.passed else "MISS")

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["verdict"] = self.verdict
        return d


def skipped(name: str, why: str) -> Result:
    """A row for a figure that could not be measured here (missing reference package, quick mode)."""
    return Result(name, math.nan, None, "", goal="-", passed=None, note=f"skipped: {why}")


def fmt(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit in ("req/s", "items/s"):
        return f"{value:,.0f} {unit}"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:.4g} {unit}".strip()


def ratio_text(ratio: float) -> str:
    """Three significant figures (``0.0964x``, ``1.06x``): two decimals showed 0.105 against a 0.10 goal as
    ``0.10x``, a pass to the eye where the row said MISS."""
    return f"{ratio:#.3g}x"


def table(results: Sequence[Result]) -> str:
    """A plain-text table: name, ours, reference, ratio, goal, verdict (and the note under the table)."""
    header = ("benchmark", "ours", "reference", "ratio", "goal", "result")
    rows = [
        (
            r.name,
            fmt(r.ours, r.unit),
            fmt(r.reference, r.unit),
            "-" if r.ratio is None or math.isnan(r.ratio) else ratio_text(r.ratio),
            r.goal,
            r.verdict,
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)
