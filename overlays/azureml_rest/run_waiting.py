"""Waiting for a run, the I/O-free part: polling defaults, statuses, the wait clock and the driver-log follower.

The loops that poll and read the log are :mod:`azureml_rest._async.run_waiting` and its generated sync twin;
everything they decide is decided here (as :mod:`azureml_rest.lro`'s engine does for pollers).

``Runs_Get`` is polled every ``poll_interval`` (default 1 s), the interval growing by ``poll_backoff`` (default
x1.5) up to ``max_poll_interval`` (default 10 s) and starting over at each status change, until the run is
Completed, Failed or Canceled. Unknown statuses are waited through. ``timeout`` counts only from the moment the
run leaves the queue (:class:`WaitClock`). The driver log is read from its pre-authorized URL with ``Range``
from the last byte passed on (CONTRIBUTING.md, "Run logs").

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs.wait(...)``.
"""

from __future__ import annotations

import codecs
import fnmatch
import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TextIO

import httpx
from azureml_history_client.models.run import Run
from azureml_history_client.models.run_details import RunDetails
from azureml_history_client.types import Unset

from ._logging import get_logger

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_BACKOFF",
    "DEFAULT_POLL_INTERVAL",
    "DRIVER_LOG",
    "FAILED_STATUSES",
    "QUEUE_STATUSES",
    "TERMINAL_STATUSES",
    "LogFollower",
    "LogSink",
    "WaitClock",
    "pick_driver_log",
    "run_status",
]

_log = get_logger("runs")

#: First wait between two polls of a run, in seconds.
DEFAULT_POLL_INTERVAL = 1.0
#: Each wait is the previous one times this, up to DEFAULT_MAX_POLL_INTERVAL; it starts over on a status change.
DEFAULT_POLL_BACKOFF = 1.5
#: Longest wait between two polls, in seconds.
DEFAULT_MAX_POLL_INTERVAL = 10.0

#: A run in one of these will not change again (specs/history.yaml, ``Run.status``).
TERMINAL_STATUSES = frozenset({"Completed", "Failed", "Canceled"})
#: Terminal statuses that ``wait`` raises RunFailedError for.
FAILED_STATUSES = frozenset({"Failed", "Canceled"})
#: Before user code runs: accepted, getting a node ready, or waiting for one. Time here is not timed.
QUEUE_STATUSES = frozenset({"NotStarted", "Starting", "Provisioning", "Preparing", "Queued"})
#: The driver log's name in ``RunDetails.logFiles`` (CONTRIBUTING.md "Run logs").
DRIVER_LOG = "azureml-logs/70_driver_log.txt"

#: A log sink: a callable receiving text chunks, or a text stream (``sys.stdout``, ``io.StringIO``).
LogSink = Callable[[str], object] | TextIO


def _value(v: Any) -> Any:
    return None if isinstance(v, Unset) else v


def run_status(run: Run | RunDetails) -> str:
    """The run's status as a plain string (``"Unknown"`` when the service sent none)."""
    status = _value(run.status)
    return str(status) if status else "Unknown"


def pick_driver_log(names: Sequence[str]) -> str | None:
    """``azureml-logs/70_driver_log.txt`` if present, else the first name matching ``*driver*log*``."""
    if DRIVER_LOG in names:
        return DRIVER_LOG
    matches = sorted(n for n in names if fnmatch.fnmatch(n.lower(), "*driver*log*"))
    return matches[0] if matches else None


def log_files(details: RunDetails) -> dict[str, str]:
    """``RunDetails.logFiles`` as ``{name: url}`` (empty when the service listed none yet)."""
    files = _value(details.log_files)
    if files is None:
        return {}
    return {str(k): str(v) for k, v in files.additional_properties.items() if v}


