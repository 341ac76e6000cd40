"""Workspaces in the 2025-12-01 shape (Workspaces_Get, _ListByResourceGroup, _ListBySubscription).

The workspaces are the v1 store's (``arm_workspaces.py`` creates, updates and deletes them; there is one store):
this module only answers reads made with a v2 api-version, adding what azure-ai-ml reads from a workspace
(``discoveryUrl`` for run history, ``mlFlowTrackingUri``, ``storageAccount`` for its datastores, ``workspaceId``,
``location`` copied into compute and endpoint bodies, ...). Fields per the 2025-12-01 WorkspaceProperties
(specification/machinelearningservices/.../stable/2025-12-01/openapi.json; azure-ai-ml 1.35's
``_restclient/arm_ml_service/models/_models.py`` ``WorkspaceProperties``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import apiversions
from ..armcommon import ML, check_subscription, require_group
from ..context import Context
from . import common
from .common import VersionedRoute, handler

KIND = "workspaces"  # the v1 store kind


def v2_shape(ctx: Context, doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored workspace as 2025-12-01 answers it (URLs follow the emulator's current base URL)."""
    out = copy.deepcopy(dict(doc))
    props: dict[str, Any] = out.setdefault("properties", {})
    netloc = urlsplit(ctx.base_url).netloc
    out.setdefault("kind", "Default")
    out.setdefault("tags", {})
    out.setdefault("sku", {"name": "Basic", "tier": "Basic"})
    out.setdefault("identity", {"type": "None"})
    out["systemData"] = common.system_data(None, ctx.config.client_id) | {
        "createdAt": props.get("creationTime"),
        "lastModifiedAt": props.get("creationTime"),
    }
    props["discoveryUrl"] = f"{ctx.base_url}/discovery"
    # The service's form is azureml://{region}.api.azureml.ms/mlflow/v1.0{workspace id}; here the region host is
    # the emulator's own host and port.
    props["mlFlowTrackingUri"] = f"azureml://{netloc}/mlflow/v1.0{doc['id']}"
    props["tenantId"] = ctx.config.tenant_id
    defaults: dict[str, Any] = {
        "allowPublicAccessWhenBehindVnet": False,
        "enableDataIsolation": False,
        "hbiWorkspace": False,
        "v1LegacyMode": False,
        "publicNetworkAccess": "Enabled",
        "storageHnsEnabled": False,
        "systemDatastoresAuthMode": "AccessKey",
        "privateLinkCount": 0,
        "privateEndpointConnections": [],
        "sharedPrivateLinkResources": [],
        "associatedWorkspaces": [],
        "serviceProvisionedResourceGroup": f"azureml-rg-{doc['name']}_{props.get('workspaceId', '')}",
    }
    for name, value in defaults.items():
        props.setdefault(name, value)
    return out


def routes(ctx: Context) -> list[BaseRoute]:
    """Workspace reads with a v2 api-version (other versions fall through to ``arm_workspaces``)."""
    versions = apiversions.V2_VERSIONS["workspaces"]

    @handler
    async def get_ws(request: Request) -> Response:
        _, _, _, doc = common.workspace(ctx, request)
        return JSONResponse(v2_shape(ctx, doc))

    @handler
    async def list_by_group(request: Request) -> Response:
        sub, rg = request.path_params["sub"], request.path_params["rg"]
        require_group(ctx, sub, rg)
        docs = [v2_shape(ctx, d) for d in ctx.store.scan(KIND, f"{sub}/{rg}/")]
        return JSONResponse(common.page(ctx, request, _kind_filter(request, docs)))

    @handler
    async def list_by_sub(request: Request) -> Response:
        sub = request.path_params["sub"]
        check_subscription(ctx, sub)
        docs = [v2_shape(ctx, d) for d in ctx.store.scan(KIND, f"{sub}/")]
        return JSONResponse(common.page(ctx, request, _kind_filter(request, docs)))

    rg_base = f"/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/{ML}/workspaces"
    return [
        VersionedRoute(common.WS, get_ws, methods=["GET"], versions=versions),
        VersionedRoute(rg_base, list_by_group, methods=["GET"], versions=versions),
        VersionedRoute(
            f"/subscriptions/{{sub}}/providers/{ML}/workspaces", list_by_sub, methods=["GET"], versions=versions
        ),
    ]


def _kind_filter(request: Request, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``kind`` query parameter (Default, Hub, Project, FeatureStore) filters the list."""
    kind = request.query_params.get("kind")
    if not kind:
        return docs
    return [d for d in docs if str(d.get("kind", "")).lower() == kind.lower()]
