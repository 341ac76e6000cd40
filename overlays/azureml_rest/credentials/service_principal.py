"""Service-principal (client secret) credentials, sync and async, for the v1 and v2 token endpoints (one source,
``_async/credential.py``; the sync class is produced from it by ``python -m tools.unasync``)."""

from __future__ import annotations

from .._async.credential import AsyncServicePrincipalCredential
from .._sync.credential import ServicePrincipalCredential

__all__ = ["AsyncServicePrincipalCredential", "ServicePrincipalCredential"]
