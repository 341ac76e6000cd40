"""The pager, the I/O shell around :mod:`azureml_rest._paging_core` (behaviour: :mod:`azureml_rest.paging`).

This file is the async pager's source; the sync pager is produced from it by ``python -m tools.unasync``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

import httpx

from .._paging_core import Page, Tokens, decode_next_page

__all__ = ["AsyncPager", "async_next_link_fetcher"]

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Iterate items (``async for x in pager``) or pages (``async for page in pager.by_page()``); lazy and
    restartable: each new iteration starts again from the first page. The sync ``Pager`` is the same with
    ``for``."""

    def __init__(self, get_page: Callable[[str | None], Awaitable[Page[T]]], *, operation: str = "list") -> None:
        self._get_page = get_page
        self._operation = operation

    async def by_page(self, token: str | None = None) -> AsyncIterator[list[T]]:
        """Yield lists of items, one per page, starting at ``token`` (None = the first page)."""
        tokens = Tokens(self._operation)
        current = tokens.next(token) if token else None
        while True:
            page = await self._get_page(current)
            yield page.items
            current = tokens.next(page.token)
            if current is None:
                return

    async def _items(self) -> AsyncIterator[T]:
        async for items in self.by_page():
            for item in items:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:  # a generator per iteration: restartable
        return self._items()

    async def to_list(self) -> list[T]:
        """Every item of every page."""
        return [x async for x in self]

    async def first(self) -> T | None:
        """The first item, or None; fetches one page."""
        async for item in self:
            return item
        return None

    def __repr__(self) -> str:
        return f"AsyncPager(operation={self._operation!r})"


def async_next_link_fetcher(
    client: httpx.AsyncClient, operation: str, url_guard: Callable[[str], None] | None = None
) -> Callable[[str], Awaitable[Any]]:
    """A function GETting a ``nextLink`` (after ``url_guard`` accepted it) and returning its decoded JSON (typed
    errors on non-2xx)."""

    async def fetch(url: str) -> Any:
        if url_guard is not None:
            url_guard(url)
        resp = await client.get(url)
        return decode_next_page(operation, resp)

    return fetch
