"""Building the httpx clients every generated client runs on (plumbing; users normally never call it).

:func:`build_client` / :func:`build_async_client` attach, once, everything cross-cutting: auth, the retry
transport (which also logs each attempt, reports it to ``HttpConfig.on_event`` and stamps
``x-ms-client-request-id``), timeouts, user agent, TLS verification and environment proxies. :func:`attach`
hands such a client to a generated ``Client`` class.
"""

from __future__ import annotations

import os
import ssl
import threading
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, Self, TypeVar

import httpx

from ._httpx_clients import AsyncClient, Client
from .config import HttpConfig
from .transport import AsyncRetryTransport, RetryTransport

__all__ = [
    "GeneratedClient",
    "attach",
    "build_async_client",
    "build_client",
]


_ssl_contexts: dict[tuple[object, ...], ssl.SSLContext] = {}
_ssl_lock = threading.Lock()


def _ssl_verify(config: HttpConfig) -> ssl.SSLContext | bool:
    """The TLS context for ``config``, made once per process per setting and shared by every client.

    Loading the CA bundle takes tens of milliseconds and httpx does it for every transport; a workspace uses
    four or five clients (token, ARM, discovery, data plane), so a fresh client paid it that many times. The
    key includes ``SSL_CERT_FILE``/``SSL_CERT_DIR`` (httpx reads them when ``trust_env``), so changing them
    still takes effect. On an httpx without ``create_ssl_context`` (before 0.28) httpx builds its own.
    """
    verify = config.verify
    env = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")) if config.trust_env else (None, None)
    key = (verify, config.trust_env, *env)
    with _ssl_lock:
        found = _ssl_contexts.get(key)
    if found is not None:
        return found
    if isinstance(verify, str):
        ctx = ssl.create_default_context(capath=verify) if os.path.isdir(verify) else ssl.create_default_context(
            cafile=verify)
    else:
        create = getattr(httpx, "create_ssl_context", None)
        if create is None:
            return verify
        ctx = create(verify=verify, trust_env=config.trust_env)
    with _ssl_lock:
        return _ssl_contexts.setdefault(key, ctx)


def _env_proxy_patterns() -> dict[str, str | None]:
    """httpx's environment proxy rules, rebuilt because a custom transport turns httpx's own handling off.

    ``{"http://": url, "https://": url, "all://": url}`` from ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` and
    ``{"all://<host>": None}`` for each ``NO_PROXY`` entry (``NO_PROXY=*`` disables proxies).
    """
    env = urllib.request.getproxies()
    patterns: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        value = env.get(scheme)
        if value:
            patterns[f"{scheme}://"] = value if "://" in value else f"http://{value}"
    for raw in env.get("no", "").split(","):
        host = raw.strip()
        if not host:
            continue
        if host == "*":
            return {}
        if "://" in host:
            patterns[host] = None
        elif ":" in host and not host.startswith("["):  # bare IPv6 address
            patterns[f"all://[{host}]"] = None
        elif host.lower() == "localhost" or host.replace(".", "").isdigit():
            patterns[f"all://{host}"] = None
        else:
            # Like curl: "example.com" and ".example.com" both cover subdomains.
            patterns[f"all://*{host}"] = None
    return patterns


def _headers(config: HttpConfig) -> dict[str, str]:
    headers = {"User-Agent": config.full_user_agent()}
    headers.update(config.headers)
    return headers


def _merge_trusted(auth: httpx.Auth | None, config: HttpConfig) -> httpx.Auth | None:
    if auth is not None and config.trusted_hosts:
        with_hosts = getattr(auth, "with_trusted_hosts", None)
        if callable(with_hosts):
            merged: httpx.Auth = with_hosts(*config.trusted_hosts)
            return merged
    return auth


T = TypeVar("T")


