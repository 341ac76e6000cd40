"""Web services (model management): ``ws.v1.services``.

The code is written once, async, in :mod:`azureml_rest._async.services`; the sync classes in
:mod:`azureml_rest._sync.services` are generated from it
(``python -m tools.unasync``). Both are re-exported here.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints`` and ``ws.online_deployments``.
"""

from __future__ import annotations

from azureml_modelmanagement_client.models import ServiceResponse

from .._async.services import AsyncServiceOperations
from .._sync.services import ServiceOperations
from ._secrets import AuthKeys, AuthToken

__all__ = ["AsyncServiceOperations", "AuthKeys", "AuthToken", "ServiceOperations", "ServiceResponse"]
