"""Microsoft.MachineLearningServices workspaces: list, get, create-or-update (LRO), update, delete, listKeys."""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import armids, blobstore, lro
from .armcommon import (
    ML,
    ArmFailure,
    api_version,
    check_subscription,
    json_body,
    page,
    require_group,
    require_workspace,
    tags_of,
    ws_id,
)
from .context import Context
from .timeutil import iso

KIND = "workspaces"
# Azure ML's rule: 3-33 characters, letters, digits, '-' and '_', starting with a letter or digit.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$")


def _identity(ctx: Context, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any] | None:
    raw = body.get("identity")
    if raw is None:
        return existing.get("identity") if existing else None
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise ArmFailure(400, "InvalidIdentity", "The 'identity' property must be an object with a string 'type'.")
    kind = raw["type"].strip().lower()
    if kind == "none":
        return None
    if kind != "systemassigned":
        raise ArmFailure(
            400,
            "InvalidIdentityType",
            f"The identity type '{raw['type']}' is not supported; the supported value is 'SystemAssigned'.",
        )
    # The article sends 'systemAssigned'; the enum is 'SystemAssigned' (modelAsString false): answer canonically.
    old = (existing or {}).get("identity") or {}
    return {
        "type": "SystemAssigned",
        "principalId": old.get("principalId") or str(uuid.uuid4()),
        "tenantId": ctx.config.tenant_id,
    }


def _sku(body: dict[str, Any], default: dict[str, Any]) -> dict[str, Any]:
    sku = body.get("sku", default)
    if sku is None:
        return default
    if not isinstance(sku, dict) or not all(isinstance(sku.get(k, ""), str) for k in ("name", "tier")):
        raise ArmFailure(400, "InvalidSku", "The 'sku' property must be an object with string 'name' and 'tier'.")
    return {k: sku[k] for k in ("name", "tier") if k in sku}


