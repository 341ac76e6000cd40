"""Experiments (run history): ``ws.experiments``.

The code is written once, async, in :mod:`azureml_rest._async.experiments`; the sync classes in
:mod:`azureml_rest._sync.experiments` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_history_client.models import Experiment

from .._async.experiments import AsyncExperimentOperations
from .._sync.experiments import ExperimentOperations

__all__ = ["AsyncExperimentOperations", "Experiment", "ExperimentOperations"]
