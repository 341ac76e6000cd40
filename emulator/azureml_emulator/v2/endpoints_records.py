"""Online endpoints as stored: kinds and keys, name rules, the document a PUT makes, the view a GET answers.

Store kinds (keys ``sub/rg/ws/endpoint``, cascade-deleted with their workspace or group, see ``v2/lro.py``):

- ``v2:onlineendpoints``: the ARM resource exactly as GET and the operation's ``Location`` answer it, so it holds
  no secret;
- ``v2:onlineendpointkeys``: the endpoint's ``primaryKey``/``secondaryKey`` and its ``uid`` (an id of this
  incarnation of the endpoint, carried by its AML tokens so a token outlives neither a delete nor a re-create).

Shapes: ``OnlineEndpoint`` of Microsoft's 2025-12-01 spec (specification/machinelearningservices/
resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/openapi.json, OnlineEndpoint and
OnlineEndpointProperties): a TrackedResource (``location`` required) whose ``properties.authMode`` is required
(``AMLToken``, ``Key``, ``AADToken``); ``scoringUri``, ``swaggerUri`` and ``provisioningState`` are read-only;
``keys`` is write-only on create.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections.abc import Mapping
from typing import Any

from ..armcommon import ML, ArmFailure, tags_of, ws_id
from ..context import Context
from ..timeutil import iso

EP_KIND = "v2:onlineendpoints"
KEYS_KIND = "v2:onlineendpointkeys"
DEP_KIND = "v2:onlinedeployments"
EP_TYPE = f"{ML}/workspaces/onlineEndpoints"
DEP_TYPE = f"{EP_TYPE}/deployments"
AUTH_MODES = ("Key", "AMLToken", "AADToken")
# Microsoft Learn, "Manage and increase quotas ... for Azure Machine Learning" (endpoint and deployment limits):
# names start with a letter, hold letters, digits and '-', 3-32 characters, and do not end with '-'.
# (The 2025-12-01 spec itself declares no pattern for endpointName/deploymentName.)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$")
MAX_KEY_LENGTH = 256


def check_name(name: str, what: str) -> None:
    """400 when ``name`` breaks the service's naming rules (this also keeps traversal out of keys and paths)."""
    if not _NAME.match(name):
        shown = name[:64].encode("unicode_escape").decode("ascii")
        raise ArmFailure(
            400,
            "InvalidResourceName",
            f"The {what} name '{shown}' is invalid: use 3-32 letters, digits and '-', starting with a letter "
            "and not ending with '-'.",
        )


def ep_key(sub: str, rg: str, ws: str, endpoint: str) -> str:
    """The store key of an endpoint (and of its keys record)."""
    return f"{sub}/{rg}/{ws}/{endpoint}"


def ep_id(sub: str, rg: str, ws: str, endpoint: str) -> str:
    """The ARM id of an endpoint."""
    return f"{ws_id(sub, rg, ws)}/onlineEndpoints/{endpoint}"


def new_key() -> str:
    """A fresh endpoint key (32 random bytes, URL-safe Base64, as long as the service's)."""
    return secrets.token_urlsafe(32)


def system_data(claims: Mapping[str, Any] | None, old: Mapping[str, Any] | None, now: float) -> dict[str, Any]:
    """ARM ``systemData``: who created and last changed the resource (the token's app id), and when."""
    who = str((claims or {}).get("appid") or (claims or {}).get("oid") or "unknown")
    kind = "Application" if (claims or {}).get("appid") else "User"
    created = dict(old) if isinstance(old, Mapping) and old.get("createdAt") else None
    data = created or {"createdAt": iso(now), "createdBy": who, "createdByType": kind}
    data.update(lastModifiedAt=iso(now), lastModifiedBy=who, lastModifiedByType=kind)
    return data


def scoring_uri(ctx: Context, endpoint: str) -> str:
    """Where the endpoint scores: on the emulator's own port (the service's is ``https://{name}.{region}.
    inference.ml.azure.com/score``; a path keeps it on loopback with no name resolution needed)."""
    return f"{ctx.base_url}/online/{endpoint.lower()}/score"


def _int_map(raw: Any, field: str, *, limit: int) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ArmFailure(400, "BadArgument", f"'properties.{field}' must be a map of deployment names to integers.")
    out: dict[str, int] = {}
    for name, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            raise ArmFailure(
                400, "BadArgument", f"'properties.{field}' values must be integers from 0 to {limit} (percent)."
            )
        out[str(name)] = value
    return out


def check_traffic(traffic: Mapping[str, int], deployments: Mapping[str, str], field: str = "traffic") -> dict[str, int]:
    """``traffic`` with names in the deployments' own spelling; 400 for unknown names or a bad sum.

    ``deployments`` maps lower-cased names to names. The service routes ``traffic`` by weight, so its values
    must add up to 100 (or all be 0: no traffic); ``mirrorTraffic`` copies at most 50 percent per deployment.
    """
    out: dict[str, int] = {}
    for name, value in traffic.items():
        canon = deployments.get(name.lower())
        if canon is None:
            raise ArmFailure(
                400,
                "BadArgument",
                f"'properties.{field}' names deployment '{name[:64]}', which this endpoint does not have; "
                "create the deployment first.",
            )
        out[canon] = value
    total = sum(out.values())
    if field == "traffic" and total not in (0, 100):
        raise ArmFailure(
            400, "BadArgument", f"'properties.traffic' values must add up to 100 (they add up to {total})."
        )
    return out


