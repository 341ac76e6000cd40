"""Web services (model management): ``ws.services``.

The code is written once, async, in :mod:`azureml_rest._async.services`; the sync classes in
:mod:`azureml_rest._sync.services` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_modelmanagement_client.models import ServiceResponse

from .._async.services import AsyncServiceOperations
from .._sync.services import ServiceOperations
from ._secrets import AuthKeys, AuthToken

__all__ = ["AsyncServiceOperations", "AuthKeys", "AuthToken", "ServiceOperations", "ServiceResponse"]
