"""Runs: submit a project, wait for it (with its driver log), cancel, list, children, artifacts.

``ws.v1.runs`` is a :class:`RunOperations` (or :class:`AsyncRunOperations` on an async workspace). The rooms:

- :mod:`azureml_rest.operations.runs`: the operation classes (reading runs, artifacts, cancel; code in
  ``_async/runs.py``, sync twin generated);
- :mod:`azureml_rest.run_submission`: run ids, the definition, the multipart body, the upload file (the
  request: ``_async/run_submission.py``); the zip is :mod:`azureml_rest.snapshot`;
- :mod:`azureml_rest.run_waiting`: polling defaults, statuses, the wait clock and the driver-log follower (the
  loop: ``_async/run_waiting.py``).

This module keeps the public names in one place for ``from azureml_rest.runs import ...``.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs``.
"""

from __future__ import annotations

from .errors import RunFailedError
from .operations.runs import AsyncRunOperations, RunOperations
from .run_submission import RUN_ID_RE, new_run_id, progress_printer
from .run_waiting import (
    DEFAULT_MAX_POLL_INTERVAL,
    DEFAULT_POLL_BACKOFF,
    DEFAULT_POLL_INTERVAL,
    DRIVER_LOG,
    FAILED_STATUSES,
    QUEUE_STATUSES,
    TERMINAL_STATUSES,
    LogSink,
    pick_driver_log,
    run_status,
)

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_BACKOFF",
    "DEFAULT_POLL_INTERVAL",
    "DRIVER_LOG",
    "FAILED_STATUSES",
    "QUEUE_STATUSES",
    "RUN_ID_RE",
    "TERMINAL_STATUSES",
    "AsyncRunOperations",
    "LogSink",
    "RunFailedError",
    "RunOperations",
    "new_run_id",
    "pick_driver_log",
    "progress_printer",
    "run_status",
]
