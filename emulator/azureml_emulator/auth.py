"""Bearer-token checks for ARM and data-plane requests.

ARM accepts tokens for ``https://management.azure.com/`` and ``https://management.core.windows.net/``
(with or without the trailing slash); the data plane also accepts ``https://ml.azure.com``. Both also accept the
emulator's own base URL: a client configured with the emulator as its custom cloud's resource manager asks for
``{resource_manager}/.default`` (azure-ai-ml's ``_ml_client.py``: ``credential_scopes = [base_url + "/.default"]``),
as ARM accepts tokens for its own endpoint.
"""

from __future__ import annotations

from typing import Any

from .context import Context
from .signing import TokenError

ARM_AUDIENCES = frozenset({"https://management.azure.com", "https://management.core.windows.net"})
DATAPLANE_AUDIENCES = ARM_AUDIENCES | {"https://ml.azure.com"}


def audience_of(resource_or_scope: str) -> str:
    """The ``aud`` claim for a v1 resource or a v2 scope (``<resource>/.default`` form)."""
    aud = resource_or_scope.strip()
    if aud.endswith("/.default"):
        aud = aud[: -len("/.default")]
    return aud


def _canonical_audience(aud: str) -> str:
    return audience_of(aud).rstrip("/").lower()


def check_bearer(
    ctx: Context, authorization: str | None, accepted: frozenset[str], *, hint: str = ""
) -> dict[str, Any]:
    """The claims of the request's bearer token; raises :class:`TokenError` with an ARM-style code."""
    if not authorization:
        raise TokenError(
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing." + hint,
        )
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError(
            "InvalidAuthenticationToken",
            "Authentication failed. The 'Authorization' header is not of the form 'Bearer <token>'.",
        )
    claims = ctx.signer.verify(token.strip())
    if str(claims.get("tid", "")).lower() != ctx.config.tenant_id.lower():
        raise TokenError(
            "InvalidAuthenticationTokenTenant",
            "The access token is from the wrong issuer. It must match the tenant of this emulator.",
        )
    aud = claims.get("aud")
    own = _canonical_audience(ctx.base_url) if ctx.base_url else None
    if not isinstance(aud, str) or (_canonical_audience(aud) not in accepted and _canonical_audience(aud) != own):
        raise TokenError(
            "InvalidAuthenticationTokenAudience",
            f"The access token has been obtained for the wrong audience or resource '{aud}'. It should "
            f"exactly match one of the allowed audiences {sorted(a + '/' for a in accepted)}.",
        )
    return claims


def www_authenticate(ctx: Context, description: str) -> str:
    """The ``WWW-Authenticate`` challenge ARM sends with a 401."""
    desc = description.replace('"', "'")
    return (
        f'Bearer authorization_uri="{ctx.base_url}/{ctx.config.tenant_id}", '
        f'error="invalid_token", error_description="{desc}"'
    )
