"""``azureml-rest token``: get an access token and print its metadata (the token itself only with --show-secret)."""

from __future__ import annotations

import argparse
import base64
import json
from datetime import UTC, datetime
from typing import Any

from .arguments import SubParsers, add_command
from .context import Context

__all__ = ["register"]


def _jwt_claims(token: str) -> dict[str, Any]:
    """The (unverified) claims of a JWT, for display only; {} when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _token(ctx: Context) -> Any:
    from azureml_rest.clouds import resource_to_scope, scope_to_resource

    cloud = ctx.cloud()
    scope = resource_to_scope(ctx.args.resource) if ctx.args.resource else cloud.arm_scope
    cred = ctx.credential()
    try:
        tok = cred.get_token(scope)
    finally:
        close = getattr(cred, "close", None)
        if callable(close):
            close()
    claims = _jwt_claims(tok.token)
    result: dict[str, Any] = {
        "tokenType": "Bearer",
        "audience": claims.get("aud") or scope_to_resource(scope),
        "expiresOn": int(tok.expires_on),
        "expiresOnUtc": datetime.fromtimestamp(int(tok.expires_on), UTC).isoformat(),
        "tenant": claims.get("tid") or getattr(cred, "tenant_id", None),
        "clientId": claims.get("appid") or claims.get("azp") or getattr(cred, "client_id", None),
        "authority": getattr(cred, "authority_host", None),
    }
    if ctx.args.show_secret:
        result["accessToken"] = tok.token
    return result


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = add_command(sub, "token", _token, "get a token and print its metadata (the token only with --show-secret)",
                    common)
    p.add_argument("--resource", metavar="URL",
                   help="token audience (default: the cloud's ARM resource, https://management.azure.com/)")
    p.add_argument("--show-secret", action="store_true", help="also print the access token itself")
