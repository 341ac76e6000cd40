# Generated from overlays/azureml_rest/_async/resource_groups.py by `python -m tools.unasync`: do not edit.
"""Resource groups (Microsoft.Resources; api-version 2019-10-01 by default: specs/README.md, cross-cutting)."""

from __future__ import annotations

from typing import Any

from azureml_management_client.api.resource_groups import (
    resource_groups_create_or_update,
    resource_groups_delete,
    resource_groups_get,
    resource_groups_list,
)
from azureml_management_client.models import ResourceGroup, ResourceGroupListResult, Tags

from .._call import call, call_detailed
from ..lro import Poller
from ..operations._common import ArmHandle
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["ResourceGroupOperations"]


def _body(location: str, tags: dict[str, str] | None) -> ResourceGroup:
    rg = ResourceGroup(location=location)
    if tags is not None:
        rg.tags = Tags.from_dict(tags)
    return rg


def _list_kw(filter: str | None, top: int | None) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if filter is not None:
        kw["filter_"] = filter
    if top is not None:
        kw["top"] = top
    return kw


class ResourceGroupOperations:
    """``ml.resource_groups``: list, get, create_or_update, begin_delete."""

    def __init__(self, arm: ArmHandle) -> None:
        self._arm = arm

    def list(self, *, filter: str | None = None, top: int | None = None) -> Pager[ResourceGroup]:
        """The subscription's resource groups (``$filter``/``$top`` passed through), fetched page by page."""
        kw = _list_kw(filter, top)

        def first() -> ResourceGroupListResult:
            return call(ResourceGroupListResult, resource_groups_list.sync_detailed,
                               self._arm.subscription_id, client=self._arm.client(), **kw)

        return link_pager("ResourceGroups_List", ResourceGroup, first, ResourceGroupListResult.from_dict, self._arm)

    def get(self, name: str) -> ResourceGroup:
        """One resource group (``NotFoundError`` when absent)."""
        return call(ResourceGroup, resource_groups_get.sync_detailed, self._arm.subscription_id, name,
                           client=self._arm.client())

    def create_or_update(self, name: str, location: str, tags: dict[str, str] | None = None) -> ResourceGroup:
        """Create (201) or update (200) a resource group."""
        return call(ResourceGroup, resource_groups_create_or_update.sync_detailed,
                           self._arm.subscription_id, name, client=self._arm.client(),
                           body=_body(location, tags))

    def begin_delete(self, name: str) -> Poller[None]:
        """Delete a resource group and everything in it (202 + ``Location``, polled until 200/204)."""
        resp = call_detailed(resource_groups_delete.sync_detailed, self._arm.subscription_id, name,
                                    client=self._arm.client())
        return Poller("ResourceGroups_Delete", resp, client=self._arm.httpx_client(), method="DELETE",
                           deserialize=lambda _b: None, url_guard=self._arm.url_guard())