def _props(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties", {})
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise ArmFailure(400, "InvalidRequestContent", "The 'properties' property must be a JSON object.")
    for name in ("description", "friendlyName"):
        if name in props and props[name] is not None and not isinstance(props[name], str):
            raise ArmFailure(400, "InvalidRequestContent", f"The workspace property '{name}' must be a string.")
    return props


def workspace_keys(ctx: Context, doc: dict[str, Any]) -> dict[str, Any]:
    """ListWorkspaceKeysResult: stable per workspace, derived from the emulator's key (nothing stored)."""

    def secret(label: str) -> str:
        return base64.b64encode(ctx.signer.derive(label + ":" + doc["id"].lower()) * 2).decode()

    props = doc["properties"]
    keys: dict[str, Any] = {
        "userStorageResourceId": props.get("storageAccount"),
        "appInsightsInstrumentationKey": str(uuid.UUID(bytes=ctx.signer.derive("insights:" + doc["id"].lower())[:16])),
    }
    account = blobstore.accounts.account_of_resource_id(props.get("storageAccount"))
    if account is not None:  # the key of the account the blob store serves for this workspace
        keys["userStorageKey"] = blobstore.account_key(ctx, account)
    registry = props.get("containerRegistry")
    if registry:
        keys["containerRegistryCredentials"] = {
            "location": doc["location"],
            "username": str(registry).rstrip("/").split("/")[-1],
            "passwords": [
                {"name": "password", "value": secret("acr1")[:32]},
                {"name": "password2", "value": secret("acr2")[:32]},
            ],
        }
    return keys


def routes(ctx: Context) -> list[BaseRoute]:
    """The workspace routes."""

    def params(request: Request) -> tuple[str, str, str]:
        p = request.path_params
        return p["sub"], p["rg"], p["ws"]

    async def list_by_sub(request: Request) -> Response:
        sub = request.path_params["sub"]
        try:
            check_subscription(ctx, sub)
            return JSONResponse(page(ctx, request, ctx.store.list(KIND, f"{sub}/")))
        except ArmFailure as f:
            return f.response()

    async def list_by_group(request: Request) -> Response:
        sub, rg = request.path_params["sub"], request.path_params["rg"]
        try:
            require_group(ctx, sub, rg)
            return JSONResponse(page(ctx, request, ctx.store.list(KIND, f"{sub}/{rg}/")))
        except ArmFailure as f:
            return f.response()

    async def get_ws(request: Request) -> Response:
        try:
            return JSONResponse(require_workspace(ctx, *params(request)))
        except ArmFailure as f:
            return f.response()

    async def put_ws(request: Request) -> Response:
        sub, rg, ws = params(request)
        try:
            group = require_group(ctx, sub, rg)
            if group["properties"].get("provisioningState") == "Deleting":
                raise ArmFailure(
                    409,
                    "ResourceGroupBeingDeleted",
                    f"The resource group '{rg}' is in deprovisioning state and cannot perform this operation.",
                )
            if not _NAME.match(ws):
                raise ArmFailure(
                    400,
                    "InvalidWorkspaceName",
                    f"The workspace name '{ws}' is invalid: it must be 3-33 characters of letters, digits, "
                    "'-' and '_', starting with a letter or digit.",
                )
            body = await json_body(request)
            location = body.get("location")
            if not isinstance(location, str) or not location.strip():
                raise ArmFailure(400, "LocationRequired", "The location property is required for this definition.")
            location = location.replace(" ", "").lower()
            key = f"{sub}/{rg}/{ws}"
            existing = ctx.store.get(KIND, key)
            props = _props(body)
            if existing is not None:
                return _update_existing(ctx, key, existing, body, props, location)
            now = time.time()
            error = armids.validate(props)
            doc: dict[str, Any] = {
                "id": ws_id(sub, rg, ws),
                "name": ws,
                "type": f"{ML}/workspaces",
                "location": location,
                "tags": tags_of(body),
                "sku": _sku(body, {"name": "Basic", "tier": "Basic"}),
                "properties": {
                    "workspaceId": str(uuid.uuid4()),
                    "description": props.get("description") or "",
                    "friendlyName": props.get("friendlyName") or "",
                    "creationTime": iso(now),
                    "discoveryUrl": f"{ctx.base_url}/discovery",
                    "provisioningState": "Creating",
                },
            }
            identity = _identity(ctx, body, None)
            if identity is not None:
                doc["identity"] = identity
            for prop in armids.DEPENDENTS:
                value = props.get(prop)
                if isinstance(value, str) and value.strip():
                    doc["properties"][prop] = armids.normalise_id(value)
            if isinstance(props.get("hbiWorkspace"), bool):
                doc["properties"]["hbiWorkspace"] = props["hbiWorkspace"]
            ctx.store.put(KIND, key, doc)
            record = lro.start(
                ctx,
                sub=sub,
                location=location,
                kind=KIND,
                key=key,
                action="create",
                api_version=api_version(request),
                error=error,
            )
            headers = {
                "Location": lro.location_url(ctx, record),
                "Azure-AsyncOperation": lro.async_url(ctx, record),
                **lro.poll_headers(ctx),
            }
            return JSONResponse(doc, status_code=202, headers=headers)
        except ArmFailure as f:
            return f.response()

    async def patch_ws(request: Request) -> Response:
        sub, rg, ws = params(request)
        try:
            doc = require_workspace(ctx, sub, rg, ws)
            body = await json_body(request)
            if "tags" in body:
                doc["tags"] = tags_of(body)
            if "sku" in body:
                doc["sku"] = _sku(body, doc.get("sku") or {})
            props = _props(body)
            for name in ("description", "friendlyName"):
                # The wire form nests them under 'properties'; a flattened form is tolerated too.
                value = props.get(name, body.get(name))
                if isinstance(value, str):
                    doc["properties"][name] = value
            ctx.store.put(KIND, f"{sub}/{rg}/{ws}", doc)
            return JSONResponse(doc)
        except ArmFailure as f:
            return f.response()

    async def delete_ws(request: Request) -> Response:
        sub, rg, ws = params(request)
        try:
            require_group(ctx, sub, rg)
            key = f"{sub}/{rg}/{ws}"
            doc = ctx.store.get(KIND, key)
            if doc is None:
                return Response(status_code=204)  # the spec's "workspace does not exist"
            doc["properties"]["provisioningState"] = "Deleting"
            ctx.store.put(KIND, key, doc)
            record = lro.start(
                ctx,
                sub=sub,
                location=doc["location"],
                kind=KIND,
                key=key,
                action="delete",
                api_version=api_version(request),
            )
            return Response(
                status_code=202, headers={"Location": lro.location_url(ctx, record), **lro.poll_headers(ctx)}
            )
        except ArmFailure as f:
            return f.response()

    async def list_keys(request: Request) -> Response:
        try:
            doc = require_workspace(ctx, *params(request))
            return JSONResponse(workspace_keys(ctx, doc))
        except ArmFailure as f:
            return f.response()

    sub_base = f"/subscriptions/{{sub}}/providers/{ML}/workspaces"
    rg_base = f"/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/{ML}/workspaces"
    return [
        Route(sub_base, list_by_sub, methods=["GET"]),
        Route(rg_base, list_by_group, methods=["GET"]),
        Route(rg_base + "/{ws}", get_ws, methods=["GET"]),
        Route(rg_base + "/{ws}", put_ws, methods=["PUT"]),
        Route(rg_base + "/{ws}", patch_ws, methods=["PATCH"]),
        Route(rg_base + "/{ws}", delete_ws, methods=["DELETE"]),
        Route(rg_base + "/{ws}/listKeys", list_keys, methods=["POST"]),
    ]


def _update_existing(
    ctx: Context, key: str, doc: dict[str, Any], body: dict[str, Any], props: dict[str, Any], location: str
) -> Response:
    """PUT on an existing workspace: 200 with the updated workspace (dependent resources are immutable)."""
    state = doc["properties"].get("provisioningState")
    if state == "Deleting":
        raise ArmFailure(409, "Conflict", f"The workspace '{doc['name']}' is being deleted.")
    if location != doc["location"]:
        raise ArmFailure(
            400,
            "InvalidRequestContent",
            f"The workspace location cannot change from '{doc['location']}' to '{location}'.",
        )
    for prop in armids.DEPENDENTS:
        value = props.get(prop)
        if isinstance(value, str) and value.strip():
            old = str(doc["properties"].get(prop) or "")
            if armids.normalise_id(value).lower() != old.lower():
                raise ArmFailure(
                    400,
                    "CannotChangeDependentResource",
                    f"The workspace property '{prop}' cannot change after creation (it is '{old}').",
                )
    doc["tags"] = tags_of(body)
    doc["sku"] = _sku(body, doc.get("sku") or {})
    identity = _identity(ctx, body, doc)
    if identity is None:
        doc.pop("identity", None)
    else:
        doc["identity"] = identity
    for name in ("description", "friendlyName"):
        if isinstance(props.get(name), str):
            doc["properties"][name] = props[name]
    ctx.store.put("workspaces", key, doc)
    return JSONResponse(doc, status_code=200)
