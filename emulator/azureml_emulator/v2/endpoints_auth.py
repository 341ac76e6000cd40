"""Who may score an online endpoint: its keys, its AML tokens, or Microsoft Entra (AAD) tokens, by ``authMode``.

- ``Key``: ``Authorization: Bearer <primaryKey or secondaryKey>``; a regenerated key replaces the old one at once.
- ``AMLToken``: a token from ``POST .../onlineEndpoints/{name}/token`` (``EndpointAuthToken``: ``accessToken``,
  ``tokenType``, ``expiryTimeUtc`` and ``refreshAfterTimeUtc`` in epoch seconds, as Microsoft's example
  OnlineEndpoint/getToken.json shows). The emulator signs it like its other tokens, for an audience no ARM or
  data-plane route accepts, bound to this incarnation of the endpoint (re-creating the endpoint voids it).
- ``AADToken``: a bearer token of the emulator's tenant for ``https://ml.azure.com`` (what azure-ai-ml asks its
  credential for: ``_online_endpoint_operations.py``, ``_get_online_credentials``).

Keys and tokens are compared in constant time and never appear in errors or logs.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from typing import Any

from ..auth import check_bearer
from ..context import Context
from ..signing import TokenError
from .endpoints_records import KEYS_KIND

AML_TOKEN_AUDIENCE = "azureml-emulator:online-endpoint"  # noqa: S105 (an audience, not a secret)
AAD_AUDIENCES = frozenset({"https://ml.azure.com"})


def issue_token(ctx: Context, key: str, uid: str) -> dict[str, Any]:
    """An ``EndpointAuthToken`` for the endpoint stored under ``key`` (valid ``config.token_lifetime``)."""
    now = int(time.time())
    lifetime = max(1, int(ctx.config.token_lifetime))
    claims = {
        "aud": AML_TOKEN_AUDIENCE,
        "iss": f"{ctx.base_url}/online",
        "tid": ctx.config.tenant_id,
        "ep": key.lower(),
        "uid": uid,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
    }
    return {
        "accessToken": ctx.signer.issue(claims),
        "tokenType": "Bearer",
        "expiryTimeUtc": now + lifetime,
        "refreshAfterTimeUtc": now + lifetime // 2,
    }


def _bearer(authorization: str | None) -> str | None:
    scheme, _, credential = (authorization or "").strip().partition(" ")
    credential = credential.strip()
    return credential if scheme.lower() == "bearer" and credential else None


def _same(a: object, b: str) -> bool:
    return isinstance(a, str) and hmac.compare_digest(a.encode(), b.encode())


def check(ctx: Context, key: str, doc: Mapping[str, Any], authorization: str | None) -> str | None:
    """None when ``authorization`` may score the endpoint ``doc`` (stored under ``key``), else why not."""
    mode = str((doc.get("properties") or {}).get("authMode", "Key"))
    credential = _bearer(authorization)
    if credential is None:
        return "Send 'Authorization: Bearer <key or token>'."
    if mode == "Key":
        keys = ctx.store.get(KEYS_KIND, key) or {}
        if _same(keys.get("primaryKey"), credential) or _same(keys.get("secondaryKey"), credential):
            return None
        return "The key is not a key of this endpoint."
    if mode == "AADToken":
        try:
            check_bearer(ctx, f"Bearer {credential}", AAD_AUDIENCES)
        except TokenError as err:
            return err.description
        return None
    try:
        claims = ctx.signer.verify(credential)
    except TokenError as err:
        return err.description
    keys = ctx.store.get(KEYS_KIND, key) or {}
    if (
        claims.get("aud") != AML_TOKEN_AUDIENCE
        or claims.get("ep") != key.lower()
        or claims.get("uid") != keys.get("uid")
    ):
        return "The token was not issued for this endpoint."
    return None
