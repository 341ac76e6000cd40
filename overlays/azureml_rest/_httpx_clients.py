"""The httpx client classes :mod:`azureml_rest.pipeline` builds, :class:`Client` and :class:`AsyncClient`: httpx's own
with three changes that keep a generated call's client-side cost at raw httpx's level. The request URL is joined from
the base URL, the generated function's relative path and its ``params`` once, with httpx's own encoding and joining
rule, so httpx parses it once instead of four times (:func:`join_url`); cookies are extracted only from responses
that set one; and an async client keeps at most ``max_in_flight`` requests in flight and queues the rest in order,
because httpcore's pool slows to a crawl with many waiters. Measurements: benchmarks/README.md ("Findings and
fixes").
"""

from __future__ import annotations

from typing import Any

import httpx
from httpx._client import BaseClient  # the common base of Client and AsyncClient (httpx 0.18+)

__all__ = ["AsyncClient", "Client", "base_prefix", "join_url"]


def join_url(base: str | None, url: object, params: object) -> str | None:
    """``base`` + ``url`` + ``?`` + the encoded ``params``; None when httpx should build it.

    ``base`` is :func:`base_prefix` of the client's ``base_url``. The result is the URL httpx would build (its
    ``QueryParams`` encoding; the base's path, then the relative path). Anything unusual (an absolute URL, a path
    with its own query or fragment, params that are not a dict) is left to httpx: None.
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
    """``httpx.Cookies`` skipping the extraction work for responses without a cookie header.

    httpx builds urllib views of every request and response for ``CookieJar.extract_cookies`` whether or not a
    ``Set-Cookie`` came back; Azure ML's APIs authenticate with headers and rarely set cookies. A response that
    does set one is handled exactly as by httpx.
    """

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
