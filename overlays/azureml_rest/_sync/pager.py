# Generated from overlays/azureml_rest/_async/pager.py by `python -m tools.unasync`: do not edit.
"""The pager, the I/O shell around :mod:`azureml_rest._paging_core` (behaviour: :mod:`azureml_rest.paging`).

This file is the async pager's source; the sync pager is produced from it by ``python -m tools.unasync``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import httpx

from .._paging_core import Page, Tokens, decode_next_page

__all__ = ["Pager", "next_link_fetcher"]

T = TypeVar("T")


class Pager(Generic[T]):
    """Iterate items (``for x in pager``) or pages (``for page in pager.by_page()``); lazy and
    restartable: each new iteration starts again from the first page. The sync ``Pager`` is the same with
    ``for``."""

    def __init__(self, get_page: Callable[[str | None], Page[T]], *, operation: str = "list") -> None:
        self._get_page = get_page
        self._operation = operation

    def by_page(self, token: str | None = None) -> Iterator[list[T]]:
        """Yield lists of items, one per page, starting at ``token`` (None = the first page)."""
        tokens = Tokens(self._operation)
        current = tokens.next(token) if token else None
        while True:
            page = self._get_page(current)
            yield page.items
            current = tokens.next(page.token)
            if current is None:
                return

    def _items(self) -> Iterator[T]:
        for items in self.by_page():
            for item in items:
                yield item

    def __iter__(self) -> Iterator[T]:  # a generator per iteration: restartable
        return self._items()

    def to_list(self) -> list[T]:
        """Every item of every page."""
        return [x for x in self]

    def first(self) -> T | None:
        """The first item, or None; fetches one page."""
        for item in self:
            return item
        return None

    def __repr__(self) -> str:
        return f"Pager(operation={self._operation!r})"


def next_link_fetcher(
    client: httpx.Client, operation: str, url_guard: Callable[[str], None] | None = None
) -> Callable[[str], Any]:
    """A function GETting a ``nextLink`` (after ``url_guard`` accepted it) and returning its decoded JSON (typed
    errors on non-2xx)."""

    def fetch(url: str) -> Any:
        if url_guard is not None:
            url_guard(url)
        resp = client.get(url)
        return decode_next_page(operation, resp)

    return fetch
