"""Progress lines on stderr (uploads, run status changes, long-running operations), so stdout stays clean JSON."""

from __future__ import annotations

import time
from typing import Any, TextIO

__all__ = ["Progress", "human_bytes"]


def human_bytes(n: float) -> str:
    """``512 B``, ``1.5 KiB``, ``3.0 MiB``, ``1.2 GiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


class Progress:
    """Progress lines on ``err``: uploads, run status changes, long-running operations.

    ``interval`` (default 2 s) spaces upload lines; a poller's status is re-printed unchanged every
    ``10 * interval`` as a heartbeat. ``prefix`` starts every line.
    """

    def __init__(self, err: TextIO, *, interval: float = 2.0, prefix: str = "") -> None:
        self.err = err
        self.interval = interval
        self.prefix = prefix
        self._last_upload = 0.0
        self._upload_start: float | None = None

    def line(self, text: str) -> None:
        self.err.write(self.prefix + text + "\n")
        self.err.flush()

    def upload(self, sent: int, total: int | None) -> None:
        """``on_progress`` callback of run submission: a line at most every ``interval`` s, and at the end."""
        now = time.monotonic()
        if self._upload_start is None:
            self._upload_start = now
        done = total is not None and sent >= total
        if not done and now - self._last_upload < self.interval:
            return
        self._last_upload = now
        elapsed = max(now - self._upload_start, 1e-6)
        of = f" of {human_bytes(total)}" if total else ""
        self.line(f"upload: {human_bytes(sent)}{of} ({human_bytes(sent / elapsed)}/s, {elapsed:.1f} s)")

    def run_status(self, status: str, elapsed: float) -> None:
        """``on_status`` callback of run waits."""
        self.line(f"run: {status} ({elapsed:.1f} s)")

    def job_status(self, status: str, elapsed: float) -> None:
        """``on_status`` callback of v2 job waits (``JobOperations.wait``)."""
        self.line(f"job: {status} ({elapsed:.1f} s)")

    def job_upload(self, sent: int, total: int) -> None:
        """``on_progress`` callback of ``JobOperations.submit`` (one ``(0, total)`` .. ``(total, total)`` sequence
        per upload): the first line of each upload, then as :meth:`upload`."""
        if sent == 0:
            self._upload_start, self._last_upload = None, 0.0
        self.upload(sent, total)

    def wait_poller(self, poller: Any, label: str, timeout: float | None = None) -> Any:
        """``poller.result(timeout)`` while a ticker thread prints status changes (and a heartbeat).

        The poller keeps its own cadence (server ``Retry-After`` hints); the ticker only reads ``status()``.
        """
        from azureml_rest.lro import result_with_status

        return result_with_status(poller, lambda status, seconds: self.line(f"{label}: {status} ({seconds:.1f} s)"),
                                  timeout, heartbeat=10 * self.interval)
