"""Lazy paging: :class:`Pager` / :class:`AsyncPager`, one loop for every list the services page.

A page is fetched only when iteration reaches it. The loop is given one function ``get_page(token)``: the
token is None for the first page and then whatever the previous page returned as its continuation, which is
an absolute ``nextLink`` URL for ARM and model management, or a run-history ``continuationToken`` (sent in
the ``:query`` body or the query string) (facts §5.2). Paging stops when the token is null or empty, or
when a token repeats (a service bug that would otherwise loop forever; logged at WARNING).

:func:`next_link_fetcher` / :func:`async_next_link_fetcher` GET a ``nextLink`` through the same
authenticated httpx client after passing it to the routing layer's URL guard.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._logging import get_logger
from .errors import InvalidResponseError, error_from_response

__all__ = ["AsyncPager", "Page", "Pager", "async_next_link_fetcher", "next_link_fetcher"]

T = TypeVar("T")
_log = get_logger("paging")


@dataclass
class Page(Generic[T]):
    """One page: its ``items`` and the ``token`` for the next page (None or "" = last page)."""

    items: list[T]
    token: str | None = None
    raw: Any = field(default=None, repr=False)


class _Tokens:
    """Remembers tokens seen, to stop on a repeat."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.seen: set[str] = set()

    def next(self, token: str | None) -> str | None:
        if not token:
            return None
        if token in self.seen:
            _log.warning("%s: the service repeated a continuation token; stopping", self.operation)
            return None
        self.seen.add(token)
        return token


class Pager(Generic[T]):
    """Iterate items (``for x in pager``) or pages (``for page in pager.by_page()``); lazy, restartable.

    Each new iteration starts again from the first page.
    """

    def __init__(self, get_page: Callable[[str | None], Page[T]], *, operation: str = "list") -> None:
        self._get_page = get_page
        self._operation = operation

    def by_page(self, token: str | None = None) -> Iterator[list[T]]:
        """Yield lists of items, one per page, starting at ``token`` (None = the first page)."""
        tokens = _Tokens(self._operation)
        current = tokens.next(token) if token else None
        while True:
            page = self._get_page(current)
            yield page.items
            current = tokens.next(page.token)
            if current is None:
                return

    def __iter__(self) -> Iterator[T]:
        for items in self.by_page():
            yield from items

    def first(self) -> T | None:
        """The first item, or None; fetches one page."""
        for item in self:
            return item
        return None

    def __repr__(self) -> str:
        return f"Pager(operation={self._operation!r})"


class AsyncPager(Generic[T]):
    """The async twin of :class:`Pager` (``async for x in pager``; ``async for page in pager.by_page()``)."""

    def __init__(self, get_page: Callable[[str | None], Awaitable[Page[T]]], *, operation: str = "list") -> None:
        self._get_page = get_page
        self._operation = operation

    async def by_page(self, token: str | None = None) -> AsyncIterator[list[T]]:
        """Yield lists of items, one per page, starting at ``token`` (None = the first page)."""
        tokens = _Tokens(self._operation)
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

    def __aiter__(self) -> AsyncIterator[T]:
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


def _decode(operation: str, resp: httpx.Response) -> Any:
    if resp.status_code >= 400:
        raise error_from_response(resp)
    try:
        return json.loads(resp.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidResponseError(operation, f"next page is not JSON ({exc})", status_code=resp.status_code,
                                   request_id=resp.headers.get("x-ms-request-id")) from None


def next_link_fetcher(
    client: httpx.Client, operation: str, url_guard: Callable[[str], None] | None = None
) -> Callable[[str], Any]:
    """A function GETting a ``nextLink`` and returning its decoded JSON (typed errors on non-2xx)."""

    def fetch(url: str) -> Any:
        if url_guard is not None:
            url_guard(url)
        resp = client.get(url)
        return _decode(operation, resp)

    return fetch


def async_next_link_fetcher(
    client: httpx.AsyncClient, operation: str, url_guard: Callable[[str], None] | None = None
) -> Callable[[str], Awaitable[Any]]:
    """Async twin of :func:`next_link_fetcher`."""

    async def fetch(url: str) -> Any:
        if url_guard is not None:
            url_guard(url)
        resp = await client.get(url)
        return _decode(operation, resp)

    return fetch
