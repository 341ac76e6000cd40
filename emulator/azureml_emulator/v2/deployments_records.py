"""Online deployments as stored: the document a PUT makes, a PATCH's changes, and the SKUs a deployment offers.

Store kind ``v2:onlinedeployments``, keys ``sub/rg/ws/endpoint/deployment`` (cascade-deleted with the endpoint,
workspace or group). Shape: ``OnlineDeployment`` of Microsoft's 2025-12-01 spec (specification/
machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/openapi.json): a
TrackedResource whose ``properties`` are discriminated by ``endpointComputeType``. The emulator runs ``Managed``
deployments (a local worker process); ``Kubernetes`` and ``AzureMLCompute`` need a cluster and are refused.
``scaleSettings`` defaults to ``{"scaleType": "Default"}`` (azure-ai-ml reads it after every PUT and GET).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ..armcommon import ArmFailure, tags_of
from .endpoints_records import DEP_TYPE, ep_id, system_data

COMPUTE_TYPES = ("Managed", "Kubernetes", "AzureMLCompute")
_SCALE_TYPES = ("Default", "TargetUtilization")
# Fields stored as given (objects or strings the emulator records but does not act on).
_KEPT = (
    "description",
    "environmentId",
    "instanceType",
    "modelMountPath",
    "egressPublicNetworkAccess",
    "appInsightsEnabled",
    "dataCollector",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "requestSettings",
)
MAX_SCRIPT = 1024


def _bad(message: str) -> ArmFailure:
    return ArmFailure(400, "BadArgument", message)


def _str_map(raw: Any, field: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise _bad(f"'properties.{field}' must be a map of strings.")
    return {str(k): v for k, v in raw.items()}


def _code_configuration(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _bad("'properties.codeConfiguration' must be an object {codeId, scoringScript}.")
    script = raw.get("scoringScript")
    if not isinstance(script, str) or not script.strip() or len(script) > MAX_SCRIPT:
        raise _bad("'properties.codeConfiguration.scoringScript' is required: the scoring script's path in the code.")
    code_id = raw.get("codeId")
    if code_id is not None and not isinstance(code_id, str):
        raise _bad("'properties.codeConfiguration.codeId' must be a code version's ARM id.")
    return {"codeId": code_id, "scoringScript": script}


def _scale_settings(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"scaleType": "Default"}
    if not isinstance(raw, dict):
        raise _bad("'properties.scaleSettings' must be an object with a 'scaleType'.")
    kind = {t.lower(): t for t in _SCALE_TYPES}.get(str(raw.get("scaleType", "")).lower())
    if kind is None:
        raise _bad(f"'properties.scaleSettings.scaleType' must be one of {', '.join(_SCALE_TYPES)}.")
    return {**raw, "scaleType": kind}


def _sku(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"name": "Default", "capacity": 1}
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise _bad("'sku' must be an object with a string 'name'.")
    capacity = raw.get("capacity", 1)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        raise _bad("'sku.capacity' must be an integer >= 0 (the instance count).")
    return {**raw, "capacity": capacity}


def deployment_doc(
    body: dict[str, Any],
    *,
    path: tuple[str, str, str, str, str],
    old: Mapping[str, Any] | None,
    claims: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The stored deployment a PUT describes (``provisioningState`` Creating, or Updating over ``old``)."""
    sub, rg, ws, endpoint, name = path
    location = body.get("location")
    if not isinstance(location, str) or not location.strip():
        raise ArmFailure(400, "LocationRequired", "The 'location' property is required for an online deployment.")
    props = body.get("properties")
    if not isinstance(props, dict):
        raise _bad("The online deployment 'properties' object is required.")
    raw_type = props.get("endpointComputeType")
    compute = {t.lower(): t for t in COMPUTE_TYPES}.get(raw_type.lower()) if isinstance(raw_type, str) else None
    if compute is None:
        shown = str(raw_type)[:64] if raw_type is not None else "(missing)"
        raise _bad(f"'properties.endpointComputeType' must be one of {', '.join(COMPUTE_TYPES)} (got {shown}).")
    if compute != "Managed":
        raise _bad(f"endpointComputeType '{compute}' needs a Kubernetes or AzureML compute; the emulator runs Managed.")
    model = props.get("model")
    if model is not None and not isinstance(model, str):
        raise _bad("'properties.model' must be a model version's ARM id.")
    out_props: dict[str, Any] = {
        "endpointComputeType": compute,
        "codeConfiguration": _code_configuration(props.get("codeConfiguration")),
        "model": model,
        "environmentVariables": _str_map(props.get("environmentVariables"), "environmentVariables"),
        "properties": _str_map(props.get("properties"), "properties"),
        "scaleSettings": _scale_settings(props.get("scaleSettings")),
        "provisioningState": "Updating" if old is not None else "Creating",
    }
    for field in _KEPT:
        if props.get(field) is not None:
            out_props[field] = props[field]
    doc: dict[str, Any] = {
        "id": f"{ep_id(sub, rg, ws, endpoint)}/deployments/{name if old is None else old['name']}",
        "name": name if old is None else old["name"],
        "type": DEP_TYPE,
        "location": location.replace(" ", "").lower(),
        "tags": tags_of(body),
        "sku": _sku(body.get("sku")),
        "properties": out_props,
        "systemData": system_data(claims, None if old is None else old.get("systemData"), time.time()),
    }
    for field in ("kind", "identity"):
        if body.get(field) is not None:
            doc[field] = body[field]
    return doc


def patch_doc(doc: dict[str, Any], body: dict[str, Any], claims: Mapping[str, Any] | None) -> None:
    """Apply a PATCH (``PartialMinimalTrackedResourceWithSku``: ``tags``, ``sku``) to ``doc``."""
    unknown = sorted(set(body) - {"tags", "sku"})
    if unknown:
        raise _bad(f"A deployment PATCH may change only 'tags' and 'sku', not {unknown[:5]}.")
    if "tags" in body:
        doc["tags"] = tags_of(body)
    if "sku" in body:
        given = body["sku"]
        if not isinstance(given, dict):
            raise _bad("'sku' must be an object.")
        doc["sku"] = _sku({**doc.get("sku", {}), **given})
    doc["properties"]["provisioningState"] = "Updating"
    doc["systemData"] = system_data(claims, doc.get("systemData"), time.time())


def skus() -> list[dict[str, Any]]:
    """The SKUs a Managed deployment can scale to (``SkuResource``): one instance, since the emulator runs one
    worker per deployment whatever ``sku.capacity`` says."""
    return [
        {
            "resourceType": DEP_TYPE,
            "sku": {"name": "Default", "tier": "Standard"},
            "capacity": {"minimum": 1, "maximum": 1, "default": 1, "scaleType": "None"},
        }
    ]
