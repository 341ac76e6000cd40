"""Where each operation group is sent, with which token, through which httpx client.

Rules (CONTRIBUTING.md, facts §4, §5, §10):

- ``management`` goes to the cloud's ARM endpoint with an ARM token.
- ``history``, ``execution`` and ``modelmanagement`` go to the host the workspace's discovery document names:
  key ``api`` (the article's form and the latest SDK's), falling back to ``history`` (run history, execution)
  or ``modelmanagement`` (models, services) when ``api`` is absent (the 2020 SDK's keys). Explicit
  ``endpoints={"api": ...}`` replace discovery (private endpoints, proxies) and count as trusted by the user.
- The discovery document is fetched with a plain GET and NO Authorization (the 2020 SDK did the same), once per
  workspace (cached by the :class:`AzureML` facade). Its URL, and every host it names, must belong to the cloud
  (ARM, login or Azure ML host suffixes), be trusted by the user (``HttpConfig.trusted_hosts``) or be loopback;
  otherwise :class:`~azureml_rest.errors.UntrustedHostError` names the host. Learned hosts become trusted for
  bearer tokens only under those same rules.
- Data-plane token audience: the ARM audience, as in the article (``https://management.azure.com/``);
  configurable, e.g. ``data_plane_audience="https://ml.azure.com"`` (what newer SDKs use).

One httpx client is built per (base URL, token scope) with :func:`azureml_rest.pipeline.build_client`, so auth,
retries, timeouts, request ids and logging are attached once, and reused by every generated ``Client`` and by
pollers and pagers.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._hosts import is_loopback_host, split_url_host
from .auth import BearerTokenAuth, TokenCredentialLike
from .clouds import Cloud, resource_to_scope
from .errors import DiscoveryError, InsecureTransportError, InvalidResponseError, UntrustedHostError, error_from_response
from .config import HttpConfig
from .pipeline import attach, build_async_client, build_client

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "DISCOVERY_KEYS",
    "GROUP_PACKAGES",
    "AsyncSession",
    "DiscoveryError",
    "Session",
    "client_class",
    "origin_of",
]

#: Operation group -> generated package (CONTRIBUTING.md "Names").
GROUP_PACKAGES: dict[str, str] = {
    "management": "azureml_management_client",
    "discovery": "azureml_discovery_client",
    "history": "azureml_history_client",
    "execution": "azureml_execution_client",
    "modelmanagement": "azureml_modelmanagement_client",
    "scoring": "azureml_scoring_client",
}

#: Data-plane group -> discovery keys tried in order.
DISCOVERY_KEYS: dict[str, tuple[str, ...]] = {
    "history": ("api", "history"),
    "execution": ("api", "history"),
    "modelmanagement": ("api", "modelmanagement"),
}


def client_class(group: str) -> Any:
    """The generated ``Client`` class of ``group`` (imported on first use)."""
    try:
        package = GROUP_PACKAGES[group]
    except KeyError:
        raise ValueError(f"unknown operation group {group!r}; known: {', '.join(GROUP_PACKAGES)}") from None
    return importlib.import_module(package).Client


def origin_of(url: str) -> str:
    """``https://host:port`` of an absolute URL (no path, no trailing slash)."""
    u = httpx.URL(url)
    if not u.scheme or not u.host:
        raise ValueError(f"expected an absolute URL, got {url!r}")
    port = f":{u.port}" if u.port is not None else ""
    host = f"[{u.host}]" if ":" in u.host else u.host
    return f"{u.scheme}://{host}{port}"


def _host_entry(url: str) -> str:
    host, port = split_url_host(url)
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port is not None else host


