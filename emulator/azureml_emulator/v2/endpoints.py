"""Online endpoints (2025-12-01): createOrUpdate, update, get, list, delete, listKeys, regenerateKeys, token.

Long-running operations as Microsoft's 2025-12-01 spec declares them (specification/machinelearningservices/
resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/openapi.json, OnlineEndpoints_*): PUT answers
201 with the endpoint (``provisioningState`` Creating/Updating) and ``Azure-AsyncOperation`` (final state from the
original URI: clients GET the endpoint at the end); PATCH, DELETE and regenerateKeys answer 202 with ``Location``.
``v2/lro.py`` sends both headers on every one, as the service's examples show.

Behaviour the service has and the emulator keeps: ``traffic`` may only name deployments the endpoint has and adds
up to 100 (or 0); endpoint names are unique per region (here: per emulator), since the scoring host is named after
the endpoint; a key regenerated takes effect at once; ``listKeys``/``regenerateKeys`` serve ``Key`` endpoints and
``token`` serves ``AMLToken`` endpoints (azure-ai-ml asks for keys or a token by ``authMode``:
``_online_endpoint_operations.py`` ``_get_online_credentials``). ``regenerateKeys`` with a ``keyValue`` equal to
the current key makes a fresh one: azure-ai-ml's ``begin_regenerate_keys`` sends the current key as ``keyValue``
(``_regenerate_online_keys``), so reading it literally would make that call a no-op.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from ..armcommon import ArmFailure, json_body
from ..context import Context
from . import common, lro
from .common import handler, route
from .deployments_runtime import runtime_of
from .endpoints_auth import issue_token
from .endpoints_records import (
    DEP_KIND,
    EP_KIND,
    KEYS_KIND,
    MAX_KEY_LENGTH,
    check_name,
    endpoint_doc,
    ep_key,
    find_by_name,
    given_keys,
    new_key,
    patch_doc,
    view,
)

_ORDER = {
    "CreatedAtDesc": ("createdAt", True),
    "CreatedAtAsc": ("createdAt", False),
    "UpdatedAtDesc": ("lastModifiedAt", True),
    "UpdatedAtAsc": ("lastModifiedAt", False),
}


def _forget_keys(ctx: Context, key: str, action: str) -> None:
    if action == "delete":
        ctx.store.delete(KEYS_KIND, key)


def deployment_names(ctx: Context, key: str) -> dict[str, str]:
    """The endpoint's deployments: lower-cased name -> name."""
    return {str(d["name"]).lower(): str(d["name"]) for d in ctx.store.scan(DEP_KIND, key + "/")}


def _claims(request: Request) -> dict[str, Any]:
    return dict(request.scope.get("state", {}).get("claims") or {})