def _identity(raw: Any, tenant: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise ArmFailure(400, "BadArgument", "'identity' must be an object with a string 'type'.")
    kind = raw["type"]
    known = {t.lower(): t for t in ("None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned")}
    canon = known.get(kind.replace(" ", "").lower())
    if canon is None:
        raise ArmFailure(
            400, "BadArgument", f"identity.type '{kind[:64]}' is not supported; use one of {', '.join(known.values())}."
        )
    out: dict[str, Any] = {"type": canon}
    if "SystemAssigned" in canon:
        out.update(principalId=str(uuid.uuid4()), tenantId=tenant)
    users = raw.get("userAssignedIdentities")
    if isinstance(users, dict):
        out["userAssignedIdentities"] = {
            str(k): {"principalId": str(uuid.uuid4()), "clientId": str(uuid.uuid4())} for k in users
        }
    return out


def _auth_mode(raw: Any) -> str:
    canon = {m.lower(): m for m in AUTH_MODES}.get(raw.lower()) if isinstance(raw, str) else None
    if canon is None:
        shown = str(raw)[:64] if raw is not None else "(missing)"
        raise ArmFailure(
            400,
            "BadArgument",
            f"'properties.authMode' is required and must be one of {', '.join(AUTH_MODES)} (got {shown}).",
        )
    return canon


def given_keys(props: Mapping[str, Any]) -> dict[str, str]:
    """The write-only ``properties.keys`` of a create (either key may be given), checked."""
    raw = props.get("keys")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ArmFailure(400, "BadArgument", "'properties.keys' must be an object {primaryKey, secondaryKey}.")
    out: dict[str, str] = {}
    for name in ("primaryKey", "secondaryKey"):
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_KEY_LENGTH or not value.isprintable():
            raise ArmFailure(
                400, "BadArgument", f"'properties.keys.{name}' must be 1-{MAX_KEY_LENGTH} printable characters."
            )
        out[name] = value
    return out


def endpoint_doc(
    ctx: Context,
    body: dict[str, Any],
    *,
    path: tuple[str, str, str, str],
    old: dict[str, Any] | None,
    deployments: Mapping[str, str],
    claims: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The stored endpoint a PUT describes (``provisioningState`` Creating, or Updating over ``old``)."""
    sub, rg, ws, name = path
    location = body.get("location")
    if not isinstance(location, str) or not location.strip():
        raise ArmFailure(400, "LocationRequired", "The 'location' property is required for an online endpoint.")
    props = body.get("properties")
    if not isinstance(props, dict):
        raise ArmFailure(400, "BadArgument", "The online endpoint 'properties' object is required.")
    now = time.time()
    out_props: dict[str, Any] = {
        "authMode": _auth_mode(props.get("authMode")),
        "traffic": check_traffic(_int_map(props.get("traffic"), "traffic", limit=100), deployments),
        "mirrorTraffic": check_traffic(
            _int_map(props.get("mirrorTraffic"), "mirrorTraffic", limit=50), deployments, "mirrorTraffic"
        ),
        "scoringUri": scoring_uri(ctx, name),
        "provisioningState": "Updating" if old is not None else "Creating",
    }
    for field in ("description", "compute", "publicNetworkAccess"):
        value = props.get(field)
        if value is not None and not isinstance(value, str):
            raise ArmFailure(400, "BadArgument", f"'properties.{field}' must be a string.")
        if value is not None:
            out_props[field] = value
    extra = props.get("properties")
    if extra is not None:
        if not isinstance(extra, dict) or not all(isinstance(v, str) for v in extra.values()):
            raise ArmFailure(400, "BadArgument", "'properties.properties' must be a map of strings.")
        out_props["properties"] = {str(k): v for k, v in extra.items()}
    doc: dict[str, Any] = {
        "id": ep_id(sub, rg, ws, name if old is None else str(old["name"])),
        "name": name if old is None else old["name"],
        "type": EP_TYPE,
        "location": location.replace(" ", "").lower(),
        "tags": tags_of(body),
        "properties": out_props,
        "systemData": system_data(claims, None if old is None else old.get("systemData"), now),
    }
    identity = _identity(body.get("identity"), ctx.config.tenant_id)
    if identity is not None:
        doc["identity"] = identity
    for field in ("kind", "sku"):
        if body.get(field) is not None:
            doc[field] = body[field]
    return doc


def patch_doc(ctx: Context, doc: dict[str, Any], body: dict[str, Any], claims: Mapping[str, Any] | None) -> None:
    """Apply a PATCH (``PartialMinimalTrackedResourceWithIdentity``: ``tags``, ``identity``) to ``doc``."""
    unknown = sorted(set(body) - {"tags", "identity"})
    if unknown:
        raise ArmFailure(
            400, "BadArgument", f"An endpoint PATCH may change only 'tags' and 'identity', not {unknown[:5]}."
        )
    if "tags" in body:
        doc["tags"] = tags_of(body)
    if "identity" in body:
        identity = _identity(body["identity"], ctx.config.tenant_id)
        if identity is None:
            doc.pop("identity", None)
        else:
            doc["identity"] = identity
    doc["properties"]["provisioningState"] = "Updating"
    doc["systemData"] = system_data(claims, doc.get("systemData"), time.time())


def view(ctx: Context, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The endpoint as GET answers it (the scoring URI follows the emulator's current address)."""
    out = dict(doc)
    props = dict(out.get("properties") or {})
    props["scoringUri"] = scoring_uri(ctx, str(out["name"]))
    out["properties"] = props
    return out


def find_by_name(ctx: Context, name: str) -> tuple[str, Mapping[str, Any]] | None:
    """``(store key, document)`` of the endpoint called ``name`` (names are unique per emulator, as the service
    makes them unique per region), or None."""
    low = name.lower()
    for doc in ctx.store.scan(EP_KIND):
        if str(doc.get("name", "")).lower() == low:
            parts = str(doc["id"]).split("/")
            return ep_key(parts[2], parts[4], parts[8], str(doc["name"])), doc
    return None
