"""Computes in the 2025-12-01 shape: Compute_Get, _List, _CreateOrUpdate (LRO), _Delete (LRO).

One store with v1 (kind ``computes``, keys ``sub/rg/ws/name``, the document shape ``arm_computes.py`` writes, which
2025-12-01 extends): a cluster made here is visible to v1 clients and the other way round. Only requests with a
v2 api-version come here (:class:`~.common.VersionedRoute`); PATCH, listKeys and listNodes stay with v1.

2025-12-01 rules (specification/machinelearningservices/.../stable/2025-12-01/openapi.json, Compute_* and
AmlComputeProperties): compute names are 3-24 letters, digits and '-', starting with a letter and not ending in
``-<digits>``; PUT of a new compute answers 201 with ``Azure-AsyncOperation`` (and ``Location``), settling to
``Succeeded`` at the cluster's minimum size; PUT of an existing one changes scale settings, description and tags
(200); DELETE needs ``underlyingResourceAction`` (``Delete``|``Detach``) and answers 202, or 204 when absent.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import lro as records
from ..armcommon import ML, ArmFailure, json_body, tags_of
from ..context import Context
from ..timeutil import iso
from . import common, lro
from .common import bad, handler, route

KIND = "computes"  # the v1 store kind
TYPES = (
    "AKS", "Kubernetes", "AmlCompute", "ComputeInstance", "DataFactory", "VirtualMachine", "HDInsight",
    "Databricks", "DataLakeAnalytics", "SynapseSpark",
)  # fmt: skip
_NAME = re.compile(r"^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)[a-zA-Z0-9\-]{2,23}$")
_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_SECRETS = ("adminUserPassword", "password", "privateKeyData", "databricksAccessToken")
_AML_DEFAULTS: dict[str, Any] = {
    "osType": "Linux",
    "vmPriority": "Dedicated",
    "enableNodePublicIp": True,
    "isolatedNetwork": False,
    "remoteLoginPortPublicAccess": "NotSpecified",
    "errors": None,
    "virtualMachineImage": None,
    "propertyBag": None,
}


def _strip(value: Any) -> Any:
    """``value`` without secret fields, at any depth."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _SECRETS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _int(raw: Mapping[str, Any], name: str, default: int | None = None) -> int:
    value = raw.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise bad(f"'scaleSettings.{name}' must be an integer >= 0.")
    return value


def scale_settings(raw: Any) -> dict[str, Any]:
    """ScaleSettings: ``maxNodeCount`` (required) >= ``minNodeCount`` (0), ``nodeIdleTimeBeforeScaleDown``."""
    settings = common.obj(raw, "properties.properties.scaleSettings", required=True)
    out: dict[str, Any] = {
        "maxNodeCount": _int(settings, "maxNodeCount"),
        "minNodeCount": _int(settings, "minNodeCount", 0),
    }
    if out["minNodeCount"] > out["maxNodeCount"]:
        raise bad(f"scaleSettings.minNodeCount ({out['minNodeCount']}) exceeds maxNodeCount ({out['maxNodeCount']}).")
    idle = settings.get("nodeIdleTimeBeforeScaleDown")
    if idle is not None:
        if not isinstance(idle, str) or not _DURATION.match(idle):
            raise bad(f"scaleSettings.nodeIdleTimeBeforeScaleDown '{str(idle)[:40]}' is not an ISO 8601 duration.")
        out["nodeIdleTimeBeforeScaleDown"] = idle
    return out