def routes(ctx: Context) -> list[BaseRoute]:
    """The online endpoint routes."""
    lro.register(EP_KIND, on_succeeded=_forget_keys)
    lro.register(KEYS_KIND)
    runtime = runtime_of(ctx)

    def target(request: Request) -> tuple[str, str, str, str, dict[str, Any]]:
        sub, rg, ws, ws_doc = common.workspace(ctx, request)
        name = request.path_params["endpoint"]
        check_name(name, "online endpoint")
        return sub, rg, ws, name, ws_doc

    def require(request: Request) -> tuple[str, dict[str, Any]]:
        sub, rg, ws, name, _ = target(request)
        key = ep_key(sub, rg, ws, name)
        doc = ctx.store.get(EP_KIND, key)
        if doc is None:
            raise ArmFailure(404, "ResourceNotFound", f"The online endpoint '{name}' was not found in this workspace.")
        return key, doc

    def require_keys(request: Request, doc: dict[str, Any], key: str) -> dict[str, Any]:
        mode = doc["properties"]["authMode"]
        if mode != "Key":
            raise common.bad(f"The online endpoint '{doc['name']}' uses authMode {mode}; keys serve authMode Key only.")
        return ctx.store.get(KEYS_KIND, key) or {}

    @handler
    async def put(request: Request) -> Response:
        sub, rg, ws, name, _ = target(request)
        body = await json_body(request)
        key = ep_key(sub, rg, ws, name)
        old = ctx.store.get(EP_KIND, key)
        if old is not None and old["properties"].get("provisioningState") == "Deleting":
            raise ArmFailure(409, "Conflict", f"The online endpoint '{name}' is being deleted.")
        taken = find_by_name(ctx, name)
        if taken is not None and taken[0].lower() != key.lower():
            raise ArmFailure(
                409,
                "Conflict",
                f"An online endpoint named '{name}' already exists in this region (in another workspace); "
                "endpoint names are unique per region because the scoring host is named after them.",
            )
        doc = endpoint_doc(
            ctx,
            body,
            path=(sub, rg, ws, name),
            old=old,
            deployments=deployment_names(ctx, key),
            claims=_claims(request),
        )
        if old is None:
            keys = {"primaryKey": new_key(), "secondaryKey": new_key(), "uid": str(uuid.uuid4())}
            keys.update(given_keys(body["properties"]))
            ctx.store.put(KEYS_KIND, key, keys)
        ctx.store.put(EP_KIND, key, doc)
        op = lro.begin(
            ctx,
            request,
            sub=sub,
            location=doc["location"],
            kind=EP_KIND,
            key=key,
            action="create" if old is None else "update",
        )
        return lro.created(ctx, op, view(ctx, doc))

    @handler
    async def patch(request: Request) -> Response:
        key, doc = require(request)
        body = await json_body(request)
        patch_doc(ctx, doc, body, _claims(request))
        ctx.store.put(EP_KIND, key, doc)
        op = lro.begin(
            ctx, request, sub=key.split("/")[0], location=doc["location"], kind=EP_KIND, key=key, action="update"
        )
        return lro.accepted(ctx, op)

    @handler
    async def get(request: Request) -> Response:
        _, doc = require(request)
        return JSONResponse(view(ctx, doc))

    @handler
    async def list_endpoints(request: Request) -> Response:
        sub, rg, ws, _ = common.workspace(ctx, request)
        docs = [view(ctx, d) for d in ctx.store.scan(EP_KIND, ep_key(sub, rg, ws, ""))]
        q = request.query_params
        if q.get("name"):
            docs = [d for d in docs if str(d["name"]).lower() == q["name"].lower()]
        if q.get("computeType"):
            compute = common.choice(q["computeType"], ("Managed", "Kubernetes", "AzureMLCompute"), "computeType")
            docs = [d for d in docs if compute == "Managed"]  # every endpoint here is Managed
        for tag in filter(None, (q.get("tags") or "").split(",")):
            name, has_value, value = tag.partition("=")
            docs = [d for d in docs if name in d["tags"] and (not has_value or d["tags"][name] == value)]
        order = q.get("orderBy")
        if order:
            field, desc = _ORDER[common.choice(order, tuple(_ORDER), "orderBy")]
            docs = common.by_stamp(docs, field, descending=desc)
        return JSONResponse(common.page(ctx, request, docs, limit=common.int_param(request, "count")))

    @handler
    async def delete(request: Request) -> Response:
        sub, rg, ws, name, _ = target(request)
        key = ep_key(sub, rg, ws, name)
        doc = ctx.store.get(EP_KIND, key)
        if doc is None:
            return Response(status_code=204)
        for dep_key in ctx.store.keys(DEP_KIND, key + "/"):
            runtime.stop(dep_key)
            dep = ctx.store.get(DEP_KIND, dep_key)
            if dep is not None:
                dep["properties"]["provisioningState"] = "Deleting"
                ctx.store.put(DEP_KIND, dep_key, dep)
        ctx.store.delete(KEYS_KIND, key)  # the endpoint stops answering at once
        doc["properties"]["provisioningState"] = "Deleting"
        ctx.store.put(EP_KIND, key, doc)
        op = lro.begin(ctx, request, sub=sub, location=doc["location"], kind=EP_KIND, key=key, action="delete")
        return lro.accepted(ctx, op)

    @handler
    async def list_keys(request: Request) -> Response:
        key, doc = require(request)
        keys = require_keys(request, doc, key)
        return JSONResponse({"primaryKey": keys.get("primaryKey"), "secondaryKey": keys.get("secondaryKey")})

    @handler
    async def regenerate_keys(request: Request) -> Response:
        key, doc = require(request)
        keys = require_keys(request, doc, key)
        body = await json_body(request)
        which = common.choice(body.get("keyType"), ("Primary", "Secondary"), "keyType")
        field = "primaryKey" if which == "Primary" else "secondaryKey"
        value = body.get("keyValue")
        if value is not None and (
            not isinstance(value, str) or not 1 <= len(value) <= MAX_KEY_LENGTH or not value.isprintable()
        ):
            raise common.bad(f"'keyValue' must be 1-{MAX_KEY_LENGTH} printable characters.")
        keys[field] = value if value is not None and value != keys.get(field) else new_key()
        ctx.store.put(KEYS_KIND, key, keys)
        op = lro.begin(
            ctx, request, sub=key.split("/")[0], location=doc["location"], kind=EP_KIND, key=key, action="update"
        )
        return lro.accepted(ctx, op)

    @handler
    async def token(request: Request) -> Response:
        key, doc = require(request)
        mode = doc["properties"]["authMode"]
        if mode != "AMLToken":
            raise common.bad(
                f"The online endpoint '{doc['name']}' uses authMode {mode}; tokens serve authMode AMLToken."
            )
        keys = ctx.store.get(KEYS_KIND, key) or {}
        return JSONResponse(issue_token(ctx, key, str(keys.get("uid", ""))))

    one = "/onlineEndpoints/{endpoint}"
    return [
        route("/onlineEndpoints", list_endpoints, ["GET"]),
        route(one, get, ["GET"]),
        route(one, put, ["PUT"]),
        route(one, patch, ["PATCH"]),
        route(one, delete, ["DELETE"]),
        route(one + "/listKeys", list_keys, ["POST"]),
        route(one + "/regenerateKeys", regenerate_keys, ["POST"]),
        route(one + "/token", token, ["POST"]),
    ]