def seconds(value: float | timedelta | None) -> float | None:
    """Seconds from a number or a ``timedelta`` (None stays None)."""
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class WaitClock:
    """Status changes, backoff and the timeout of one wait.

    The timeout clock starts when the run leaves the queue: at the first status seen outside
    :data:`QUEUE_STATUSES`, or at the first status other than Queued seen after Queued (the emulator prepares
    after queueing, the service before). Time spent waiting for a node never counts.
    """

    def __init__(self, timeout: float | None, interval: float, backoff: float, max_interval: float) -> None:
        if interval <= 0 or backoff < 1 or max_interval < interval:
            raise ValueError("need poll_interval > 0, poll_backoff >= 1 and max_poll_interval >= poll_interval")
        self.timeout = timeout
        self.begin = time.monotonic()
        self.started_at: float | None = None
        self.last: str | None = None
        self.seen_queued = False
        self._first = interval
        self._interval = interval
        self._backoff = backoff
        self._max = max_interval

    def observe(self, status: str, now: float) -> bool:
        """Record a status; True when it differs from the previous one."""
        changed = status != self.last
        self.last = status
        if status == "Queued":
            self.seen_queued = True
        if self.started_at is None and (status not in QUEUE_STATUSES or (self.seen_queued and status != "Queued")):
            self.started_at = now
        if changed:
            self._interval = self._first
        return changed

    def elapsed(self, now: float) -> float:
        return now - self.begin

    def remaining(self, now: float) -> float | None:
        """Seconds left before the timeout (None = no timeout or the clock has not started)."""
        if self.timeout is None or self.started_at is None:
            return None
        return self.timeout - (now - self.started_at)

    def next_delay(self, now: float) -> float:
        delay = self._interval
        self._interval = min(self._interval * self._backoff, self._max)
        left = self.remaining(now)
        if left is not None:
            delay = min(delay, max(left, 0.0) + 0.01)
        return delay


class LogFollower:
    """Where the driver log is and how much of it has been passed on; decodes UTF-8 across chunk edges."""

    def __init__(self, sink: LogSink) -> None:
        write = getattr(sink, "write", None)
        self._write: Callable[[str], object] = write if callable(write) else sink  # type: ignore[assignment]
        self._flush: Callable[[], object] | None = getattr(sink, "flush", None)
        self.url: str | None = None
        self.name: str | None = None
        self.offset = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def choose(self, files: Mapping[str, str]) -> None:
        # Keep following the log already started (its URL may have been renewed); else pick one.
        name = self.name if self.name is not None and self.name in files else pick_driver_log(list(files))
        if name is None or (self.name is not None and name != self.name):
            return
        self.name, self.url = name, files[name]

    def range_headers(self) -> dict[str, str]:
        """``Range: bytes={offset}-`` once something was passed on."""
        return {"Range": f"bytes={self.offset}-"} if self.offset else {}

    def skip_for(self, response: httpx.Response) -> int | None:
        """Bytes of ``response`` to drop (already emitted), or None to ignore the answer."""
        if response.status_code == 206:
            match = re.match(r"bytes (\d+)-", response.headers.get("content-range", ""))
            start = int(match.group(1)) if match else self.offset
            return max(self.offset - start, 0)
        if response.status_code == 200:  # the server ignored Range: drop what was already passed on
            return self.offset
        return None

    def note_status(self, status: int) -> None:
        """An answer :meth:`skip_for` ignored: 416 = nothing new yet; 403/404 (an expired pre-authorized URL, or a
        log not written yet) = look the URL up again at the next poll."""
        if status == 416:
            return
        _log.info("driver log answered %d; looking its URL up again", status)
        self.url = None

    def emit_after(self, chunk: bytes, skip: int) -> int:
        """Pass ``chunk`` on minus its first ``skip`` bytes; returns what is left to skip."""
        if skip >= len(chunk):
            return skip - len(chunk)
        self.emit(chunk[skip:])
        return 0

    def emit(self, data: bytes) -> None:
        self.offset += len(data)
        text = self._decoder.decode(data)
        if text:
            self._write(text)

    def finish(self) -> None:
        text = self._decoder.decode(b"", final=True)
        if text:
            self._write(text)
        if callable(self._flush):
            self._flush()
