"""Azure AD look-alike token endpoints: v1 and v2 client credentials, OpenID configuration, managed identity.

Only the development account's client (``config.client_id`` / ``client_secret``) in its tenant gets tokens;
errors use Azure AD's JSON (``error``, ``error_description`` with an AADSTS code, ``error_codes``, ...).
"""

from __future__ import annotations

import math
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .auth import audience_of
from .context import Context

NBF_SKEW = 300  # Azure AD back-dates not_before by five minutes (the article: expires_on - not_before = 3900)

# Form fields whose presence (never their value) is counted per token request, so tests can check what a client
# sent: ``token:v1`` / ``token:v2`` count requests, ``token:v2:scope`` those carrying ``scope``, and so on.
RECORDED_FIELDS: tuple[str, ...] = ("grant_type", "client_id", "client_secret", "client_assertion", "resource", "scope")


def aad_error(status: int, error: str, aadsts: int, text: str) -> JSONResponse:
    """An Azure AD error response."""
    trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    body = {
        "error": error,
        "error_description": (
            f"AADSTS{aadsts}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {stamp}"
        ),
        "error_codes": [aadsts],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": corr,
    }
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _oid(client_id: str) -> str:
    """The service principal's object id: stable per client id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "azureml-emulator-sp:" + client_id.lower()))


def issue(ctx: Context, audience: str, *, version: str) -> tuple[str, float, float, float]:
    """A token for ``audience``: ``(token, issued_at, not_before, expires_on)``."""
    now = time.time()
    exp = now + ctx.config.token_lifetime
    nbf = math.floor(now) - NBF_SKEW
    tenant = ctx.config.tenant_id
    iss = f"{ctx.base_url}/{tenant}/v2.0" if version == "2.0" else f"{ctx.base_url}/{tenant}/"
    oid = _oid(ctx.config.client_id)
    claims: dict[str, Any] = {
        "aud": audience,
        "iss": iss,
        "iat": math.floor(now),
        "nbf": nbf,
        "exp": exp,
        "tid": tenant,
        "appid": ctx.config.client_id,
        "azp": ctx.config.client_id,
        "oid": oid,
        "sub": oid,
        "idtyp": "app",
        "ver": version,
        "uti": uuid.uuid4().hex,
    }
    return ctx.signer.issue(claims), now, nbf, exp


def _lifetime(ctx: Context) -> int:
    return max(1, math.ceil(ctx.config.token_lifetime))


def _check_tenant(ctx: Context, tenant: str) -> JSONResponse | None:
    if tenant.lower() == ctx.config.tenant_id.lower():
        return None
    return aad_error(
        400,
        "invalid_request",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
        "into the correct cloud. (The emulator's tenant is set with --tenant-id.)",
    )


def _check_client(ctx: Context, form: dict[str, str]) -> JSONResponse | None:
    grant = form.get("grant_type")
    if not grant:
        return aad_error(
            400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."
        )
    if grant != "client_credentials":
        return aad_error(
            400,
            "unsupported_grant_type",
            70003,
            f"The app requested an unsupported grant type '{grant}'; the emulator supports 'client_credentials'.",
        )
    client_id = form.get("client_id")
    if not client_id:
        return aad_error(
            400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."
        )
    if client_id.lower() != ctx.config.client_id.lower():
        # Azure AD answers an unknown application this way (AADSTS700016), not with invalid_client.
        return aad_error(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{ctx.config.tenant_id}'. (The emulator's client is set with --client-id.)",
        )
    secret = form.get("client_secret")
    if not secret:
        return aad_error(
            401,
            "invalid_client",
            7000216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        )
    if secret != ctx.config.client_secret:
        return aad_error(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
            f"value, not the client secret ID, for a secret added to app '{ctx.config.client_id}'.",
        )
    return None


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def routes(ctx: Context) -> list[BaseRoute]:
    """The token, OpenID configuration and managed-identity routes."""

    def count() -> None:
        ctx.counters["token"] += 1

    def record(version: str, form: dict[str, str]) -> None:
        ctx.counters[f"token:{version}"] += 1
        for name in RECORDED_FIELDS:
            if name in form:
                ctx.counters[f"token:{version}:{name}"] += 1

    async def token_v1(request: Request) -> Response:
        count()
        tenant = request.path_params["tenant"]
        form = await _form(request)
        record("v1", form)
        failure = _check_tenant(ctx, tenant) or _check_client(ctx, form)
        if failure is not None:
            return failure
        resource = form.get("resource")
        if not resource:
            return aad_error(
                400, "invalid_request", 900144, "The request body must contain the following parameter: 'resource'."
            )
        token, _, nbf, exp = issue(ctx, resource, version="1.0")
        body = {
            "token_type": "Bearer",
            "expires_in": str(_lifetime(ctx)),
            "ext_expires_in": str(_lifetime(ctx)),
            "expires_on": str(math.floor(exp)),
            "not_before": str(math.floor(nbf)),
            "resource": resource,
            "access_token": token,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def token_v2(request: Request) -> Response:
        count()
        tenant = request.path_params["tenant"]
        form = await _form(request)
        record("v2", form)
        failure = _check_tenant(ctx, tenant) or _check_client(ctx, form)
        if failure is not None:
            return failure
        scope = form.get("scope", "")
        scopes = [s for s in scope.split() if s not in ("openid", "profile", "offline_access")]
        if not scopes:
            return aad_error(
                400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'."
            )
        if len(scopes) != 1 or not scopes[0].endswith("/.default"):
            return aad_error(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {scope} is not valid. Client credential flows must have a scope "
                "value with /.default suffixed to the resource identifier (application ID URI).",
            )
        token, _, _, _ = issue(ctx, audience_of(scopes[0]), version="2.0")
        body = {
            "token_type": "Bearer",
            "expires_in": _lifetime(ctx),
            "ext_expires_in": _lifetime(ctx),
            "access_token": token,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def openid(request: Request, version: str) -> Response:
        tenant = request.path_params["tenant"]
        failure = _check_tenant(ctx, tenant)
        if failure is not None:
            return failure
        base = f"{ctx.base_url}/{ctx.config.tenant_id}"
        v = "/v2.0" if version == "2.0" else ""
        doc = {
            "token_endpoint": f"{base}/oauth2{v}/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "jwks_uri": f"{base}/discovery{v}/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base}/v2.0" if version == "2.0" else f"{base}/",
            "request_uri_parameter_supported": False,
            "authorization_endpoint": f"{base}/oauth2{v}/authorize",
            "device_authorization_endpoint": f"{base}/oauth2{v}/devicecode",
            "end_session_endpoint": f"{base}/oauth2{v}/logout",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "appid", "ver"],
            "tenant_region_scope": "NA",
            "cloud_instance_name": "azureml-emulator",
            "cloud_graph_host_name": "",
            "msgraph_host": "",
        }
        return JSONResponse(doc)

    async def openid_v2(request: Request) -> Response:
        return openid(request, "2.0")

    async def openid_v1(request: Request) -> Response:
        return openid(request, "1.0")

    async def jwks(request: Request) -> Response:
        # HS256 keys are symmetric: nothing can be published. Clients of the emulator never verify tokens.
        return JSONResponse({"keys": []})

    async def msi(request: Request) -> Response:
        count()
        if not (request.headers.get("x-identity-header") or request.headers.get("metadata", "").lower() == "true"):
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Required metadata header not specified"},
                status_code=400,
            )
        resource = request.query_params.get("resource")
        if not resource:
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Required query variable 'resource' is missing"},
                status_code=400,
            )
        token, _, nbf, exp = issue(ctx, audience_of(resource), version="1.0")
        life = str(_lifetime(ctx))
        return JSONResponse(
            {
                "access_token": token,
                "expires_in": life,
                "ext_expires_in": life,
                "expires_on": str(math.floor(exp)),
                "not_before": str(math.floor(nbf)),
                "resource": resource,
                "token_type": "Bearer",
                "client_id": ctx.config.client_id,
            }
        )

    return [
        Route("/{tenant}/oauth2/token", token_v1, methods=["POST"]),
        Route("/{tenant}/oauth2/v2.0/token", token_v2, methods=["POST"]),
        Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_v2, methods=["GET"]),
        Route("/{tenant}/.well-known/openid-configuration", openid_v1, methods=["GET"]),
        Route("/{tenant}/discovery/keys", jwks, methods=["GET"]),
        Route("/{tenant}/discovery/v2.0/keys", jwks, methods=["GET"]),
        Route("/msi/token", msi, methods=["GET"]),
        Route("/metadata/identity/oauth2/token", msi, methods=["GET"]),
    ]
