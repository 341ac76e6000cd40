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

from .._call import acall, acall_detailed
from ..lro import AsyncPoller
from ..operations._common import AsyncArmHandle
from ..paging import AsyncPager
from ._pagers import link_pager

__all__ = ["AsyncResourceGroupOperations"]


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


class AsyncResourceGroupOperations:
    """``ml.resource_groups``: list, get, create_or_update, begin_delete."""

    def __init__(self, arm: AsyncArmHandle) -> None:
        self._arm = arm

    def list(self, *, filter: str | None = None, top: int | None = None) -> AsyncPager[ResourceGroup]:
        """The subscription's resource groups (``$filter``/``$top`` passed through), fetched page by page."""
        kw = _list_kw(filter, top)

        async def first() -> ResourceGroupListResult:
            return await acall(ResourceGroupListResult, resource_groups_list.asyncio_detailed,
                               self._arm.subscription_id, client=await self._arm.aclient(), **kw)

        return link_pager("ResourceGroups_List", ResourceGroup, first, ResourceGroupListResult.from_dict, self._arm)

    async def get(self, name: str) -> ResourceGroup:
        """One resource group (``NotFoundError`` when absent)."""
        return await acall(ResourceGroup, resource_groups_get.asyncio_detailed, self._arm.subscription_id, name,
                           client=await self._arm.aclient())

    async def create_or_update(self, name: str, location: str, tags: dict[str, str] | None = None) -> ResourceGroup:
        """Create (201) or update (200) a resource group."""
        return await acall(ResourceGroup, resource_groups_create_or_update.asyncio_detailed,
                           self._arm.subscription_id, name, client=await self._arm.aclient(),
                           body=_body(location, tags))

    async def begin_delete(self, name: str) -> AsyncPoller[None]:
        """Delete a resource group and everything in it (202 + ``Location``, polled until 200/204)."""
        resp = await acall_detailed(resource_groups_delete.asyncio_detailed, self._arm.subscription_id, name,
                                    client=await self._arm.aclient())
        return AsyncPoller("ResourceGroups_Delete", resp, client=await self._arm.httpx_client(), method="DELETE",
                           deserialize=lambda _b: None, url_guard=await self._arm.url_guard())
