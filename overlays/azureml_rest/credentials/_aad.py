"""Azure AD client-credentials requests (v1 and v2 endpoints) and their answers."""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import httpx

from .._hosts import is_loopback_host
from .._redact import redact_text
from ..clouds import resource_to_scope, scope_to_resource
from ..errors import CredentialError, InsecureTransportError, error_from_response
from ..retry import RetryPolicy
from ._token import AccessToken

__all__ = ["TOKEN_RETRY_POLICY", "check_authority", "normalize_scopes", "parse_token_response", "token_request"]


def _always(_: httpx.Request) -> bool:
    # A client-credentials grant has no side effect: repeating it is always safe.
    return True


#: Token POSTs are retried like reads (429, 5xx, connection errors).
TOKEN_RETRY_POLICY = RetryPolicy(retry_safe=_always)


def normalize_authority(authority: str) -> str:
    """``login.microsoftonline.com`` or ``https://login.microsoftonline.com/`` -> ``https://login.microsoftonline.com``."""
    a = authority.strip().rstrip("/")
    if "://" not in a:
        a = "https://" + a
    return a


def check_authority(authority: str) -> None:
    """Secrets go to the authority only over https, or plain http to a loopback host (the emulator)."""
    url = httpx.URL(authority)
    if url.scheme != "https" and not (url.scheme == "http" and is_loopback_host(url.host)):
        raise InsecureTransportError(authority)


@functools.lru_cache(maxsize=64)
def normalize_scopes(scopes: tuple[str, ...], token_version: str) -> str:
    """The cache key and request value: v1 ``resource``, or v2 space-separated scopes (memoised: a pure
    function asked on every request)."""
    if not scopes:
        raise ValueError("get_token needs at least one scope, e.g. 'https://management.azure.com/.default'")
    if token_version == "v1":  # noqa: S105
        if len(scopes) != 1:
            raise ValueError("the v1 token endpoint takes exactly one resource")
        return scope_to_resource(scopes[0])
    out = []
    for s in scopes:
        path = httpx.URL(s).path if "://" in s else s
        out.append(resource_to_scope(s) if "://" in s and path in ("", "/") else s)
    return " ".join(out)


def token_request(
    authority: str, tenant_id: str, token_version: str, client_id: str, client_secret: str, key: str
) -> tuple[str, dict[str, str]]:
    """URL and form fields of one client-credentials token request."""
    if token_version == "v1":  # noqa: S105
        url = f"{authority}/{tenant_id}/oauth2/token"
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "resource": key,
        }
    else:
        url = f"{authority}/{tenant_id}/oauth2/v2.0/token"
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": key,
        }
    return url, form


def _as_int(value: Any) -> int | None:
    # v1 answers give expires_in / expires_on as strings ("3599"), v2 as numbers.
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value.strip()))
        except ValueError:
            return None
    return None


def parse_token_response(response: httpx.Response, secret: str, *, now: float | None = None) -> AccessToken:
    """The token from a token endpoint's answer, or a :class:`CredentialError` (never holding the secret)."""
    secrets = (secret,)
    if response.status_code != 200:
        doc: Any = None
        try:
            doc = json.loads(response.content)
        except ValueError:
            pass
        if isinstance(doc, dict) and isinstance(doc.get("error"), str):
            svc = error_from_response(response)
            aadsts = svc.error_code if svc.error_code and svc.error_code.startswith("AADSTS") else None
            raise CredentialError(
                f"Azure AD refused the token request ({response.status_code} {doc['error']})",
                error=redact_text(doc["error"], secrets),
                error_code=aadsts,
                description=svc.message,
                status_code=response.status_code,
                secrets=secrets,
            )
        svc = error_from_response(response)
        raise CredentialError(f"token request failed: {svc}", status_code=response.status_code, secrets=secrets)
    try:
        doc = json.loads(response.content)
    except ValueError:
        raise CredentialError("token endpoint answered 200 with a body that is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("access_token"), str) or not doc["access_token"]:
        raise CredentialError("token endpoint answered 200 without an access_token")
    current = time.time() if now is None else now
    expires_on = _as_int(doc.get("expires_on"))
    if expires_on is None:
        expires_in = _as_int(doc.get("expires_in"))
        if expires_in is None:
            raise CredentialError("token answer has neither expires_on nor expires_in")
        expires_on = int(current) + expires_in
    return AccessToken(doc["access_token"], expires_on)
