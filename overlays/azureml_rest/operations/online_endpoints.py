"""Managed online endpoints of the current API (2025-12-01): ``ws.online_endpoints``, and their scoring clients.

The code is written once, async, in :mod:`azureml_rest._async.online_endpoints` and
:mod:`azureml_rest._async.online_scoring`; the sync classes in :mod:`azureml_rest._sync` are generated from them
(``python -m tools.unasync``). Both are re-exported here. Where a key or token may be sent:
:func:`check_scoring_target`.
"""

from __future__ import annotations

from azureml_machinelearning_client.models import OnlineEndpoint

from .._async.online_endpoints import AsyncOnlineEndpointOperations
from .._async.online_scoring import DEPLOYMENT_HEADER, AsyncOnlineScoringClient
from .._sync.online_endpoints import OnlineEndpointOperations
from .._sync.online_scoring import OnlineScoringClient
from ._secrets import AuthKeys, AuthToken
from ._v2 import check_scoring_target

__all__ = [
    "DEPLOYMENT_HEADER",
    "AsyncOnlineEndpointOperations",
    "AsyncOnlineScoringClient",
    "AuthKeys",
    "AuthToken",
    "OnlineEndpoint",
    "OnlineEndpointOperations",
    "OnlineScoringClient",
    "check_scoring_target",
]
