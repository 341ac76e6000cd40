"""Lazy paging: :class:`Pager` / :class:`AsyncPager`, one loop for every list the services page.

A page is fetched only when iteration reaches it. The loop is given one function ``get_page(token)``: the
token is None for the first page and then whatever the previous page returned as its continuation, which is
an absolute ``nextLink`` URL for ARM and model management, or a run-history ``continuationToken`` (sent in
the ``:query`` body or the query string; specs/history.yaml, specs/modelmanagement.yaml). Paging stops when
the token is null or empty, or when a token repeats (a service bug that would otherwise loop forever; logged
at WARNING).

:func:`next_link_fetcher` / :func:`async_next_link_fetcher` GET a ``nextLink`` through the same
authenticated httpx client after passing it to the session's host policy (``url_guard``).
"""

from __future__ import annotations

from ._async.pager import AsyncPager, async_next_link_fetcher
from ._paging_core import Page
from ._sync.pager import Pager, next_link_fetcher

__all__ = ["AsyncPager", "Page", "Pager", "async_next_link_fetcher", "next_link_fetcher"]
