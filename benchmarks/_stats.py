"""Small statistics helpers (medians, percentiles) and the interleaved timing loop."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def interleaved(
    fns: Mapping[str, Callable[[], object]], rounds: int, warmup: int = 20
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Call every function once per round, the order rotated each round.

    Returns (wall seconds, this thread's CPU seconds) per call, per name. Rotation spreads slow phases of the
    machine (other processes, GC) evenly over the contenders; CPU time leaves out the wait for the server.
    """
    names = list(fns)
    for _ in range(warmup):
        for n in names:
            fns[n]()
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    clock, cpu_clock = time.perf_counter, time.thread_time
    for i in range(rounds):
        k = i % len(names)
        for n in names[k:] + names[:k]:
            fn = fns[n]
            c0 = cpu_clock()
            t0 = clock()
            fn()
            t1 = clock()
            cpu[n].append(cpu_clock() - c0)
            wall[n].append(t1 - t0)
    return wall, cpu


def paired_ratio(ours: list[float], ref: list[float]) -> float:
    """Median of the per-round ratios (each round's two calls ran back to back)."""
    return median([a / b for a, b in zip(ours, ref, strict=True) if b > 0])
