"""Microsoft.Resources resource groups: list, get, create-or-update, delete (202 + Location)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import lro
from .armcommon import ArmFailure, api_version, check_subscription, json_body, page, rg_id, tags_of
from .context import Context

KIND = "resourcegroups"
# ARM's rule: 1-90 characters of letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.
_NAME = re.compile(r"^[-\w._()]{1,90}$")
_FILTER = re.compile(r"^\s*tagname\s+eq\s+'(?P<name>[^']*)'(?:\s+and\s+tagvalue\s+eq\s+'(?P<value>[^']*)')?\s*$", re.I)


def _filter(items: list[dict[str, Any]], expr: str | None) -> list[dict[str, Any]]:
    if not expr:
        return items
    m = _FILTER.match(expr)
    if m is None:
        raise ArmFailure(
            400,
            "InvalidFilterInQueryString",
            "The $filter is not supported: use \"tagName eq '<name>'\" optionally followed by "
            "\"and tagValue eq '<value>'\".",
        )
    name, value = m.group("name").lower(), m.group("value")
    out = []
    for doc in items:
        tags = {k.lower(): v for k, v in (doc.get("tags") or {}).items()}
        if name in tags and (value is None or tags[name] == value):
            out.append(doc)
    return out


def routes(ctx: Context) -> list[BaseRoute]:
    """The resource-group routes."""

    async def list_groups(request: Request) -> Response:
        sub = request.path_params["sub"]
        try:
            check_subscription(ctx, sub)
            items = _filter(ctx.store.list(KIND, f"{sub}/"), request.query_params.get("$filter"))
            top_raw = request.query_params.get("$top")
            top = None
            if top_raw is not None:
                if not top_raw.isdigit() or int(top_raw) < 1:
                    raise ArmFailure(
                        400, "InvalidTopInQueryString", "The '$top' query parameter must be a positive integer."
                    )
                top = int(top_raw)
            return JSONResponse(page(ctx, request, items, limit=top))
        except ArmFailure as f:
            return f.response()

    async def get_group(request: Request) -> Response:
        sub, rg = request.path_params["sub"], request.path_params["rg"]
        try:
            check_subscription(ctx, sub)
            doc = ctx.store.get(KIND, f"{sub}/{rg}")
            if doc is None:
                raise ArmFailure(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            return JSONResponse(doc)
        except ArmFailure as f:
            return f.response()

    async def put_group(request: Request) -> Response:
        sub, rg = request.path_params["sub"], request.path_params["rg"]
        try:
            check_subscription(ctx, sub)
            if not _NAME.match(rg) or rg.endswith("."):
                raise ArmFailure(
                    400,
                    "InvalidResourceGroup",
                    f"The provided resource group name '{rg}' has these invalid characters or length: "
                    "names are 1-90 letters, digits, '_', '-', '.', '(' or ')' and cannot end in '.'.",
                )
            body = await json_body(request)
            location = body.get("location")
            if not isinstance(location, str) or not location.strip():
                raise ArmFailure(400, "LocationRequired", "The location property is required for this definition.")
            existing = ctx.store.get(KIND, f"{sub}/{rg}")
            tags = tags_of(body)
            if existing is not None:
                if existing["properties"].get("provisioningState") == "Deleting":
                    raise ArmFailure(
                        409,
                        "ResourceGroupBeingDeleted",
                        f"The resource group '{rg}' is in deprovisioning state and cannot perform this operation.",
                    )
                if existing["location"].replace(" ", "").lower() != location.replace(" ", "").lower():
                    raise ArmFailure(
                        409,
                        "InvalidResourceGroupLocation",
                        f"Invalid resource group location '{location}'. The Resource group already exists in "
                        f"location '{existing['location']}'.",
                    )
                existing["tags"] = tags
                if "managedBy" in body:
                    existing["managedBy"] = body["managedBy"]
                ctx.store.put(KIND, f"{sub}/{rg}", existing)
                return JSONResponse(existing, status_code=200)
            doc: dict[str, Any] = {
                "id": rg_id(sub, rg),
                "name": rg,
                "type": "Microsoft.Resources/resourceGroups",
                "location": location.replace(" ", "").lower(),
                "tags": tags,
                "properties": {"provisioningState": "Succeeded"},
            }
            if isinstance(body.get("managedBy"), str):
                doc["managedBy"] = body["managedBy"]
            ctx.store.put(KIND, f"{sub}/{rg}", doc)
            return JSONResponse(doc, status_code=201)
        except ArmFailure as f:
            return f.response()

    async def delete_group(request: Request) -> Response:
        sub, rg = request.path_params["sub"], request.path_params["rg"]
        try:
            check_subscription(ctx, sub)
            doc = ctx.store.get(KIND, f"{sub}/{rg}")
            if doc is None:
                raise ArmFailure(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            doc["properties"]["provisioningState"] = "Deleting"
            ctx.store.put(KIND, f"{sub}/{rg}", doc)
            record = lro.start(
                ctx,
                sub=sub,
                location=doc["location"],
                kind=KIND,
                key=f"{sub}/{rg}",
                action="delete",
                api_version=api_version(request),
                resources_scope=True,
            )
            headers = {"Location": lro.location_url(ctx, record), **lro.poll_headers(ctx)}
            return Response(status_code=202, headers=headers)
        except ArmFailure as f:
            return f.response()

    base = "/subscriptions/{sub}/resourceGroups"
    return [
        Route(base, list_groups, methods=["GET"]),
        Route(base + "/{rg}", get_group, methods=["GET"]),
        Route(base + "/{rg}", put_group, methods=["PUT"]),
        Route(base + "/{rg}", delete_group, methods=["DELETE"]),
    ]
