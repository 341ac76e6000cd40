"""Building the httpx clients every generated client runs on.

:func:`build_client` / :func:`build_async_client` attach, once, everything cross-cutting: auth, the retry
transport (which also logs each attempt and stamps ``x-ms-client-request-id``), timeouts, user agent, TLS
verification and environment proxies. :func:`attach` hands such a client to a generated ``Client`` class.
"""

from __future__ import annotations

import os
import platform
import ssl
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, TypeVar

import httpx

from ._version import __version__
from .retry import RetryPolicy
from .transport import AsyncRetryTransport, RetryTransport, ensure_client_request_id

__all__ = [
    "GeneratedClient",
    "HttpConfig",
    "attach",
    "build_async_client",
    "build_client",
    "default_user_agent",
]


def default_user_agent() -> str:
    """``azureml-rest/<version> python/<version> httpx/<version>``."""
    return f"azureml-rest/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"


@dataclass(frozen=True)
class HttpConfig:
    """Transport settings shared by every client.

    Defaults: timeouts ``connect_timeout=10`` s, ``read_timeout=60`` s, ``write_timeout=60`` s,
    ``pool_timeout=10`` s (the generated clients have none); ``retry=RetryPolicy()`` (see its defaults);
    ``verify=True`` (a CA bundle file or directory path may be given instead; ``False`` disables checks);
    ``trust_env=True`` (httpx-style ``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY`` and ``SSL_CERT_FILE``);
    ``follow_redirects=False`` (like the generated clients); ``user_agent`` is put in front of
    :func:`default_user_agent`; ``trusted_hosts`` are added to a :class:`~azureml_rest.auth.BearerTokenAuth`'s.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    write_timeout: float = 60.0
    pool_timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str | None = None
    verify: bool | str = True
    trusted_hosts: tuple[str, ...] = ()
    trust_env: bool = True
    follow_redirects: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout, read=self.read_timeout, write=self.write_timeout, pool=self.pool_timeout
        )

    def full_user_agent(self) -> str:
        ua = default_user_agent()
        return f"{self.user_agent} {ua}" if self.user_agent else ua


def _ssl_verify(config: HttpConfig) -> ssl.SSLContext | bool:
    if isinstance(config.verify, str):
        if os.path.isdir(config.verify):
            return ssl.create_default_context(capath=config.verify)
        return ssl.create_default_context(cafile=config.verify)
    return config.verify


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
        return RetryTransport(inner, cfg.retry, **kw)

    mounts: dict[str, httpx.BaseTransport | None] = {}
    if transport is None:
        base = wrap(httpx.HTTPTransport(verify=verify, trust_env=cfg.trust_env))
        if cfg.trust_env:
            for pattern, proxy in _env_proxy_patterns().items():
                mounts[pattern] = (
                    None
                    if proxy is None
                    else wrap(httpx.HTTPTransport(verify=verify, trust_env=cfg.trust_env, proxy=httpx.Proxy(proxy)))
                )
    else:
        base = wrap(transport)
    return httpx.Client(
        base_url=base_url,
        auth=_merge_trusted(auth, cfg),
        timeout=cfg.timeout,
        headers=_headers(cfg),
        follow_redirects=cfg.follow_redirects,
        trust_env=cfg.trust_env,
        transport=base,
        mounts=mounts or None,
        event_hooks={"request": [ensure_client_request_id]},
    )


async def _async_request_id_hook(request: httpx.Request) -> None:
    ensure_client_request_id(request)


def build_async_client(
    base_url: str,
    *,
    auth: httpx.Auth | None = None,
    config: HttpConfig | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` twin of :func:`build_client` (same behaviour)."""
    cfg = config or HttpConfig()
    verify = _ssl_verify(cfg)
    kw: dict[str, Any] = {} if sleep is None else {"sleep": sleep}

    def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        return AsyncRetryTransport(inner, cfg.retry, **kw)

    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    if transport is None:
        base = wrap(httpx.AsyncHTTPTransport(verify=verify, trust_env=cfg.trust_env))
        if cfg.trust_env:
            for pattern, proxy in _env_proxy_patterns().items():
                mounts[pattern] = (
                    None
                    if proxy is None
                    else wrap(
                        httpx.AsyncHTTPTransport(verify=verify, trust_env=cfg.trust_env, proxy=httpx.Proxy(proxy))
                    )
                )
    else:
        base = wrap(transport)
    return httpx.AsyncClient(
        base_url=base_url,
        auth=_merge_trusted(auth, cfg),
        timeout=cfg.timeout,
        headers=_headers(cfg),
        follow_redirects=cfg.follow_redirects,
        trust_env=cfg.trust_env,
        transport=base,
        mounts=mounts or None,
        event_hooks={"request": [_async_request_id_hook]},
    )


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
