"""Sessions: the httpx clients, bearer auths, generated clients and discovery cache one facade shares.

Where each operation group is sent, with which token:

- ``management`` goes to the cloud's ARM endpoint with an ARM token (``cloud.arm_scope``).
- the data plane (``history``, ``execution``, ``modelmanagement``) goes where discovery says
  (:mod:`azureml_rest.discovery`) with the data-plane token: the ARM audience, as in the article
  (``https://management.azure.com/``); configurable, e.g. ``data_plane_audience="https://ml.azure.com"`` (what
  newer SDKs use).
- ``discovery`` and SAS-style content URLs get no Authorization at all (:meth:`Session.content_client`).

One :class:`~azureml_rest.trust.HostPolicy` is built per session from the cloud and ``HttpConfig.trusted_hosts``
and shared by every bearer auth, poller, pager and discovery check. One httpx client is built per (base URL,
token scope) with :func:`azureml_rest.pipeline.build_client`, so auth, retries, timeouts, request ids, logging
and the event hook are attached once; generated ``Client`` objects are made once per (group, base URL, scope).
``api_versions`` picks a side-by-side generated package per group (``{"management": "2020-08-01"}``; the
registry, :mod:`azureml_rest._registry`, lists what exists).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import httpx

from . import _registry
from .auth import BearerTokenAuth, TokenCredentialLike
from .clouds import Cloud, resource_to_scope
from .config import HttpConfig
from .discovery import DiscoveryCache
from .pipeline import attach, build_async_client, build_client
from .trust import HostPolicy, host_entry

__all__ = ["ARM_GROUPS", "AsyncSession", "Session", "client_class", "origin_of"]

#: Groups served by the cloud's ARM endpoint with the ARM token: the article's management API (2019-11-01) and
#: the current Azure ML API (``machinelearning``, 2025-12-01).
ARM_GROUPS: frozenset[str] = frozenset({"management", "machinelearning"})

H = TypeVar("H", httpx.Client, httpx.AsyncClient)


def client_class(group: str, api_version: str | None = None) -> Any:
    """The generated ``Client`` class of ``group`` at ``api_version`` (the group's default when None)."""
    return importlib.import_module(_registry.package_for(group, api_version)).Client


def origin_of(url: str) -> str:
    """``https://host:port`` of an absolute URL (no path, no trailing slash)."""
    u = httpx.URL(url)
    if not u.scheme or not u.host:
        raise ValueError(f"expected an absolute URL, got {url!r}")
    port = f":{u.port}" if u.port is not None else ""
    host = f"[{u.host}]" if ":" in u.host else u.host
    return f"{u.scheme}://{host}{port}"


class _SessionBase(Generic[H]):
    """Everything but the kind of httpx client (sync or async) and how it is closed."""

    def __init__(
        self,
        credential: TokenCredentialLike,
        cloud: Cloud,
        config: HttpConfig,
        *,
        data_plane_audience: str | None = None,
        api_versions: Mapping[str, str] | None = None,
    ) -> None:
        self.credential = credential
        self.cloud = cloud
        self.config = config
        self.arm_scope = cloud.arm_scope
        self.data_plane_scope = resource_to_scope(data_plane_audience or cloud.arm_audience)
        self.api_versions: dict[str, str] = dict(api_versions or {})
        for group, version in self.api_versions.items():
            _registry.package_for(group, version)  # an unknown group or version fails here, naming what exists
        self.trust = HostPolicy(cloud, config.trusted_hosts)
        self.discovery = DiscoveryCache()
        self._lock = threading.Lock()
        self._auths: dict[tuple[str, str], BearerTokenAuth] = {}
        self._generated: dict[tuple[str, str, str | None], Any] = {}
        self._clients: dict[tuple[str, str | None], H] = {}
        self._closed = 0

    @property
    def generation(self) -> int:
        """Grows whenever discovery changes or the clients are closed (handles re-route then)."""
        return self.discovery.generation

    def package(self, group: str) -> str:
        """The generated package this session uses for ``group``."""
        return _registry.package_for(group, self.api_versions.get(group))

    def auth_for(self, base_url: str, scope: str, *, user_trusted: bool = False) -> BearerTokenAuth:
        """The bearer auth for one base URL: the session's policy, plus the base host when the user gave it
        explicitly (``user_trusted``: endpoint overrides)."""
        key = (origin_of(base_url), scope)
        with self._lock:
            auth = self._auths.get(key)
            if auth is None:
                policy = self.trust.with_hosts(host_entry(base_url)) if user_trusted else self.trust
                auth = BearerTokenAuth(self.credential, scope, policy=policy)
                self._auths[key] = auth
        return auth

    def url_guard(self, auth: BearerTokenAuth) -> Callable[[str], None]:
        """A function refusing URLs (operation/nextLink URLs from headers) that ``auth`` would refuse."""
        return auth.policy.check_url

    def _build(self, base_url: str, auth: BearerTokenAuth | None) -> H:
        raise NotImplementedError

    def httpx_client(self, base_url: str, scope: str | None, *, user_trusted: bool = False) -> H:
        """The shared client for ``base_url``; ``scope=None`` means no Authorization (content/discovery)."""
        base = base_url.rstrip("/")
        key = (base, scope)
        with self._lock:
            existing = self._clients.get(key)
        if existing is not None:
            return existing
        auth = self.auth_for(base, scope, user_trusted=user_trusted) if scope is not None else None
        with self._lock:  # built under the lock: two threads asking at once must not open two pools
            existing = self._clients.get(key)
            if existing is None:
                existing = self._clients[key] = self._build(base, auth)
        return existing

    def content_client(self) -> H:
        """Retries, timeouts and the event hook, no Authorization: SAS-style content/log URLs and discovery."""
        return self.httpx_client("", None)

    def generated(self, group: str, base_url: str, scope: str | None, *, user_trusted: bool = False) -> Any:
        """A generated ``Client`` of ``group`` (at the session's api-version for it) on the shared httpx client
        for ``base_url``; made once per (group, base URL, scope)."""
        key = (group, base_url.rstrip("/"), scope)
        with self._lock:
            found = self._generated.get(key)
        if found is not None:
            return found
        http = self.httpx_client(base_url, scope, user_trusted=user_trusted)
        client = attach(client_class(group, self.api_versions.get(group)), str(http.base_url).rstrip("/"), http)
        with self._lock:
            return self._generated.setdefault(key, client)

    def _take_clients(self) -> list[H]:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
            self._generated.clear()
        self.discovery.bump()
        return clients


class Session(_SessionBase[httpx.Client]):
    """Sync httpx clients, one per (base URL, scope); :meth:`close` closes them all."""

    def _build(self, base_url: str, auth: BearerTokenAuth | None) -> httpx.Client:
        return build_client(base_url, auth=auth, config=self.config)

    def close(self) -> None:
        for c in self._take_clients():
            c.close()


class AsyncSession(_SessionBase[httpx.AsyncClient]):
    """Async httpx clients, one per (base URL, scope); ``await close()`` (or ``aclose()``) closes them all."""

    def _build(self, base_url: str, auth: BearerTokenAuth | None) -> httpx.AsyncClient:
        return build_async_client(base_url, auth=auth, config=self.config)

    async def close(self) -> None:
        for c in self._take_clients():
            await c.aclose()

    aclose = close
