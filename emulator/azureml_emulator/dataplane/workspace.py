"""Resolve the workspace named by a data-plane path (history, execution, model management)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from ..context import Context

WS_SEGMENT = (
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
    "/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}"
)
# Model management names the same parameters resourceGroup / workspace (specs/README.md, Model management:
# "path parameter names").
MMS_SEGMENT = (
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}"
    "/providers/Microsoft.MachineLearningServices/workspaces/{workspace}"
)
PREFIX_HISTORY = "/history/v1.0" + WS_SEGMENT
PREFIX_EXECUTION = "/execution/v1.0" + WS_SEGMENT
PREFIX_MMS = "/modelmanagement/v1.0" + MMS_SEGMENT


@dataclass(frozen=True)
class Workspace:
    """A workspace that exists in the store; ``key`` is the store key ``sub/rg/ws``."""

    subscription_id: str
    resource_group: str
    name: str
    doc: dict[str, Any]

    @property
    def key(self) -> str:
        """The store key of the workspace (also the prefix of every data-plane key in it)."""
        return f"{self.subscription_id}/{self.resource_group}/{self.name}"

    def child(self, *parts: str) -> str:
        """A store key below this workspace."""
        return "/".join((self.key, *parts))

    def history_path(self) -> str:
        """The P prefix of this workspace (CONTRIBUTING.md)."""
        return (
            f"/history/v1.0/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{self.name}"
        )

    def mms_path(self) -> str:
        """The M prefix of this workspace (CONTRIBUTING.md)."""
        return (
            f"/modelmanagement/v1.0/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{self.name}"
        )


def find_workspace(ctx: Context, request: Request) -> Workspace | None:
    """The workspace named by the request path, or None when it does not exist in the store."""
    params = request.path_params
    sub = str(params.get("subscriptionId", ""))
    rg = str(params.get("resourceGroupName", params.get("resourceGroup", "")))
    ws = str(params.get("workspaceName", params.get("workspace", "")))
    if not (sub and rg and ws):
        return None
    doc = ctx.store.get("workspaces", f"{sub}/{rg}/{ws}")
    if doc is None:
        return None
    # Keep the names as the workspace was created (ARM names are case-insensitive, documents keep case).
    ids = str(doc.get("id", "")).split("/")
    name = str(doc.get("name") or ws)
    rg_name = ids[4] if len(ids) > 4 and ids[4].lower() == rg.lower() else rg
    sub_id = ids[2] if len(ids) > 2 and ids[2].lower() == sub.lower() else sub
    return Workspace(sub_id, rg_name, name, doc)


def not_found_message(request: Request) -> str:
    """A 404 message naming the workspace from the path."""
    params = request.path_params
    rg = params.get("resourceGroupName", params.get("resourceGroup", ""))
    ws = params.get("workspaceName", params.get("workspace", ""))
    return (
        f"Workspace '{ws}' was not found in resource group '{rg}' of subscription '{params.get('subscriptionId', '')}'."
    )
