"""Environment versions of the current API (2025-12-01): ``ws.environments``.

The code is written once, async, in :mod:`azureml_rest._async.environments`; the sync classes in
:mod:`azureml_rest._sync.environments` are generated from it (``python -m tools.unasync``). Both are re-exported
here.
"""

from __future__ import annotations

from azureml_machinelearning_client.models import EnvironmentContainer, EnvironmentVersion

from .._async.environments import AsyncEnvironmentOperations
from .._sync.environments import EnvironmentOperations

__all__ = ["AsyncEnvironmentOperations", "EnvironmentContainer", "EnvironmentOperations", "EnvironmentVersion"]
