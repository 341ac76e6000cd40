# Generated from overlays/azureml_rest/_async/computes.py by `python -m tools.unasync`: do not edit.
"""Computes of a workspace (ARM ``MachineLearningCompute_*``; CONTRIBUTING.md): AmlCompute clusters by default.

Create answers 200, or 201 + ``Azure-AsyncOperation`` with ``provisioningState: Creating``; delete 200, or
202 + ``Azure-AsyncOperation`` and ``Location``. Both are returned as pollers. The administrator password, if
given, goes inside ``properties.properties.userAccountCredentials`` (where Microsoft's
``machineLearningServices.json`` puts it, unlike the article's body; specs/README.md, "Compute PUT
userAccountCredentials") and is never logged.
"""

from __future__ import annotations

from typing import Any

from azureml_management_client import API_VERSION  # the generated package's default
from azureml_management_client.api.computes import (
    machine_learning_compute_create_or_update,
    machine_learning_compute_delete,
    machine_learning_compute_get,
    machine_learning_compute_list_by_workspace,
)
from azureml_management_client.models import (
    Compute,
    ComputeProperties,
    ComputeResource,
    ComputeType,
    PaginatedComputeResourcesList,
    ScaleSettings,
    UnderlyingResourceAction,
    UserAccountCredentials,
    VmPriority,
)

from .._call import call, call_detailed, call_raw
from ..lro import Poller
from ..operations._common import decode, text
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["ComputeOperations"]

_MGMT = "management"


def _decode(body: Any) -> ComputeResource:
    return decode("MachineLearningCompute_CreateOrUpdate", ComputeResource.from_dict, body)


def _aml_compute_body(
    location: str,
    *,
    vm_size: str,
    min_nodes: int,
    max_nodes: int,
    vm_priority: str,
    idle_time_before_scale_down: str | None,
    admin_username: str | None,
    admin_password: str | None,
    description: str | None,
) -> ComputeResource:
    scale = ScaleSettings(max_node_count=max_nodes, min_node_count=min_nodes)
    if idle_time_before_scale_down is not None:
        scale.node_idle_time_before_scale_down = idle_time_before_scale_down
    props = ComputeProperties(vm_size=vm_size, vm_priority=VmPriority(vm_priority), scale_settings=scale)
    if admin_username is not None:
        creds = UserAccountCredentials(admin_user_name=admin_username)
        if admin_password is not None:
            creds.admin_user_password = admin_password
        props.user_account_credentials = creds
    compute = Compute(compute_type=ComputeType.AMLCOMPUTE, properties=props)
    if description is not None:
        compute.description = description
    return ComputeResource(location=location, properties=compute)


class ComputeOperations:
    """``ws.computes``: list, get, begin_create_or_update (AmlCompute), begin_delete."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def list(self) -> Pager[ComputeResource]:
        """The workspace's computes; follows ``nextLink``."""
        sub, rg, name = self._ws.ids

        def first() -> PaginatedComputeResourcesList:
            return call(PaginatedComputeResourcesList,
                               machine_learning_compute_list_by_workspace.sync_detailed, sub, rg, name,
                               client=self._ws.client(_MGMT))

        return link_pager("MachineLearningCompute_ListByWorkspace", ComputeResource, first,
                          PaginatedComputeResourcesList.from_dict, self._ws, _MGMT)

    def get(self, compute_name: str) -> ComputeResource:
        """One compute (``NotFoundError`` when absent)."""
        sub, rg, name = self._ws.ids
        return call(ComputeResource, machine_learning_compute_get.sync_detailed, sub, rg, name,
                           compute_name, client=self._ws.client(_MGMT))

    def begin_create_or_update(
        self,
        compute_name: str,
        *,
        vm_size: str = "STANDARD_D1_V2",
        min_nodes: int = 0,
        max_nodes: int = 1,
        vm_priority: str = "Dedicated",
        idle_time_before_scale_down: str | None = "PT30M",
        location: str | None = None,
        admin_username: str | None = None,
        admin_password: str | None = None,
        description: str | None = None,
    ) -> Poller[ComputeResource]:
        """Create or update an AmlCompute cluster. ``location`` defaults to the workspace's (one extra GET).

        Defaults: ``vm_size="STANDARD_D1_V2"``, ``min_nodes=0``, ``max_nodes=1``, ``vm_priority="Dedicated"``,
        ``idle_time_before_scale_down="PT30M"``.
        """
        sub, rg, name = self._ws.ids
        loc = location or text(self._ws.get().location)
        if not loc:
            raise ValueError("location is required (the workspace has none)")
        body = _aml_compute_body(loc, vm_size=vm_size, min_nodes=min_nodes, max_nodes=max_nodes,
                                 vm_priority=vm_priority, idle_time_before_scale_down=idle_time_before_scale_down,
                                 admin_username=admin_username, admin_password=admin_password,
                                 description=description)
        client = self._ws.client(_MGMT)
        resp = call_detailed(machine_learning_compute_create_or_update.sync_detailed, sub, rg, name,
                                    compute_name, client=client, body=body)

        def refresh() -> Any:
            return call_raw(machine_learning_compute_get.sync_detailed, sub, rg, name, compute_name,
                                   client=client)

        return Poller("MachineLearningCompute_CreateOrUpdate", resp, client=self._ws.httpx_client(_MGMT),
                           method="PUT", deserialize=_decode, api_version=API_VERSION,
                           url_guard=self._ws.url_guard(_MGMT), refresh=refresh)

    def begin_delete(self, compute_name: str, underlying_resource_action: str = "Delete") -> Poller[None]:
        """Delete (``"Delete"``, default: the cluster too) or detach (``"Detach"``) a compute."""
        sub, rg, name = self._ws.ids
        client = self._ws.client(_MGMT)
        resp = call_detailed(machine_learning_compute_delete.sync_detailed, sub, rg, name, compute_name,
                                    client=client,
                                    underlying_resource_action=UnderlyingResourceAction(underlying_resource_action))

        def refresh() -> Any:
            return call_raw(machine_learning_compute_get.sync_detailed, sub, rg, name, compute_name,
                                   client=client)

        return Poller("MachineLearningCompute_Delete", resp, client=self._ws.httpx_client(_MGMT),
                           method="DELETE", deserialize=lambda _b: None, api_version=API_VERSION,
                           url_guard=self._ws.url_guard(_MGMT), refresh=refresh)
