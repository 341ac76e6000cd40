"""Experiments (run history): ``ws.v1.experiments``.

The code is written once, async, in :mod:`azureml_rest._async.experiments`; the sync classes in
:mod:`azureml_rest._sync.experiments` are generated from it
(``python -m tools.unasync``). Both are re-exported here.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: a job's ``experiment_name`` (``ws.jobs``).
"""

from __future__ import annotations

from azureml_history_client.models import Experiment

from .._async.experiments import AsyncExperimentOperations
from .._sync.experiments import ExperimentOperations

__all__ = ["AsyncExperimentOperations", "Experiment", "ExperimentOperations"]