class _SessionBase:
    """What sync and async sessions share: credential, cloud, config, trust decisions, discovery cache."""

    def __init__(
        self,
        credential: TokenCredentialLike,
        cloud: Cloud,
        config: HttpConfig,
        *,
        data_plane_audience: str | None = None,
    ) -> None:
        self.credential = credential
        self.cloud = cloud
        self.config = config
        self.arm_scope = cloud.arm_scope
        self.data_plane_scope = resource_to_scope(data_plane_audience or cloud.arm_audience)
        self._lock = threading.Lock()
        self._discovery: dict[tuple[str, str, str], dict[str, str]] = {}
        # One discovery in flight per workspace, however many threads/coroutines need it (see discovery_lock).
        self._discovery_locks: dict[tuple[str, str, str], Any] = {}
        self._auths: dict[tuple[str, str], BearerTokenAuth] = {}
        # URLs that passed check_learned_url: the verdict depends only on the URL and this session's fixed
        # cloud and config, and clients ask for it on every call (ws.client(group)).
        self._vetted_urls: set[str] = set()
        # Generated Client objects, one per (group, base URL, scope): stateless wrappers around the shared httpx
        # clients, asked for on every call.
        self._generated: dict[tuple[str, str, str | None], Any] = {}
        #: Bumped whenever a discovery document is stored or forgotten and on close: workspaces remember the
        #: generated client per group for as long as it does not change (Workspace.client).
        self.generation = 0

    # --- trust --------------------------------------------------------------------------------------------

    def is_trusted(self, url: str) -> bool:
        """A host of the cloud in use (for the emulator's cloud: its own host and port) or one the user trusts.

        Being on loopback is not enough: a discovery document naming another local port or 127.0.0.2 would
        otherwise receive the bearer token. Loopback only relaxes the https rule (check_learned_url)."""
        host, _port = split_url_host(url)
        if not host:
            return False
        return self.cloud.owns_url(url, self.config.trusted_hosts)

    def check_learned_url(self, url: str) -> None:
        """Refuse a URL learned from a service (discovery) unless trusted; http only to loopback."""
        if url in self._vetted_urls:
            return
        u = httpx.URL(url)
        if u.scheme not in ("http", "https") or not u.host:
            raise DiscoveryError(f"not an absolute http(s) URL: {url!r}")
        if not self.is_trusted(url):
            raise UntrustedHostError(u.host, self.cloud.name)
        if u.scheme == "http" and not is_loopback_host(u.host):
            raise InsecureTransportError(url)
        self._vetted_urls.add(url)

    def check_discovery_url(self, url: str) -> None:
        """The discovery document is fetched without Authorization, so its own URL may also be a loopback host
        (a local proxy or test double); every host the document names is still checked by check_learned_url
        before a token goes there."""
        host, _port = split_url_host(url)
        if host and is_loopback_host(host) and httpx.URL(url).scheme in ("http", "https"):
            return
        self.check_learned_url(url)

    def auth_for(self, base_url: str, scope: str, *, user_trusted: bool = False) -> BearerTokenAuth:
        """The bearer auth for one base URL: the cloud's and user's trusted hosts, plus the base host when the
        user gave it explicitly (``user_trusted``: endpoint overrides)."""
        key = (origin_of(base_url), scope)
        with self._lock:
            auth = self._auths.get(key)
            if auth is None:
                extra = (_host_entry(base_url),) if user_trusted else ()
                auth = BearerTokenAuth(self.credential, scope, cloud=self.cloud, trusted_hosts=extra)
                self._auths[key] = auth
        return auth

    def url_guard(self, auth: BearerTokenAuth) -> Any:
        """A function refusing URLs (operation/nextLink URLs from headers) that ``auth`` would refuse."""

        def guard(url: str) -> None:
            auth.with_trusted_hosts(*self.config.trusted_hosts).check_request(httpx.Request("GET", url))

        return guard

    def httpx_client(
        self, base_url: str, scope: str | None, *, user_trusted: bool = False
    ) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError  # Session / AsyncSession

    def generated(self, group: str, base_url: str, scope: str | None, *, user_trusted: bool = False) -> Any:
        """A generated ``Client`` of ``group`` on the session's shared httpx client (sync or async) for
        ``base_url``; made once per (group, base URL, scope)."""
        key = (group, base_url.rstrip("/"), scope)
        with self._lock:
            found = self._generated.get(key)
        if found is not None:
            return found
        http = self.httpx_client(base_url, scope, user_trusted=user_trusted)
        client = attach(client_class(group), str(http.base_url).rstrip("/"), http)
        with self._lock:
            return self._generated.setdefault(key, client)

    # --- discovery cache ----------------------------------------------------------------------------------

    @staticmethod
    def _ws_key(ids: tuple[str, str, str]) -> tuple[str, str, str]:
        return (ids[0].lower(), ids[1].lower(), ids[2].lower())

    def cached_discovery(self, ids: tuple[str, str, str]) -> dict[str, str] | None:
        with self._lock:
            found = self._discovery.get(self._ws_key(ids))
        return dict(found) if found is not None else None

    def store_discovery(self, ids: tuple[str, str, str], doc: dict[str, str]) -> None:
        with self._lock:
            self._discovery[self._ws_key(ids)] = dict(doc)
            self.generation += 1

    def forget_discovery(self, ids: tuple[str, str, str]) -> None:
        with self._lock:
            self._discovery.pop(self._ws_key(ids), None)
            self.generation += 1

    def parse_discovery(self, url: str, response: httpx.Response) -> dict[str, str]:
        """Check and decode a discovery answer: a JSON object of service name -> base URL."""
        if response.status_code >= 400:
            raise error_from_response(response)
        try:
            doc = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidResponseError("Discovery_Get", f"body is not JSON ({exc})",
                                       status_code=response.status_code) from None
        if not isinstance(doc, dict):
            raise InvalidResponseError("Discovery_Get", "body is not a JSON object", status_code=response.status_code)
        return {str(k): str(v).rstrip("/") for k, v in doc.items() if isinstance(v, str) and v}

    def pick(self, group: str, endpoints: Mapping[str, str]) -> str:
        """The base URL for a data-plane ``group`` from a discovery document or explicit endpoints."""
        keys = DISCOVERY_KEYS.get(group)
        if keys is None:
            raise ValueError(f"{group!r} is not a data-plane group with a discovery entry")
        for key in keys:
            value = endpoints.get(key)
            if value:
                return value.rstrip("/")
        raise DiscoveryError(f"no endpoint for {group!r}: expected one of the keys {', '.join(keys)} "
                             f"(have: {', '.join(sorted(endpoints)) or 'none'})")


