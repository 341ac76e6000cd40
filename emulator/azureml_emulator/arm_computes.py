"""Workspace computes: list, get, create-or-update (201 + Azure-AsyncOperation), update, delete, listKeys, listNodes."""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import lro, paths
from .armcommon import ML, ArmFailure, api_version, json_body, page, require_workspace, tags_of, ws_id
from .context import Context
from .timeutil import iso

KIND = "computes"
COMPUTE_TYPES = ("AKS", "AmlCompute", "DataFactory", "VirtualMachine", "HDInsight", "Databricks", "DataLakeAnalytics")
# Azure ML's rule: 2-16 characters, letters, digits and '-', starting with a letter.
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_SECRET_FIELDS = ("adminUserPassword",)  # never stored, never echoed


def _bad(message: str) -> ArmFailure:
    return ArmFailure(400, "BadArgument", message)


def _scale_settings(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _bad("AmlCompute 'properties.properties.scaleSettings' is required and must be an object.")
    max_nodes = raw.get("maxNodeCount")
    min_nodes = raw.get("minNodeCount", 0)
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 0:
        raise _bad("scaleSettings.maxNodeCount is required and must be an integer >= 0.")
    if not isinstance(min_nodes, int) or isinstance(min_nodes, bool) or min_nodes < 0:
        raise _bad("scaleSettings.minNodeCount must be an integer >= 0.")
    if min_nodes > max_nodes:
        raise _bad(f"scaleSettings.minNodeCount ({min_nodes}) cannot exceed maxNodeCount ({max_nodes}).")
    out: dict[str, Any] = {"maxNodeCount": max_nodes, "minNodeCount": min_nodes}
    idle = raw.get("nodeIdleTimeBeforeScaleDown")
    if idle is not None:
        if not isinstance(idle, str) or not _DURATION.match(idle):
            raise _bad(
                f"scaleSettings.nodeIdleTimeBeforeScaleDown '{idle}' is not an ISO 8601 duration such as 'PT30M'."
            )
        out["nodeIdleTimeBeforeScaleDown"] = idle
    return out


def _aml_properties(inner: dict[str, Any], now: float) -> dict[str, Any]:
    vm_size = inner.get("vmSize")
    if not isinstance(vm_size, str) or not vm_size.strip():
        raise _bad("AmlCompute 'properties.properties.vmSize' is required (for example 'STANDARD_D1').")
    # The service binds enum values case-insensitively and answers the canonical spelling: azureml-core sends
    # 'dedicated' / 'lowpriority' (azureml/core/compute/amlcompute.py provisioning_configuration, line 189).
    raw_priority = inner.get("vmPriority", "Dedicated")
    priority = {"dedicated": "Dedicated", "lowpriority": "LowPriority"}.get(str(raw_priority).lower())
    if priority is None:
        raise _bad(f"vmPriority '{raw_priority}' is invalid; use 'Dedicated' or 'LowPriority'.")
    out: dict[str, Any] = {
        "vmSize": vm_size,
        "vmPriority": priority,
        "scaleSettings": _scale_settings(inner.get("scaleSettings")),
        "remoteLoginPortPublicAccess": inner.get("remoteLoginPortPublicAccess", "NotSpecified"),
    }
    creds = inner.get("userAccountCredentials")
    if creds is not None:
        if not isinstance(creds, dict) or not isinstance(creds.get("adminUserName"), str):
            raise _bad("userAccountCredentials.adminUserName is required when userAccountCredentials is given.")
        out["userAccountCredentials"] = {k: v for k, v in creds.items() if k not in _SECRET_FIELDS}
    out["subnet"] = inner.get("subnet")  # null when absent (indexed: amlcompute.py _initialize, line 127)
    out.update(
        {
            "allocationState": "Steady",
            "allocationStateTransitionTime": iso(now),
            "currentNodeCount": 0,
            "targetNodeCount": 0,
            "nodeStateCounts": {
                "idleNodeCount": 0,
                "runningNodeCount": 0,
                "preparingNodeCount": 0,
                "unusableNodeCount": 0,
                "leavingNodeCount": 0,
                "preemptedNodeCount": 0,
            },
        }
    )
    return out


def _compute_props(body: dict[str, Any], now: float) -> dict[str, Any]:
    props = body.get("properties")
    if not isinstance(props, dict):
        raise _bad("The compute 'properties' object is required.")
    ctype = props.get("computeType")
    if not isinstance(ctype, str):
        raise _bad(f"'properties.computeType' is required; one of {', '.join(COMPUTE_TYPES)}.")
    canon = {t.lower(): t for t in COMPUTE_TYPES}.get(ctype.lower())
    if canon is None:
        raise _bad(f"computeType '{ctype}' is not supported; use one of {', '.join(COMPUTE_TYPES)}.")
    inner = props.get("properties") or {}
    if not isinstance(inner, dict):
        raise _bad("'properties.properties' must be an object.")
    inner = dict(inner)
    # The article puts userAccountCredentials at the top level of the body; the contract nests it
    # (specs/README.md, management.yaml: "Compute PUT `userAccountCredentials`").
    if "userAccountCredentials" in body and "userAccountCredentials" not in inner:
        inner["userAccountCredentials"] = body["userAccountCredentials"]
    out: dict[str, Any] = {
        "computeType": canon,
        "provisioningState": "Creating",
        "createdOn": iso(now),
        "modifiedOn": iso(now),
        "isAttachedCompute": bool(props.get("resourceId")) and canon != "AmlCompute",
    }
    if isinstance(props.get("computeLocation"), str):
        out["computeLocation"] = props["computeLocation"]
    # Returned as null when unset, as the service does: azureml-core indexes them
    # (azureml/core/compute/amlcompute.py _initialize, lines 95-102: obj_dict['properties']['description'], ...).
    for name in ("description", "resourceId"):
        out[name] = props[name] if isinstance(props.get(name), str) else None
    out["provisioningErrors"] = None
    if canon == "AmlCompute":
        out["properties"] = _aml_properties(inner, now)
    elif inner:
        out["properties"] = {
            k: (_strip_secrets(v) if isinstance(v, dict) else v)
            for k, v in inner.items()
            if k not in ("databricksAccessToken",)
        }
    return out


def _strip_secrets(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in ("password", "privateKeyData", *_SECRET_FIELDS)}


def routes(ctx: Context) -> list[BaseRoute]:
    """The compute routes."""

    def ids(request: Request) -> tuple[str, str, str, str]:
        p = request.path_params
        return p["sub"], p["rg"], p["ws"], p["name"]

    def require_compute(sub: str, rg: str, ws: str, name: str) -> dict[str, Any]:
        require_workspace(ctx, sub, rg, ws)
        doc = ctx.store.get(KIND, f"{sub}/{rg}/{ws}/{name}")
        if doc is None:
            raise ArmFailure(
                404,
                "ResourceNotFound",
                f"The Resource '{ML}/workspaces/{ws}/computes/{name}' under resource group '{rg}' was not found.",
            )
        return doc

    async def list_computes(request: Request) -> Response:
        p = request.path_params
        try:
            require_workspace(ctx, p["sub"], p["rg"], p["ws"])
            items = ctx.store.list(KIND, f"{p['sub']}/{p['rg']}/{p['ws']}/")
            return JSONResponse(page(ctx, request, items))
        except ArmFailure as f:
            return f.response()

    async def get_compute(request: Request) -> Response:
        try:
            return JSONResponse(require_compute(*ids(request)))
        except ArmFailure as f:
            return f.response()

    async def put_compute(request: Request) -> Response:
        sub, rg, ws, name = ids(request)
        try:
            workspace = require_workspace(ctx, sub, rg, ws)
            if not _NAME.match(name):
                raise _bad(
                    f"The compute name '{name}' is invalid: it must be 2-16 characters of letters, digits "
                    "and '-', starting with a letter."
                )
            body = await json_body(request)
            now = time.time()
            props = _compute_props(body, now)
            key = f"{sub}/{rg}/{ws}/{name}"
            existing = ctx.store.get(KIND, key)
            location = body.get("location") if isinstance(body.get("location"), str) else workspace["location"]
            if existing is not None:
                return _update_existing(ctx, key, existing, props, body)
            doc: dict[str, Any] = {
                "id": f"{ws_id(sub, rg, ws)}/computes/{name}",
                "name": name,
                "type": f"{ML}/workspaces/computes",
                "location": str(location).replace(" ", "").lower(),
                "tags": tags_of(body),
                "properties": props,
            }
            ctx.store.put(KIND, key, doc)
            record = lro.start(
                ctx,
                sub=sub,
                location=doc["location"],
                kind=KIND,
                key=key,
                action="create",
                api_version=api_version(request),
            )
            headers = {"Azure-AsyncOperation": lro.async_url(ctx, record), **lro.poll_headers(ctx)}
            return JSONResponse(doc, status_code=201, headers=headers)
        except ArmFailure as f:
            return f.response()

    async def patch_compute(request: Request) -> Response:
        sub, rg, ws, name = ids(request)
        try:
            doc = require_compute(sub, rg, ws, name)
            body = await json_body(request)
            props = body.get("properties")
            if not isinstance(props, dict) or "scaleSettings" not in props:
                raise _bad('The update body must be {"properties": {"scaleSettings": {...}}}.')
            if doc["properties"].get("computeType") != "AmlCompute":
                raise _bad("Only AmlCompute scale settings can be updated.")
            doc["properties"]["properties"]["scaleSettings"] = _scale_settings(props["scaleSettings"])
            doc["properties"]["modifiedOn"] = iso(time.time())
            if doc["properties"].get("provisioningState") == "Succeeded":
                doc = lro.succeeded(doc)  # node counts follow the new minimum
            ctx.store.put(KIND, f"{sub}/{rg}/{ws}/{name}", doc)
            return JSONResponse(doc)
        except ArmFailure as f:
            return f.response()

    async def delete_compute(request: Request) -> Response:
        sub, rg, ws, name = ids(request)
        try:
            action = request.query_params.get("underlyingResourceAction")
            if action is None:
                raise _bad("The query parameter 'underlyingResourceAction' is required: 'Delete' or 'Detach'.")
            if action.lower() not in ("delete", "detach"):
                raise _bad(f"underlyingResourceAction '{action}' is invalid: use 'Delete' or 'Detach'.")
            doc = require_compute(sub, rg, ws, name)
            key = f"{sub}/{rg}/{ws}/{name}"
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
            headers = {
                "Azure-AsyncOperation": lro.async_url(ctx, record),
                "Location": lro.location_url(ctx, record),
                **lro.poll_headers(ctx),
            }
            return Response(status_code=202, headers=headers)
        except ArmFailure as f:
            return f.response()

    async def list_keys(request: Request) -> Response:
        try:
            doc = require_compute(*ids(request))
            ctype = doc["properties"]["computeType"]
            secrets: dict[str, Any] = {"computeType": ctype}
            if ctype == "AKS":
                secrets.update({"userKubeConfig": "", "adminKubeConfig": "", "imagePullSecretName": ""})
            return JSONResponse(secrets)
        except ArmFailure as f:
            return f.response()

    async def list_nodes(request: Request) -> Response:
        try:
            doc = require_compute(*ids(request))
            if doc["properties"]["computeType"] != "AmlCompute":
                raise _bad("listNodes is only supported for AmlCompute.")
            count = int(doc["properties"].get("properties", {}).get("currentNodeCount") or 0)
            nodes = [
                {
                    "nodeId": f"tvmps_{i:04d}_d",
                    "privateIpAddress": f"10.0.0.{i + 4}",
                    "publicIpAddress": "127.0.0.1",
                    "port": 50000 + i,
                    "nodeState": "idle",
                }
                for i in range(count)
            ]
            return JSONResponse({"computeType": "AmlCompute", "nodes": nodes})
        except ArmFailure as f:
            return f.response()

    arm_base = f"/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/{ML}/workspaces/{{ws}}/computes"
    # The workspace's regional API host serves the same operations under '/rp/workspaces' + the ARM path:
    # azureml-core reads and lists computes there (azureml/_compute/_constants.py RP_COMPUTE_RESOURCE_ID_FMT,
    # RP_LIST_COMPUTES_FMT; azureml/core/compute/compute.py _get_rp_compute_endpoint, line 233).
    # Only the reads are served there (specs/management.yaml RegionalCompute_*): writes go to ARM.
    rp_base = paths.REGIONAL_RP_PREFIX + arm_base
    return [
        Route(arm_base, list_computes, methods=["GET"]),
        Route(arm_base + "/{name}", get_compute, methods=["GET"]),
        Route(arm_base + "/{name}", put_compute, methods=["PUT"]),
        Route(arm_base + "/{name}", patch_compute, methods=["PATCH"]),
        Route(arm_base + "/{name}", delete_compute, methods=["DELETE"]),
        Route(arm_base + "/{name}/listKeys", list_keys, methods=["POST"]),
        Route(arm_base + "/{name}/listNodes", list_nodes, methods=["POST"]),
        Route(rp_base, list_computes, methods=["GET"]),
        Route(rp_base + "/{name}", get_compute, methods=["GET"]),
    ]


def _update_existing(
    ctx: Context, key: str, doc: dict[str, Any], props: dict[str, Any], body: dict[str, Any]
) -> Response:
    """PUT on an existing compute: same type only; AmlCompute may change scale settings and description."""
    old = doc["properties"]
    if old.get("provisioningState") == "Deleting":
        raise ArmFailure(409, "Conflict", f"The compute '{doc['name']}' is being deleted.")
    if props["computeType"] != old["computeType"]:
        raise ArmFailure(
            409,
            "Conflict",
            f"The compute '{doc['name']}' exists with computeType '{old['computeType']}'; it cannot become "
            f"'{props['computeType']}'. Delete it first.",
        )
    new = copy.deepcopy(doc)
    if old["computeType"] == "AmlCompute":
        if props["properties"]["vmSize"].lower() != old["properties"]["vmSize"].lower():
            raise _bad(f"vmSize cannot change after creation (it is '{old['properties']['vmSize']}').")
        new["properties"]["properties"]["scaleSettings"] = props["properties"]["scaleSettings"]
    if "description" in props:
        new["properties"]["description"] = props["description"]
    if "tags" in body:
        new["tags"] = tags_of(body)
    new["properties"]["modifiedOn"] = props["modifiedOn"]
    if new["properties"].get("provisioningState") == "Succeeded":
        new = lro.succeeded(new)
    ctx.store.put(KIND, key, new)
    return JSONResponse(new, status_code=200)
