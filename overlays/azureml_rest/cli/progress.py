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

    An upload gets a line at its start, at most every ``interval`` s (default 2 s), each time another
    ``1/marks`` of its total is done (default ``marks=10``: every tenth, so even a fast multi-block upload
    shows it moving) and at its end. A poller's status is re-printed unchanged every ``10 * interval`` as a
    heartbeat. ``prefix`` starts every line.
    """

    def __init__(self, err: TextIO, *, interval: float = 2.0, prefix: str = "", marks: int = 10) -> None:
        self.err = err
        self.interval = interval
        self.prefix = prefix
        self.marks = marks
        self._last_upload = 0.0
        self._upload_start: float | None = None
        self._upload_mark = -1

    def line(self, text: str) -> None:
        self.err.write(self.prefix + text + "\n")
        self.err.flush()

    def upload(self, sent: int, total: int | None) -> None:
        """``on_progress`` callback of run submission: a line at most every ``interval`` s, at each further
        ``1/marks`` of ``total`` (when known), and at the end."""
        now = time.monotonic()
        first = self._upload_start is None
        if self._upload_start is None:
            self._upload_start = now
        done = total is not None and sent >= total
        mark = sent * self.marks // total if total and self.marks > 0 else -1
        if not (first or done or mark > self._upload_mark or now - self._last_upload >= self.interval):
            return
        self._last_upload, self._upload_mark = now, max(mark, self._upload_mark)
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
        """``on_progress`` callback of ``JobOperations.submit`` and ``ModelVersionOperations.create`` (one ``(0,
        total)`` .. ``(total, total)`` sequence per upload, growing block by block): the first line of each
        upload, then as :meth:`upload`."""
        if sent == 0:
            self._upload_start, self._last_upload, self._upload_mark = None, 0.0, -1
        self.upload(sent, total)

    def wait_poller(self, poller: Any, label: str, timeout: float | None = None) -> Any:
        """``poller.result(timeout)`` while a ticker thread prints status changes (and a heartbeat).

        The poller keeps its own cadence (server ``Retry-After`` hints); the ticker only reads ``status()``.
        """
        from azureml_rest.lro import result_with_status

        return result_with_status(poller, lambda status, seconds: self.line(f"{label}: {status} ({seconds:.1f} s)"),
                                  timeout, heartbeat=10 * self.interval)
