"""Helpers shared by the ARM route modules: ids, bodies, paging, common errors."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse

from .context import Context
from .errors import arm_error

ML = "Microsoft.MachineLearningServices"


class ArmFailure(Exception):
    """Raised by helpers to answer with an ARM error; the route turns it into a response."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        """The ARM error response."""
        return arm_error(self.status, self.code, self.message)


def rg_id(sub: str, rg: str) -> str:
    """The ARM id of a resource group."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def ws_id(sub: str, rg: str, ws: str) -> str:
    """The ARM id of a workspace."""
    return f"{rg_id(sub, rg)}/providers/{ML}/workspaces/{ws}"


def api_version(request: Request) -> str:
    """The request's api-version (the contract's default when absent in lax mode)."""
    return request.query_params.get("api-version") or "2019-11-01"


def check_subscription(ctx: Context, sub: str) -> None:
    """Only the development account's subscription exists."""
    if sub.lower() != ctx.config.subscription_id.lower():
        raise ArmFailure(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")


def require_group(ctx: Context, sub: str, rg: str) -> dict[str, Any]:
    """The resource group document, or 404 ResourceGroupNotFound."""
    check_subscription(ctx, sub)
    doc = ctx.store.get("resourcegroups", f"{sub}/{rg}")
    if doc is None:
        raise ArmFailure(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    return doc


def require_workspace(ctx: Context, sub: str, rg: str, ws: str) -> dict[str, Any]:
    """The workspace document, or 404 (ResourceGroupNotFound / ResourceNotFound)."""
    require_group(ctx, sub, rg)
    doc = ctx.store.get("workspaces", f"{sub}/{rg}/{ws}")
    if doc is None:
        raise ArmFailure(
            404,
            "ResourceNotFound",
            f"The Resource '{ML}/workspaces/{ws}' under resource group '{rg}' was not found.",
        )
    return doc


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body, or 400 InvalidRequestContent."""
    raw = await request.body()
    if not raw.strip():
        raise ArmFailure(400, "InvalidRequestContent", "The request content is empty; a JSON object is required.")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArmFailure(
            400, "InvalidRequestContent", f"The request content was invalid and could not be deserialized: {exc}."
        ) from None
    except RecursionError:  # a nesting bomb ([[[[...): json gives up before it is valid or invalid
        raise ArmFailure(400, "InvalidRequestContent", "The request content is nested too deeply.") from None
    if not isinstance(body, dict):
        raise ArmFailure(400, "InvalidRequestContent", "The request content must be a JSON object.")
    return body


def tags_of(body: dict[str, Any], default: dict[str, str] | None = None) -> dict[str, str]:
    """The ``tags`` of a body: a map of strings, or 400 InvalidTag."""
    tags = body.get("tags", default if default is not None else {})
    if tags is None:
        return {}
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        raise ArmFailure(400, "InvalidTag", "The 'tags' property must be a map of string names to string values.")
    return {str(k): v for k, v in tags.items()}


def _decode_skiptoken(token: str | None) -> int:
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ArmFailure(400, "InvalidSkipToken", "The '$skiptoken' query parameter is not valid.") from None
    if offset < 0:
        raise ArmFailure(400, "InvalidSkipToken", "The '$skiptoken' query parameter is not valid.")
    return offset


def page(ctx: Context, request: Request, items: list[dict[str, Any]], *, limit: int | None = None) -> dict[str, Any]:
    """One page ``{value, nextLink}`` of ``items`` (``$skiptoken`` = offset; ``nextLink`` absolute)."""
    offset = _decode_skiptoken(request.query_params.get("$skiptoken"))
    if limit is not None:
        items = items[:limit]
    size = max(1, ctx.config.page_size)
    chunk = items[offset : offset + size]
    body: dict[str, Any] = {"value": chunk}
    if offset + size < len(items):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "$skiptoken"]
        token = base64.urlsafe_b64encode(str(offset + size).encode()).decode().rstrip("=")
        params.append(("$skiptoken", token))
        body["nextLink"] = f"{ctx.base_url}{request.url.path}?{urlencode(params)}"
    return body
