"""Runs of a workspace: ``ws.v1.runs`` (submit, wait, cancel, list, children, artifacts, download).

The code is written once, async, in :mod:`azureml_rest._async.runs` (with :mod:`~azureml_rest._async.run_submission`
and :mod:`~azureml_rest._async.run_waiting`); the sync classes in :mod:`azureml_rest._sync` are generated from it
(``python -m tools.unasync``). Both are re-exported here and from :mod:`azureml_rest.runs`.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs``.
"""

from __future__ import annotations

from .._async.runs import AsyncRunOperations
from .._sync.runs import RunOperations

__all__ = ["AsyncRunOperations", "RunOperations"]
