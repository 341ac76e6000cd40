"""Counting the bytes an upload has stored, for ``on_progress`` callbacks; no I/O.

Uploads store blocks and files from several workers at once (threads in the sync twins, tasks in the async
ones: :mod:`azureml_rest.parallel_work`). These counters add what each worker reports under one lock and call
the callback while holding it, so whatever the workers do, the callback sees one call at a time and values
that only grow.

- :class:`BlockCounter`: the bytes of ONE file stored so far, block by block (what
  ``BlobContainerClient.upload_file(on_progress=f)`` calls ``f(stored)`` with).
- :class:`UploadProgress`: the bytes of a whole upload (a code folder, a local input, a model): ``(0, total)``
  from :meth:`~UploadProgress.start`, then each growth reported by the files' :meth:`~UploadProgress.file`
  callbacks, and ``(total, total)`` from :meth:`~UploadProgress.finish` if it was not reported already.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["BlockCounter", "UploadProgress"]


class BlockCounter:
    """The bytes of one file stored so far: :meth:`add` after each acknowledged block calls ``on_progress(stored)``
    (growing, one call at a time). A block sent again by the transport's retries is acknowledged once, so it is
    counted once."""

    def __init__(self, on_progress: Callable[[int], object] | None) -> None:
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self.stored = 0

    def add(self, length: int) -> None:
        with self._lock:
            self.stored += length
            if self._on_progress is not None:
                self._on_progress(self.stored)


class UploadProgress:
    """``on_progress(sent, total)`` over an upload of ``total`` bytes made of files reported separately.

    ``sent`` never exceeds ``total`` (a file that grew after it was listed is capped) and never goes back; a
    report is made only when ``sent`` grows, after the opening ``(0, total)``.
    """

    def __init__(self, total: int, on_progress: Callable[[int, int], object] | None) -> None:
        self.total = total
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._sent = 0
        self._reported = -1

    def start(self) -> None:
        """Report ``(0, total)``."""
        with self._lock:
            self._report()

    def file(self) -> Callable[[int], None]:
        """A callback for one file's ``on_progress(stored)``: adds what it stored since its previous call (a
        value that does not grow adds nothing)."""
        last = [0]

        def stored(n: int) -> None:
            with self._lock:
                if n > last[0]:
                    self._sent += n - last[0]
                    last[0] = n
                    self._report()

        return stored

    def finish(self) -> None:
        """Report ``(total, total)`` unless that was the last report (a file that shrank after it was listed
        would otherwise leave the upload short of its total)."""
        with self._lock:
            self._sent = max(self._sent, self.total)
            self._report()

    def _report(self) -> None:
        value = min(self._sent, self.total)
        if value > self._reported:
            self._reported = value
            if self._on_progress is not None:
                self._on_progress(value, self.total)
