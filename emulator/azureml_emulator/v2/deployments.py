"""Online deployments (2025-12-01): createOrUpdate, update, get, list, delete, getLogs, skus.

Per Microsoft's 2025-12-01 spec (OnlineDeployments_*): PUT answers 201 with the deployment (``provisioningState``
Creating/Updating) and ``Azure-AsyncOperation``, final state from the original URI; the operation ends when the
scoring worker's ``init()`` returned (``v2/deployments_runtime.py``). PATCH (``tags``, ``sku``) and DELETE answer
202 with ``Location``. A deployment that still receives traffic cannot be deleted (set its ``traffic`` to 0
first, as the service asks); deleting the endpoint deletes its deployments.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from ..armcommon import ArmFailure, json_body
from ..context import Context
from . import common, lro
from .common import handler, route
from .deployments_records import deployment_doc, patch_doc, skus
from .deployments_runtime import LOG_TYPES, RUNS, runtime_of, tail
from .endpoints_records import DEP_KIND, EP_KIND, check_name, ep_key

MAX_TAIL = 10_000


def _claims(request: Request) -> dict[str, Any]:
    return dict(request.scope.get("state", {}).get("claims") or {})


def routes(ctx: Context) -> list[BaseRoute]:
    """The online deployment routes."""
    # Deleting the workspace or group (not only the deployment or its endpoint) stops the scoring worker.
    lro.register(DEP_KIND, parents=("resourcegroups", "workspaces", EP_KIND),
                 on_removed=lambda removed_ctx, key: runtime_of(removed_ctx).stop(key))
    lro.register(RUNS, parents=("resourcegroups", "workspaces", EP_KIND))
    runtime = runtime_of(ctx)

    def endpoint(request: Request) -> tuple[tuple[str, str, str, str], dict[str, Any]]:
        sub, rg, ws, _ = common.workspace(ctx, request)
        name = request.path_params["endpoint"]
        check_name(name, "online endpoint")
        doc = ctx.store.get(EP_KIND, ep_key(sub, rg, ws, name))
        if doc is None:
            raise ArmFailure(
                404, "ParentResourceNotFound", f"The online endpoint '{name}' was not found in this workspace."
            )
        return (sub, rg, ws, str(doc["name"])), doc

    def target(request: Request) -> tuple[tuple[str, str, str, str, str], str, dict[str, Any]]:
        (sub, rg, ws, ep), ep_doc = endpoint(request)
        name = request.path_params["deployment"]
        check_name(name, "online deployment")
        return (sub, rg, ws, ep, name), f"{ep_key(sub, rg, ws, ep)}/{name}", ep_doc

    def require(request: Request) -> tuple[str, dict[str, Any], dict[str, Any]]:
        path, key, ep_doc = target(request)
        doc = ctx.store.get(DEP_KIND, key)
        if doc is None:
            raise ArmFailure(404, "ResourceNotFound", f"The online deployment '{path[4]}' was not found.")
        return key, runtime.reconcile(key, doc), ep_doc

    @handler
    async def put(request: Request) -> Response:
        path, key, ep_doc = target(request)
        if ep_doc["properties"].get("provisioningState") == "Deleting":
            raise ArmFailure(409, "Conflict", f"The online endpoint '{ep_doc['name']}' is being deleted.")
        body = await json_body(request)
        old = ctx.store.get(DEP_KIND, key)
        if old is not None:
            old = runtime.reconcile(key, old)
            state = old["properties"].get("provisioningState")
            if state in ("Creating", "Updating", "Deleting"):
                raise ArmFailure(
                    409, "Conflict", f"The online deployment '{old['name']}' is {state.lower()}; wait for it."
                )
        doc = deployment_doc(body, path=path, old=old, claims=_claims(request))
        ctx.store.put(DEP_KIND, key, doc)
        op = runtime.begin(request, key, doc, fresh=old is None)
        return lro.created(ctx, op, doc)

    @handler
    async def patch(request: Request) -> Response:
        key, doc, _ = require(request)
        body = await json_body(request)
        patch_doc(doc, body, _claims(request))
        ctx.store.put(DEP_KIND, key, doc)
        op = lro.begin(
            ctx, request, sub=key.split("/")[0], location=doc["location"], kind=DEP_KIND, key=key, action="update"
        )
        return lro.accepted(ctx, op)

    @handler
    async def get(request: Request) -> Response:
        _, doc, _ = require(request)
        return JSONResponse(doc)

    @handler
    async def list_deployments(request: Request) -> Response:
        (sub, rg, ws, ep), _ = endpoint(request)
        prefix = ep_key(sub, rg, ws, ep) + "/"
        docs = [runtime.reconcile(k, d) for k in ctx.store.keys(DEP_KIND, prefix) if (d := ctx.store.get(DEP_KIND, k))]
        order = request.query_params.get("$orderBy")
        if order:
            field, _, direction = order.strip().partition(" ")
            wanted = {"createdtime": "createdAt", "modifiedtime": "lastModifiedAt", "name": None}
            if field.lower() not in wanted:
                raise common.bad("'$orderBy' must be 'createdtime', 'modifiedtime' or 'name' [asc|desc].")
            by = wanted[field.lower()]
            descending = direction.strip().lower() == "desc"
            if by:
                docs = common.by_stamp(docs, by, descending=descending)
            else:
                docs.sort(key=lambda d: str(d["name"]).lower(), reverse=descending)
        return JSONResponse(common.page(ctx, request, docs, limit=common.int_param(request, "$top")))

    @handler
    async def delete(request: Request) -> Response:
        (sub, _, _, _, name), key, ep_doc = target(request)
        doc = ctx.store.get(DEP_KIND, key)
        if doc is None:
            return Response(status_code=204)
        share = {k.lower(): v for k, v in (ep_doc["properties"].get("traffic") or {}).items()}.get(name.lower(), 0)
        if share > 0:
            raise common.bad(
                f"The online deployment '{doc['name']}' receives {share}% of the endpoint's traffic; set its traffic "
                "to 0 before deleting it."
            )
        runtime.stop(key)
        doc["properties"]["provisioningState"] = "Deleting"
        ctx.store.put(DEP_KIND, key, doc)
        op = lro.begin(ctx, request, sub=sub, location=doc["location"], kind=DEP_KIND, key=key, action="delete")
        return lro.accepted(ctx, op)

    @handler
    async def get_logs(request: Request) -> Response:
        key, _, _ = require(request)
        body = await json_body(request)
        container = common.choice(body.get("containerType"), LOG_TYPES, "containerType", "InferenceServer")
        lines = body.get("tail")
        if lines is not None and (not isinstance(lines, int) or isinstance(lines, bool) or not 0 <= lines <= MAX_TAIL):
            raise common.bad(f"'tail' must be an integer from 0 to {MAX_TAIL}.")
        return JSONResponse({"content": tail(ctx, key, container, lines)})

    @handler
    async def list_skus(request: Request) -> Response:
        require(request)
        return JSONResponse(common.page(ctx, request, skus(), limit=common.int_param(request, "count")))

    one = "/onlineEndpoints/{endpoint}/deployments/{deployment}"
    return [
        route("/onlineEndpoints/{endpoint}/deployments", list_deployments, ["GET"]),
        route(one, get, ["GET"]),
        route(one, put, ["PUT"]),
        route(one, patch, ["PATCH"]),
        route(one, delete, ["DELETE"]),
        route(one + "/getLogs", get_logs, ["POST"]),
        route(one + "/skus", list_skus, ["GET"]),
    ]