def _aml(inner: Mapping[str, Any], now: float) -> dict[str, Any]:
    vm_size = inner.get("vmSize")
    if not isinstance(vm_size, str) or not vm_size.strip():
        raise bad("'properties.properties.vmSize' is required for AmlCompute (for example 'STANDARD_DS3_V2').")
    where = "properties.properties"
    out: dict[str, Any] = {
        "vmSize": vm_size,
        "vmPriority": common.choice(
            inner.get("vmPriority"), ("Dedicated", "LowPriority"), f"{where}.vmPriority", "Dedicated"
        ),
        "osType": common.choice(inner.get("osType"), ("Linux", "Windows"), f"{where}.osType", "Linux"),
        "scaleSettings": scale_settings(inner.get("scaleSettings")),
        "enableNodePublicIp": common.opt_bool(inner, "enableNodePublicIp", True, where),
        "isolatedNetwork": common.opt_bool(inner, "isolatedNetwork", False, where),
        "remoteLoginPortPublicAccess": common.choice(
            inner.get("remoteLoginPortPublicAccess"),
            ("Enabled", "Disabled", "NotSpecified"),
            f"{where}.remoteLoginPortPublicAccess",
            "NotSpecified",
        ),
    }
    creds = inner.get("userAccountCredentials")
    if creds is not None:
        creds = common.obj(creds, f"{where}.userAccountCredentials")
        if not isinstance(creds.get("adminUserName"), str):
            raise bad(f"'{where}.userAccountCredentials.adminUserName' is required.")
        out["userAccountCredentials"] = _strip(creds)
    for name in ("subnet", "virtualMachineImage"):
        if inner.get(name) is not None:
            value = common.obj(inner[name], f"{where}.{name}")
            if not isinstance(value.get("id"), str):
                raise bad(f"'{where}.{name}.id' must be an ARM resource id.")
            out[name] = {"id": value["id"]}
    if inner.get("propertyBag") is not None:
        out["propertyBag"] = _strip(inner["propertyBag"])
    out.update(
        {
            "allocationState": "Steady",
            "allocationStateTransitionTime": iso(now),
            "errors": None,
            "currentNodeCount": 0,
            "targetNodeCount": 0,
            "nodeStateCounts": {
                f"{state}NodeCount": 0 for state in ("idle", "running", "preparing", "unusable", "leaving", "preempted")
            },
        }
    )
    return out