class Session(_SessionBase):
    """Sync httpx clients, one per (base URL, scope); :meth:`close` closes them all."""

    def __init__(self, credential: TokenCredentialLike, cloud: Cloud, config: HttpConfig, *,
                 data_plane_audience: str | None = None) -> None:
        super().__init__(credential, cloud, config, data_plane_audience=data_plane_audience)
        self._clients: dict[tuple[str, str | None], httpx.Client] = {}

    def httpx_client(self, base_url: str, scope: str | None, *, user_trusted: bool = False) -> httpx.Client:
        """The shared client for ``base_url``; ``scope=None`` means no Authorization (content/discovery)."""
        base = base_url.rstrip("/")
        key = (base, scope)
        with self._lock:
            existing = self._clients.get(key)
        if existing is not None:
            return existing
        auth = self.auth_for(base, scope, user_trusted=user_trusted) if scope is not None else None
        client = build_client(base, auth=auth, config=self.config)
        with self._lock:
            existing = self._clients.setdefault(key, client)
        if existing is not client:
            client.close()
        return existing

    def discovery_lock(self, ids: tuple[str, str, str]) -> threading.Lock:
        """The lock making discovery of one workspace single-flight across threads."""
        with self._lock:
            lock: threading.Lock = self._discovery_locks.setdefault(self._ws_key(ids), threading.Lock())
        return lock

    def content_client(self) -> httpx.Client:
        """Retries and timeouts, no Authorization: for SAS-style content/log URLs and discovery."""
        return self.httpx_client("", None)

    def fetch_discovery(self, url: str) -> dict[str, str]:
        """GET the discovery document (no Authorization) after checking its URL; checks every host it names."""
        self.check_discovery_url(url)
        response = self.content_client().get(url)
        doc = self.parse_discovery(url, response)
        return doc

    def close(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
            self._generated.clear()
            self.generation += 1
        for c in clients:
            c.close()


class AsyncSession(_SessionBase):
    """Async httpx clients, one per (base URL, scope); ``await aclose()`` closes them all."""

    def __init__(self, credential: TokenCredentialLike, cloud: Cloud, config: HttpConfig, *,
                 data_plane_audience: str | None = None) -> None:
        super().__init__(credential, cloud, config, data_plane_audience=data_plane_audience)
        self._clients: dict[tuple[str, str | None], httpx.AsyncClient] = {}

    def httpx_client(self, base_url: str, scope: str | None, *, user_trusted: bool = False) -> httpx.AsyncClient:
        """The shared async client for ``base_url``; ``scope=None`` means no Authorization."""
        base = base_url.rstrip("/")
        key = (base, scope)
        with self._lock:
            existing = self._clients.get(key)
            if existing is not None:
                return existing
            auth = None
        if scope is not None:
            auth = self.auth_for(base, scope, user_trusted=user_trusted)
        client = build_async_client(base, auth=auth, config=self.config)
        with self._lock:
            return self._clients.setdefault(key, client)

    def discovery_lock(self, ids: tuple[str, str, str]) -> asyncio.Lock:
        """The lock making discovery of one workspace single-flight across coroutines (one event loop)."""
        import asyncio  # only async users pay for it

        with self._lock:
            lock: asyncio.Lock = self._discovery_locks.setdefault(self._ws_key(ids), asyncio.Lock())
        return lock

    def content_client(self) -> httpx.AsyncClient:
        """Retries and timeouts, no Authorization."""
        return self.httpx_client("", None)

    async def fetch_discovery(self, url: str) -> dict[str, str]:
        """Async twin of :meth:`Session.fetch_discovery`."""
        self.check_discovery_url(url)
        response = await self.content_client().get(url)
        return self.parse_discovery(url, response)

    async def aclose(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
            self._generated.clear()
            self.generation += 1
        for c in clients:
            await c.aclose()
