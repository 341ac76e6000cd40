"""Microsoft.Resources ``Resources_List`` and ``Resources_ListByResourceGroup``: the generic resource listing.

azureml-core's ``Workspace.list(subscription_id)`` lists workspaces through it, with
``$filter=resourceType eq 'Microsoft.MachineLearningServices/workspaces'`` (azureml/_workspace/custom.py
``ml_workspace_list`` and ``list_resources_odata_filter_builder``, through azure-mgmt-resource's
``resources.list``). The emulator's top-level resources are its workspaces, so that is what is listed, in
ARM's ``GenericResourceExpanded`` shape (id, name, type, location, tags, sku, identity). The filter accepts
``resourceType eq '...'`` and ``resourceGroup eq '...'`` clauses joined by ``and`` (what the SDK builds).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .armcommon import ArmFailure, check_subscription, page, require_group
from .context import Context

_CLAUSE = re.compile(r"^\s*(?P<name>resourceType|resourceGroup)\s+eq\s+'(?P<value>[^']*)'\s*$", re.IGNORECASE)
WORKSPACE_TYPE = "Microsoft.MachineLearningServices/workspaces"


def _clauses(expr: str | None) -> dict[str, str]:
    if not expr:
        return {}
    out: dict[str, str] = {}
    for part in re.split(r"\s+and\s+", expr, flags=re.IGNORECASE):
        m = _CLAUSE.match(part)
        if m is None:
            raise ArmFailure(
                400,
                "InvalidFilterInQueryString",
                "The $filter is not supported here: use \"resourceType eq '<type>'\" and/or "
                "\"resourceGroup eq '<name>'\" joined by 'and'.",
            )
        out[m.group("name").lower()] = m.group("value").lower()
    return out


def _generic(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: doc[k] for k in ("id", "name", "type", "location", "tags", "sku", "identity") if k in doc}
    out.setdefault("tags", {})
    return out


def _resource_group_of(doc: dict[str, Any]) -> str:
    parts = str(doc.get("id", "")).split("/")
    return parts[4].lower() if len(parts) > 4 else ""


def routes(ctx: Context) -> list[BaseRoute]:
    """The generic resource listings."""

    def listing(request: Request, sub: str, rg: str | None) -> Response:
        try:
            if rg is None:
                check_subscription(ctx, sub)
            else:
                require_group(ctx, sub, rg)
            wanted = _clauses(request.query_params.get("$filter"))
            if "resourcegroup" in wanted:
                rg = rg or wanted["resourcegroup"]
            items = ctx.store.list("workspaces", f"{sub}/")
            if wanted.get("resourcetype", WORKSPACE_TYPE.lower()) != WORKSPACE_TYPE.lower():
                items = []
            if rg is not None:
                items = [d for d in items if _resource_group_of(d) == rg.lower()]
            return JSONResponse(page(ctx, request, [_generic(d) for d in items]))
        except ArmFailure as f:
            return f.response()

    async def list_sub(request: Request) -> Response:
        return listing(request, request.path_params["sub"], None)

    async def list_group(request: Request) -> Response:
        return listing(request, request.path_params["sub"], request.path_params["rg"])

    return [
        Route("/subscriptions/{sub}/resources", list_sub, methods=["GET"]),
        Route("/subscriptions/{sub}/resourceGroups/{rg}/resources", list_group, methods=["GET"]),
    ]
