# Generated from overlays/azureml_rest/_async/_pagers.py by `python -m tools.unasync`: do not edit.
"""``nextLink`` pagers: the first page from a generated call, the next ones by GETting ``nextLink``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..operations._common import decode, page_of
from ..paging import Page, Pager, next_link_fetcher

T = TypeVar("T")


def link_pager(operation: str, item_type: type[T], first: Callable[[], Any], from_dict: Callable[[Any], Any],
               ws: Any, group: str = "management") -> Pager[T]:
    """An :class:`Pager` of ``item_type``; ``first()`` runs the generated list call. The httpx client and
    host guard of ``ws`` (a workspace or ARM handle) for ``group`` are taken when a next page is needed, so
    building the pager does no I/O."""

    def get_page(token: str | None) -> Page[T]:
        if token is None:
            result = first()
        else:
            fetch = next_link_fetcher(ws.httpx_client(group), operation, ws.url_guard(group))
            result = decode(operation, from_dict, fetch(token))
        return page_of(operation, item_type, result)

    return Pager(get_page, operation=operation)
