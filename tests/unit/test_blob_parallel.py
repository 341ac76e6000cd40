"""The upload's worker pool (azureml_rest.parallel_work): every job once, at most ``limit`` at a time, the first
failure raised and no new job started after it."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

import anyio
import pytest
from azureml_rest.parallel_work import async_run_parallel, run_parallel


def test_threads_run_every_job_within_the_limit() -> None:
    lock, running, peak, done = threading.Lock(), [0], [0], []
    gate = threading.Barrier(3, timeout=10)

    def job(i: int) -> Callable[[], None]:
        def run() -> None:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            if i < 3:
                gate.wait()  # the first three really overlap
            with lock:
                running[0] -= 1
                done.append(i)
        return run

    run_parallel((job(i) for i in range(20)), 3)
    assert sorted(done) == list(range(20)) and peak[0] == 3


def test_first_failure_is_raised_and_stops_new_jobs() -> None:
    started: list[int] = []

    def job(i: int) -> Callable[[], None]:
        def run() -> None:
            started.append(i)
            if i == 2:
                raise OSError("block 2 failed")
        return run

    with pytest.raises(OSError, match="block 2"):
        run_parallel([job(i) for i in range(50)], 1)
    assert started == [0, 1, 2]


def test_async_workers_bound_concurrency_and_raise() -> None:
    running, peak, done = [0], [0], []

    def job(i: int) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            await anyio.sleep(0)
            running[0] -= 1
            done.append(i)
        return run

    anyio.run(async_run_parallel, [job(i) for i in range(10)], 4)
    assert sorted(done) == list(range(10)) and peak[0] == 4

    async def boom() -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        anyio.run(async_run_parallel, [boom], 2)
