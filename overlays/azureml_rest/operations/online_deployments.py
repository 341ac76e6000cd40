"""Managed online deployments of the current API (2025-12-01): ``ws.online_deployments``.

The code is written once, async, in :mod:`azureml_rest._async.online_deployments`; the sync classes in
:mod:`azureml_rest._sync.online_deployments` are generated from it (``python -m tools.unasync``). Both are
re-exported here.
"""

from __future__ import annotations

from azureml_machinelearning_client.models import OnlineDeployment

from .._async.online_deployments import AsyncOnlineDeploymentOperations
from .._sync.online_deployments import OnlineDeploymentOperations

__all__ = ["AsyncOnlineDeploymentOperations", "OnlineDeployment", "OnlineDeploymentOperations"]
