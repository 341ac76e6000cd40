"""Run many small jobs (block uploads, file downloads) with at most ``limit`` at a time, sync and async.

Written twice, as ``run_parallel`` / ``async_run_parallel``, because threads and tasks differ by more than
``await``; ``python -m tools.unasync`` turns ``async_run_parallel`` into ``run_parallel`` in the sync twins.
``limit`` workers pull the next job from one shared iterator, so jobs are started in order and only ``limit``
are ever in flight (what bounds memory during an upload: one block per worker). The first failure stops the
workers from taking new jobs and is raised once every running job has ended.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["async_run_parallel", "run_parallel"]


def run_parallel(jobs: Iterable[Callable[[], object]], limit: int) -> None:
    """Call every job in up to ``limit`` threads; re-raise the first exception."""
    it, lock = iter(jobs), threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        while True:
            with lock:
                if failures:
                    return
                job = next(it, None)
            if job is None:
                return
            try:
                job()
            except BaseException as exc:  # handed to the caller below
                with lock:
                    failures.append(exc)
                return

    workers = max(1, limit)
    if workers == 1:
        worker()
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(worker) for _ in range(workers)]:
                f.result()
    if failures:
        raise failures[0]


async def async_run_parallel(jobs: Iterable[Callable[[], Awaitable[object]]], limit: int) -> None:
    """Await every job in up to ``limit`` tasks; re-raise the first exception."""
    import anyio

    it = iter(jobs)
    failures: list[BaseException] = []

    async def worker() -> None:
        while not failures:
            job = next(it, None)
            if job is None:
                return
            try:
                await job()
            except Exception as exc:  # handed to the caller below
                failures.append(exc)
                return

    async with anyio.create_task_group() as tg:
        for _ in range(max(1, limit)):
            tg.start_soon(worker)
    if failures:
        raise failures[0]
