# Generated from overlays/azureml_rest/_async/workspaces.py by `python -m tools.unasync`: do not edit.
"""Workspaces (ARM, Microsoft.MachineLearningServices 2019-11-01; CONTRIBUTING.md, "The contract in one table").

``begin_create_or_update`` polls the ``Location`` header first: the article documents the PUT's 202 + ``Location``
as where deployment problems are reported (a dependent resource with a wrong id ends the operation with a
``BadRequestError`` carrying the service's message). Without ``Location`` it falls back to
``Azure-AsyncOperation`` or to the workspace's ``provisioningState``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azureml_management_client import API_VERSION  # the generated package's default
from azureml_management_client.api.workspaces import (
    workspaces_create_or_update,
    workspaces_delete,
    workspaces_get,
    workspaces_list_by_resource_group,
    workspaces_list_by_subscription,
    workspaces_update,
)
from azureml_management_client.models import (
    Identity,
    ResourceIdentityType,
    Sku,
    Tags,
    Workspace,
    WorkspaceListResult,
    WorkspaceProperties,
    WorkspacePropertiesUpdateParameters,
    WorkspaceUpdateParameters,
)

from .._call import call, call_detailed, call_raw
from ..lro import Poller
from ..operations._common import ArmHandle, decode
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["WorkspaceOperations", "get_workspace"]



def _decode_ws(body: Any) -> Workspace:
    return decode("Workspaces_CreateOrUpdate", Workspace.from_dict, body)


def _create_body(
    *,
    location: str,
    storage_account: str,
    key_vault: str,
    application_insights: str,
    container_registry: str | None,
    friendly_name: str | None,
    description: str | None,
    sku: str | None,
    identity: str | None,
    tags: Mapping[str, str] | None,
) -> Workspace:
    props = WorkspaceProperties(storage_account=storage_account, key_vault=key_vault,
                                application_insights=application_insights)
    if container_registry is not None:
        props.container_registry = container_registry
    if friendly_name is not None:
        props.friendly_name = friendly_name
    if description is not None:
        props.description = description
    ws = Workspace(location=location, properties=props)
    if sku:
        ws.sku = Sku(name=sku, tier=sku)
    if identity:
        ws.identity = Identity(type_=ResourceIdentityType(identity))
    if tags is not None:
        ws.tags = Tags.from_dict(dict(tags))
    return ws


def _update_body(description: str | None, friendly_name: str | None, tags: Mapping[str, str] | None,
                 sku: str | None) -> WorkspaceUpdateParameters:
    body = WorkspaceUpdateParameters()
    if description is not None or friendly_name is not None:
        props = WorkspacePropertiesUpdateParameters()
        if description is not None:
            props.description = description
        if friendly_name is not None:
            props.friendly_name = friendly_name
        body.properties = props
    if tags is not None:
        body.tags = Tags.from_dict(dict(tags))
    if sku is not None:
        body.sku = Sku(name=sku, tier=sku)
    return body


def get_workspace(session: Any, subscription_id: str, resource_group: str, name: str) -> Workspace:
    """GET one workspace through a session (used by discovery)."""
    return call(Workspace, workspaces_get.sync_detailed, subscription_id, resource_group, name,
                       client=ArmHandle(session, subscription_id).client())


class WorkspaceOperations:
    """``ml.workspaces``: list, get, begin_create_or_update, update, begin_delete."""

    def __init__(self, arm: ArmHandle) -> None:
        self._arm = arm

    def list(self, resource_group: str | None = None) -> Pager[Workspace]:
        """Workspaces of the subscription, or of one resource group; follows ``nextLink``."""
        sub = self._arm.subscription_id

        def first() -> WorkspaceListResult:
            if resource_group is None:
                return call(WorkspaceListResult, workspaces_list_by_subscription.sync_detailed, sub,
                                   client=self._arm.client())
            return call(WorkspaceListResult, workspaces_list_by_resource_group.sync_detailed, sub,
                               resource_group, client=self._arm.client())

        op = "Workspaces_ListBySubscription" if resource_group is None else "Workspaces_ListByResourceGroup"
        return link_pager(op, Workspace, first, WorkspaceListResult.from_dict, self._arm)

    def get(self, resource_group: str, name: str) -> Workspace:
        """One workspace (``NotFoundError`` when absent)."""
        return call(Workspace, workspaces_get.sync_detailed, self._arm.subscription_id, resource_group,
                           name, client=self._arm.client())

    def begin_create_or_update(
        self,
        resource_group: str,
        name: str,
        *,
        location: str,
        storage_account: str,
        key_vault: str,
        application_insights: str,
        container_registry: str | None = None,
        friendly_name: str | None = None,
        description: str | None = None,
        sku: str | None = "Basic",
        identity: str | None = "SystemAssigned",
        tags: Mapping[str, str] | None = None,
    ) -> Poller[Workspace]:
        """Create or update a workspace; the four dependent resources are ARM ids (immutable once created).

        Defaults: ``sku="Basic"`` (name and tier), ``identity="SystemAssigned"``; ``None`` leaves either out.
        """
        body = _create_body(location=location, storage_account=storage_account, key_vault=key_vault,
                            application_insights=application_insights, container_registry=container_registry,
                            friendly_name=friendly_name, description=description, sku=sku, identity=identity,
                            tags=tags)
        sub, client = self._arm.subscription_id, self._arm.client()
        resp = call_detailed(workspaces_create_or_update.sync_detailed, sub, resource_group, name,
                                    client=client, body=body)

        def refresh() -> Any:
            return call_raw(workspaces_get.sync_detailed, sub, resource_group, name, client=client)

        return Poller("Workspaces_CreateOrUpdate", resp, client=self._arm.httpx_client(), method="PUT",
                           deserialize=_decode_ws, prefer="location", api_version=API_VERSION,
                           url_guard=self._arm.url_guard(), refresh=refresh)

    def update(self, resource_group: str, name: str, *, description: str | None = None,
                     friendly_name: str | None = None, tags: Mapping[str, str] | None = None,
                     sku: str | None = None) -> Workspace:
        """PATCH the changeable fields (description, friendly name, tags, sku); returns the workspace."""
        return call(Workspace, workspaces_update.sync_detailed, self._arm.subscription_id,
                           resource_group, name, client=self._arm.client(),
                           body=_update_body(description, friendly_name, tags, sku))

    def begin_delete(self, resource_group: str, name: str) -> Poller[None]:
        """Delete a workspace (200/204 at once, or 202 polled until done)."""
        sub, client = self._arm.subscription_id, self._arm.client()
        resp = call_detailed(workspaces_delete.sync_detailed, sub, resource_group, name, client=client)

        def refresh() -> Any:
            return call_raw(workspaces_get.sync_detailed, sub, resource_group, name, client=client)

        return Poller("Workspaces_Delete", resp, client=self._arm.httpx_client(), method="DELETE",
                           deserialize=lambda _b: None, api_version=API_VERSION,
                           url_guard=self._arm.url_guard(), refresh=refresh)