def compute_properties(body: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The stored ``properties`` (Compute) of a PUT body."""
    props = common.obj(body.get("properties"), "properties", required=True)
    ctype = common.choice(props.get("computeType"), TYPES, "properties.computeType")
    out: dict[str, Any] = {
        "computeType": ctype,
        "provisioningState": "Creating",
        "createdOn": iso(now),
        "modifiedOn": iso(now),
        "provisioningErrors": None,
        "isAttachedCompute": bool(props.get("resourceId")) and ctype != "AmlCompute",
        "disableLocalAuth": common.opt_bool(props, "disableLocalAuth", False),
    }
    for name in ("computeLocation", "description", "resourceId"):
        value = common.opt_str(props, name)
        if value is not None:
            out[name] = value
    inner = common.obj(props.get("properties"), "properties.properties", required=ctype == "AmlCompute")
    if ctype == "AmlCompute":
        out["properties"] = _aml(inner, now)
    elif inner:
        out["properties"] = _strip(inner)
    return out


def v2_shape(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored compute as 2025-12-01 answers it (defaults for what a v1-made cluster lacks)."""
    out = copy.deepcopy(dict(doc))
    props = out.setdefault("properties", {})
    props.setdefault("disableLocalAuth", False)
    props.setdefault("provisioningErrors", None)
    if props.get("computeType") == "AmlCompute" and isinstance(props.get("properties"), dict):
        for name, value in _AML_DEFAULTS.items():
            props["properties"].setdefault(name, value)
    out.setdefault("tags", {})
    return out


def routes(ctx: Context) -> list[BaseRoute]:
    """The v2 compute routes (only v2 api-versions reach them)."""

    def target(request: Request) -> tuple[str, str, str, str, dict[str, Any]]:
        sub, rg, ws, workspace = common.workspace(ctx, request)
        return sub, rg, ws, request.path_params["name"], workspace

    def require(sub: str, rg: str, ws: str, name: str) -> dict[str, Any]:
        doc = ctx.store.get(KIND, common.ws_key(sub, rg, ws, name))
        if doc is None:
            raise ArmFailure(
                404, "ResourceNotFound", f"The Resource '{ML}/workspaces/{ws}/computes/{name}' was not found."
            )
        return doc

    @handler
    async def list_computes(request: Request) -> Response:
        sub, rg, ws, _ = common.workspace(ctx, request)
        docs = [v2_shape(d) for d in ctx.store.scan(KIND, common.ws_key(sub, rg, ws, ""))]
        return JSONResponse(common.page(ctx, request, docs))

    @handler
    async def get_compute(request: Request) -> Response:
        sub, rg, ws, name, _ = target(request)
        return JSONResponse(v2_shape(require(sub, rg, ws, name)))

    @handler
    async def put_compute(request: Request) -> Response:
        sub, rg, ws, name, workspace = target(request)
        if not _NAME.match(name):
            raise bad(
                f"The compute name '{name[:64]}' is invalid: 3-24 letters, digits and '-', starting with a letter "
                "and not ending in '-' followed by digits."
            )
        body = await json_body(request)
        props = compute_properties(body, time.time())
        key = common.ws_key(sub, rg, ws, name)
        existing = ctx.store.get(KIND, key)
        if existing is not None:
            return JSONResponse(v2_shape(_update(ctx, key, existing, props, body)))
        location = body.get("location") if isinstance(body.get("location"), str) else workspace["location"]
        doc: dict[str, Any] = {
            "id": common.resource_id(sub, rg, ws, "computes", name),
            "name": name,
            "type": f"{ML}/workspaces/computes",
            "location": str(location).replace(" ", "").lower(),
            "tags": tags_of(body),
            "properties": props,
            "systemData": common.system_data(None, common.caller(request)),
        }
        if body.get("identity") is not None:
            identity = common.obj(body["identity"], "identity")
            doc["identity"] = {
                "type": common.choice(
                    identity.get("type"),
                    ("None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"),
                    "identity.type",
                )
            }
        ctx.store.put(KIND, key, doc)
        op = lro.begin(ctx, request, sub=sub, location=doc["location"], kind=KIND, key=key, action="create")
        return lro.created(ctx, op, v2_shape(doc))

    @handler
    async def delete_compute(request: Request) -> Response:
        sub, rg, ws, name, _ = target(request)
        common.choice(
            request.query_params.get("underlyingResourceAction"), ("Delete", "Detach"), "underlyingResourceAction"
        )
        key = common.ws_key(sub, rg, ws, name)
        doc = ctx.store.get(KIND, key)
        if doc is None:
            return Response(status_code=204)
        doc["properties"]["provisioningState"] = "Deleting"
        ctx.store.put(KIND, key, doc)
        op = lro.begin(ctx, request, sub=sub, location=doc["location"], kind=KIND, key=key, action="delete")
        return lro.accepted(ctx, op)

    return [
        route("/computes", list_computes, ["GET"], shared_with_v1="computes"),
        route("/computes/{name}", get_compute, ["GET"], shared_with_v1="computes"),
        route("/computes/{name}", put_compute, ["PUT"], shared_with_v1="computes"),
        route("/computes/{name}", delete_compute, ["DELETE"], shared_with_v1="computes"),
    ]


def _update(
    ctx: Context, key: str, doc: dict[str, Any], props: dict[str, Any], body: Mapping[str, Any]
) -> dict[str, Any]:
    """PUT of an existing compute: same type and size; scale settings, description and tags may change."""
    old = doc["properties"]
    if old.get("provisioningState") == "Deleting":
        raise ArmFailure(409, "Conflict", f"The compute '{doc['name']}' is being deleted.")
    if props["computeType"] != old.get("computeType"):
        raise ArmFailure(
            409, "Conflict", f"The compute '{doc['name']}' is a {old.get('computeType')}; its type cannot change."
        )
    new = copy.deepcopy(doc)
    if props["computeType"] == "AmlCompute":
        if props["properties"]["vmSize"].lower() != str(old["properties"]["vmSize"]).lower():
            raise bad(f"vmSize cannot change after creation (it is '{old['properties']['vmSize']}').")
        new["properties"]["properties"]["scaleSettings"] = props["properties"]["scaleSettings"]
    if "description" in props:
        new["properties"]["description"] = props["description"]
    if "tags" in body:
        new["tags"] = tags_of(dict(body))
    new["properties"]["modifiedOn"] = props["modifiedOn"]
    if new["properties"].get("provisioningState") == "Succeeded":
        new = records.succeeded(new)
    ctx.store.put(KIND, key, new)
    return new
