"""``nextLink`` pagers: the first page from a generated call, the next ones by GETting ``nextLink``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..operations._common import decode, page_of
from ..paging import AsyncPager, Page, async_next_link_fetcher

T = TypeVar("T")


def link_pager(operation: str, item_type: type[T], first: Callable[[], Any], from_dict: Callable[[Any], Any],
               ws: Any, group: str = "management") -> AsyncPager[T]:
    """An :class:`AsyncPager` of ``item_type``; ``first()`` runs the generated list call. The httpx client and
    host guard of ``ws`` (a workspace or ARM handle) for ``group`` are taken when a next page is needed, so
    building the pager does no I/O."""

    async def get_page(token: str | None) -> Page[T]:
        if token is None:
            result = await first()
        else:
            fetch = async_next_link_fetcher(await ws.httpx_client(group), operation, await ws.url_guard(group))
            result = decode(operation, from_dict, await fetch(token))
        return page_of(operation, item_type, result)

    return AsyncPager(get_page, operation=operation)