def _client_kwargs(base_url: str, auth: httpx.Auth | None, cfg: HttpConfig, transport: T | None,
                   wrap: Callable[[T], T], network: Callable[[str | None], T]) -> dict[str, Any]:
    """What both builders hand to their client class: the (wrapped) transport, proxy mounts from the environment
    (httpx's own handling is off once a transport is given), auth with the config's trusted hosts, timeouts,
    headers, redirects."""
    mounts: dict[str, T | None] = {}
    if transport is None:
        base = network(None)
        if cfg.trust_env:
            for pattern, proxy in _env_proxy_patterns().items():
                mounts[pattern] = None if proxy is None else network(proxy)
    else:
        base = wrap(transport)
    return {"base_url": base_url, "auth": _merge_trusted(auth, cfg), "timeout": cfg.timeout,
            "headers": _headers(cfg), "follow_redirects": cfg.follow_redirects, "trust_env": cfg.trust_env,
            "transport": base, "mounts": mounts or None}


def build_client(
    base_url: str,
    *,
    auth: httpx.Auth | None = None,
    config: HttpConfig | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` for ``base_url`` with auth, retries, timeouts, user agent and request ids.

    ``transport`` replaces the network transport (tests use ``httpx.MockTransport``); it is still wrapped in
    the retry transport. ``sleep`` replaces ``time.sleep`` between retries.
    """
    cfg = config or HttpConfig()
    verify = _ssl_verify(cfg)
    kw: dict[str, Any] = {} if sleep is None else {"sleep": sleep}

    def wrap(inner: httpx.BaseTransport) -> httpx.BaseTransport:
        return RetryTransport(inner, cfg.retry, on_event=cfg.on_event, **kw)

    def network(proxy: str | None) -> httpx.BaseTransport:
        return wrap(httpx.HTTPTransport(verify=verify, trust_env=cfg.trust_env, limits=cfg.limits,
                                        proxy=httpx.Proxy(proxy) if proxy else None))

    return Client(**_client_kwargs(base_url, auth, cfg, transport, wrap, network))


def build_async_client(
    base_url: str,
    *,
    auth: httpx.Auth | None = None,
    config: HttpConfig | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> httpx.AsyncClient:
    """:func:`build_client` for asyncio: an ``httpx.AsyncClient`` (same behaviour; at most ``max_connections``
    requests in flight, the rest queued in order; idle connections checked without anyio's attribute table)."""
    cfg = config or HttpConfig()
    verify = _ssl_verify(cfg)
    kw: dict[str, Any] = {} if sleep is None else {"sleep": sleep}

    def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        return AsyncRetryTransport(inner, cfg.retry, on_event=cfg.on_event, **kw)

    def network(proxy: str | None) -> httpx.AsyncBaseTransport:
        from ._network_backend import install as install_idle_check  # async pools only: sync callers skip it

        inner = httpx.AsyncHTTPTransport(verify=verify, trust_env=cfg.trust_env, limits=cfg.limits,
                                         proxy=httpx.Proxy(proxy) if proxy else None)
        install_idle_check(inner)
        return wrap(inner)

    return AsyncClient(max_in_flight=cfg.max_connections,
                       **_client_kwargs(base_url, auth, cfg, transport, wrap, network))


class GeneratedClient(Protocol):
    """What :func:`attach` needs from an openapi-python-client ``Client`` / ``AuthenticatedClient``."""

    def set_httpx_client(self, client: httpx.Client) -> Self: ...

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self: ...


C = TypeVar("C", bound=GeneratedClient)


def attach(
    generated_client_class: Callable[..., C], base_url: str, httpx_client: httpx.Client | httpx.AsyncClient
) -> C:
    """A generated ``Client`` that sends through ``httpx_client`` (sync or async).

    ``base_url`` must equal the httpx client's own (the generated functions build relative URLs, and the httpx
    client resolves them), so a mismatch raises ``ValueError`` rather than sending to the wrong host.
    """
    own = str(httpx_client.base_url).rstrip("/")
    if own != base_url.rstrip("/"):
        raise ValueError(f"base_url {base_url!r} differs from the httpx client's {own!r}")
    client = generated_client_class(base_url=base_url)
    if isinstance(httpx_client, httpx.AsyncClient):
        return client.set_async_httpx_client(httpx_client)
    return client.set_httpx_client(httpx_client)
