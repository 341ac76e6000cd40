"""The httpx client classes the overlay builds: httpx's own, minus two costs every request paid, plus a queue.

1. A request's URL is built with one parse instead of four. The generated functions pass httpx a path
relative to the client's ``base_url`` plus a ``params`` dict; httpx then parses the relative path, re-parses it
joined onto ``base_url``, and parses the result twice more while merging the query in, each parse walking every
character of the URL. Data-plane paths are ~200 characters, so on a run GET that was most of the client's own
CPU (see benchmarks/README.md). :class:`Client` / :class:`AsyncClient` (what :mod:`azureml_rest.pipeline` builds)
join the path and the query into one absolute string first, with httpx's own query encoding
(``httpx.QueryParams``) and joining rule (the base's path, then the relative path), so httpx parses once and
the URL is the same. Anything unusual (an absolute URL, a path with its own query or fragment, client-level
params, a base without scheme) goes through httpx unchanged.

2. Cookies are only extracted from responses that set one. httpx builds a urllib request and response view of
every response for ``CookieJar.extract_cookies`` (seven header look-ups, a URL re-parse), whether or not a
``Set-Cookie`` header came back; Azure ML's APIs authenticate with headers and rarely set cookies. A response
that does set one is handled exactly as before.

3. An async client keeps at most ``max_in_flight`` requests (its pool size) in flight and queues the rest in
order. httpcore's pool re-examines every waiting request whenever a connection frees up, so 1,000 gathered
requests on a 100-connection pool crawl (and waiters hit the pool timeout); behind the gate they run at the
pool's full speed.
"""

from __future__ import annotations

from typing import Any

import httpx
from httpx._client import BaseClient  # the common base of Client and AsyncClient (httpx 0.18+)

__all__ = ["AsyncClient", "Client", "base_prefix", "join_url"]


def join_url(base: str | None, url: object, params: object) -> str | None:
    """``base`` + ``url`` + ``?`` + the encoded ``params``; None when httpx should build it.

    ``base`` is :func:`base_prefix` of the client's ``base_url``.
    """
    if base is None or type(url) is not str or not url.startswith("/") or url.startswith("//"):
        return None
    if "?" in url or "#" in url:
        return None
    if params is None or (type(params) is dict and not params):
        return base + url
    if type(params) is not dict:
        return None
    query = str(httpx.QueryParams(params))
    return f"{base}{url}?{query}" if query else base + url


def base_prefix(base_url: httpx.URL) -> str | None:
    """What a relative path is appended to: ``str(base_url)`` without its one trailing ``/``.

    httpx joins ``base_url.raw_path`` (always ending in ``/``) and the path without its leading ``/``; a base
    of ``http://host`` prints without a path, one of ``http://host/sub/`` with it. None (use httpx) for a base
    without scheme or host, or with a query or fragment.
    """
    text = str(base_url)
    if not text.startswith(("https://", "http://")) or "?" in text or "#" in text or not base_url.host:
        return None
    return text.removesuffix("/")


_COOKIE_HEADERS = frozenset({"set-cookie", "set-cookie2"})


class _Cookies(httpx.Cookies):
    """``httpx.Cookies`` skipping the extraction work for responses without a cookie header."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if not _COOKIE_HEADERS.isdisjoint(response.headers.keys()):
            super().extract_cookies(response)


class _BaseCache:
    """:func:`base_prefix` of ``base_url``, recomputed only when the client's ``base_url`` object changes."""

    __slots__ = ("obj", "text")

    def __init__(self) -> None:
        self.obj: httpx.URL | None = None
        self.text: str | None = None

    def get(self, base_url: httpx.URL) -> str | None:
        if base_url is not self.obj:
            self.text, self.obj = base_prefix(base_url), base_url
        return self.text


class _Shared(BaseClient):
    """What :class:`Client` and :class:`AsyncClient` add to httpx's common base: the URL join and the cookies.

    Listed before ``httpx.Client`` / ``httpx.AsyncClient``, so its ``__init__`` and ``build_request`` run first
    and hand over to theirs (``build_request`` itself lives on httpx's ``BaseClient``).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base_text = _BaseCache()
        self._cookies = _Cookies(self._cookies)

    def build_request(self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any) -> httpx.Request:
        joined = None if self.params else join_url(self._base_text.get(self.base_url), url, params)
        if joined is None:
            return super().build_request(method, url, params=params, **kwargs)
        return super().build_request(method, joined, **kwargs)


class Client(_Shared, httpx.Client):
    """``httpx.Client`` with one URL parse per request and cookie extraction only when one is set."""


class AsyncClient(_Shared, httpx.AsyncClient):
    """The ``httpx.AsyncClient`` twin of :class:`Client`; with ``max_in_flight``, at most that many requests
    are sent at once and the others wait their turn in order (the wait counts toward no timeout)."""

    def __init__(self, *, max_in_flight: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._max_in_flight = max_in_flight
        self._gate: Any = None

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._max_in_flight is None:
            return await super().send(request, **kwargs)
        if self._gate is None:
            import anyio  # httpx's own dependency; imported on first use so sync users never load it

            self._gate = anyio.Semaphore(self._max_in_flight)
        async with self._gate:
            return await super().send(request, **kwargs)
