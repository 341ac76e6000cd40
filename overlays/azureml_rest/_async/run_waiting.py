"""Waiting for a run and following its driver log: the polling loop around :mod:`azureml_rest.run_waiting`.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs.wait(...)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

import httpx
from azureml_history_client.models.run import Run
from azureml_history_client.models.run_details import RunDetails

from .._logging import get_logger
from ..errors import OperationTimeoutError, RunFailedError
from ..operations._common import asleep
from ..run_waiting import (
    FAILED_STATUSES,
    TERMINAL_STATUSES,
    LogFollower,
    LogSink,
    WaitClock,
    log_files,
    run_status,
    seconds,
)

__all__ = ["RunReader", "wait_for_run"]

_log = get_logger("runs")


class RunReader(Protocol):
    """What the loop reads a run with (the run operations)."""

    async def get(self, experiment: str, run_id: str) -> Run: ...

    async def details(self, experiment: str, run_id: str) -> RunDetails: ...


async def wait_for_run(
    runs: RunReader,
    content: Callable[[], httpx.AsyncClient],
    experiment: str,
    run_id: str,
    *,
    timeout: float | timedelta | None,
    poll_interval: float,
    max_poll_interval: float,
    poll_backoff: float,
    on_status: Callable[[str, float], object] | None,
    log_sink: LogSink | None,
    raise_on_failure: bool,
) -> Run:
    """The loop of ``RunOperations.wait`` (its docstring holds the contract); ``content()`` gives the httpx
    client without Authorization that reads the pre-authorized log URL."""
    clock = WaitClock(seconds(timeout), poll_interval, poll_backoff, max_poll_interval)
    follower = LogFollower(log_sink) if log_sink is not None else None
    while True:
        run = await runs.get(experiment, run_id)
        status = run_status(run)
        now = time.monotonic()
        if clock.observe(status, now) and on_status is not None:
            on_status(status, clock.elapsed(now))
        if follower is not None:
            await _pump_log(runs, content, experiment, run_id, follower)
        if status in TERMINAL_STATUSES:
            if follower is not None:
                if follower.url is None:  # a run that ended before its log was listed
                    await _pump_log(runs, content, experiment, run_id, follower)
                follower.finish()
            break
        left = clock.remaining(time.monotonic())
        if left is not None and left <= 0:
            if follower is not None:
                follower.finish()
            raise OperationTimeoutError(f"run {run_id} (experiment {experiment})", clock.timeout or 0.0, status)
        await asleep(clock.next_delay(time.monotonic()))
    if raise_on_failure and status in FAILED_STATUSES:
        raise RunFailedError(experiment, run_id, status, run)
    return run


async def _pump_log(runs: RunReader, content: Callable[[], Any], experiment: str, run_id: str,
                    follower: LogFollower) -> None:
    """Pass on what the driver log gained since the last poll (a failed read is tried again next poll)."""
    if follower.url is None:
        follower.choose(log_files(await runs.details(experiment, run_id)))
        if follower.url is None:
            return
    try:
        async with content().stream("GET", follower.url, headers=follower.range_headers()) as r:
            skip = follower.skip_for(r)
            if skip is None:
                follower.note_status(r.status_code)
                return
            async for chunk in r.aiter_bytes():
                skip = follower.emit_after(chunk, skip)
    except httpx.TransportError as exc:  # the wait matters more than the log: try again next poll
        _log.warning("reading the driver log of run %s failed (%s); will retry", run_id, type(exc).__name__)
