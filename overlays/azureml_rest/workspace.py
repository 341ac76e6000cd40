"""Workspace handles: :class:`Workspace` (sync) and :class:`AsyncWorkspace`, made by ``AzureML.workspace(...)``.

Interface other modules (``runs.py``, ``snapshot.py``, the CLI) build on — stable:

- ``ws.ids`` -> ``(subscription_id, resource_group, workspace_name)``, the path parameters every generated
  data-plane function needs (history/execution type ``subscription_id`` as ``uuid.UUID``: use
  ``ws.subscription_uuid``).
- ``ws.client(group)`` -> the generated ``Client`` of ``group`` (``"management"``, ``"history"``,
  ``"execution"``, ``"modelmanagement"``, ``"discovery"``) pointed at the right host, with bearer auth,
  timeouts, retries and request ids. Sync: runs discovery on first use of a data-plane group.
  Async: ``AsyncWorkspace.client(group)`` never does I/O, so for a data-plane group it needs discovery to have
  happened (``await ws.discovery()`` or explicit ``endpoints``) and raises ``RuntimeError`` otherwise;
  ``await ws.aclient(group)`` does discovery when needed and is the form to use.
- ``ws.http_config`` -> the :class:`~azureml_rest.config.HttpConfig` in use.
- ``ws.content_client()`` -> an ``httpx.Client`` / ``httpx.AsyncClient`` with retries and timeouts but NO
  Authorization, for SAS-style content and log URLs (``RunDetails.logFiles``).
- ``ws.url_guard(group)`` -> a function raising :class:`~azureml_rest.errors.UntrustedHostError` for a URL the
  group's bearer client must not send a token to (pollers and pagers call it on header/body URLs).
- ``ws.runs`` -> ``azureml_rest.runs.RunOperations(ws)`` / ``AsyncRunOperations(ws)``, imported lazily.
- ``ws.computes``, ``ws.experiments``, ``ws.models``, ``ws.services``, ``ws.scoring(service)``.

Discovery is lazy and cached per workspace by the facade: ``ws.discovery()`` GETs the workspace (ARM), then its
``discoveryUrl`` without Authorization. ``endpoints={"api": "https://..."}`` replaces discovery altogether;
``discovery_url=`` skips the ARM lookup (like the SDK's ``AZUREML_SERVICE_ENDPOINT``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .config import HttpConfig
from .routing import AsyncSession, DiscoveryError, Session

if TYPE_CHECKING:
    import uuid

    from .operations.computes import AsyncComputeOperations, ComputeOperations
    from .operations.experiments import AsyncExperimentOperations, ExperimentOperations
    from .operations.models import AsyncModelOperations, ModelOperations
    from .operations.scoring import AsyncScoringClient, ScoringClient
    from .operations.services import AsyncServiceOperations, ServiceOperations

__all__ = ["AsyncWorkspace", "Workspace"]

_DATA_PLANE = ("history", "execution", "modelmanagement")


class _WorkspaceBase:
    def __init__(
        self,
        session: Session | AsyncSession,
        subscription_id: str,
        resource_group: str,
        name: str,
        *,
        endpoints: Mapping[str, str] | None = None,
        discovery_url: str | None = None,
    ) -> None:
        self._session = session
        self._ids = (subscription_id, resource_group, name)
        self._endpoints = {k: v.rstrip("/") for k, v in endpoints.items()} if endpoints else None
        self._discovery_url = discovery_url
        # group -> (session generation, generated client): the per-call route (discovery lookup, endpoint
        # pick, trust check, client cache) is taken once per group while nothing it depends on changes.
        self._route_memo: dict[str, tuple[int, Any]] = {}

    def _remembered(self, group: str) -> Any | None:
        hit = self._route_memo.get(group)
        return hit[1] if hit is not None and hit[0] == self._session.generation else None

    def _remember(self, group: str, generation: int, client: Any) -> Any:
        self._route_memo[group] = (generation, client)
        return client

    @property
    def ids(self) -> tuple[str, str, str]:
        """``(subscription_id, resource_group, workspace_name)``."""
        return self._ids

    @cached_property
    def subscription_uuid(self) -> uuid.UUID:
        """The subscription id as a UUID (history and execution declare ``format: uuid``, facts §11.14)."""
        import uuid  # only data-plane calls need it; kept out of the first (ARM) call's imports

        return uuid.UUID(self._ids[0])

    @property
    def name(self) -> str:
        return self._ids[2]

    @property
    def resource_group(self) -> str:
        return self._ids[1]

    @property
    def http_config(self) -> HttpConfig:
        return self._session.config

    def __repr__(self) -> str:
        sub, rg, name = self._ids
        return f"{type(self).__name__}(subscription_id={sub!r}, resource_group={rg!r}, name={name!r})"

    def _known_endpoints(self) -> tuple[dict[str, str] | None, bool]:
        """(endpoints, user_trusted) without I/O, or (None, False) when discovery is still needed."""
        if self._endpoints is not None:
            return self._endpoints, True
        return self._session.cached_discovery(self._ids), False

    def _base_for(self, group: str, endpoints: Mapping[str, str], user_trusted: bool) -> str:
        base = self._session.pick(group, endpoints)
        if not user_trusted:
            self._session.check_learned_url(base)
        return base

    def _scope(self, group: str) -> str | None:
        if group == "management":
            return self._session.arm_scope
        if group == "discovery":
            return None
        return self._session.data_plane_scope

    def _discovery_url_from(self, ws_model: Any) -> str:
        props = getattr(ws_model, "properties", None)
        url = getattr(props, "discovery_url", None)
        if not isinstance(url, str) or not url:
            raise DiscoveryError(f"workspace {self._ids[2]!r} has no discoveryUrl (is it still being created?)")
        return url

    def _discovery_base(self) -> str:
        if self._discovery_url is None:
            raise RuntimeError("discovery URL not known yet")
        url = httpx.URL(self._discovery_url)
        path = url.path[: -len("/discovery")] if url.path.endswith("/discovery") else url.path
        return str(url.copy_with(path=path or "/", query=None)).rstrip("/")


class Workspace(_WorkspaceBase):
    """A synchronous handle on one workspace (no request is made until an operation needs one)."""

    _session: Session

    def __init__(self, session: Session, subscription_id: str, resource_group: str, name: str, *,
                 endpoints: Mapping[str, str] | None = None, discovery_url: str | None = None) -> None:
        super().__init__(session, subscription_id, resource_group, name, endpoints=endpoints,
                         discovery_url=discovery_url)

    def discovery(self, *, refresh: bool = False) -> dict[str, str]:
        """The service map (``{"api": "https://<region>.api.azureml.ms", ...}``); cached per workspace.

        With explicit ``endpoints`` those are returned and nothing is fetched.
        """
        if self._endpoints is not None:
            return dict(self._endpoints)
        if not refresh:
            cached = self._session.cached_discovery(self._ids)
            if cached is not None:
                return cached
        with self._session.discovery_lock(self._ids):
            if not refresh:  # another thread may have fetched it while this one waited
                cached = self._session.cached_discovery(self._ids)
                if cached is not None:
                    return cached
            if self._discovery_url is None:
                from .operations.workspaces import get_workspace

                self._discovery_url = self._discovery_url_from(get_workspace(self._session, *self._ids))
            doc = self._session.fetch_discovery(self._discovery_url)
            self._session.store_discovery(self._ids, doc)
            return doc

    def endpoint(self, group: str) -> str:
        """Base URL for ``group`` (ARM endpoint for management; discovery for the data plane)."""
        if group == "management":
            return self._session.cloud.arm_endpoint
        if group == "discovery":
            self.discovery()  # makes sure the discovery URL is known
            return self._discovery_base()
        endpoints, trusted = self._known_endpoints()
        if endpoints is None:
            endpoints, trusted = self.discovery(), False
        return self._base_for(group, endpoints, trusted)

    def client(self, group: str) -> Any:
        """The generated ``Client`` for ``group``, ready to use (see the module docstring)."""
        found = self._remembered(group)
        if found is not None:
            return found
        generation = self._session.generation
        base = self.endpoint(group)
        client = self._session.generated(group, base, self._scope(group), user_trusted=self._endpoints is not None)
        return self._remember(group, generation, client)

    def httpx_client(self, group: str) -> httpx.Client:
        """The authenticated httpx client behind :meth:`client` (pollers and pagers GET URLs with it)."""
        return self._session.httpx_client(self.endpoint(group), self._scope(group),
                                          user_trusted=self._endpoints is not None)

    def url_guard(self, group: str) -> Callable[[str], None]:
        """Raises UntrustedHostError for a URL this group's token must not be sent to."""
        scope = self._scope(group) or self._session.arm_scope
        guard: Callable[[str], None] = self._session.url_guard(
            self._session.auth_for(self.endpoint(group), scope, user_trusted=self._endpoints is not None))
        return guard

    def content_client(self) -> httpx.Client:
        """httpx client with retries/timeouts and no Authorization (SAS-style content and log URLs)."""
        return self._session.content_client()

    def get(self) -> Any:
        """The workspace's ARM resource (generated ``Workspace`` model)."""
        from .operations.workspaces import get_workspace

        return get_workspace(self._session, *self._ids)

    @cached_property
    def computes(self) -> ComputeOperations:
        from .operations.computes import ComputeOperations

        return ComputeOperations(self)

    @cached_property
    def experiments(self) -> ExperimentOperations:
        from .operations.experiments import ExperimentOperations

        return ExperimentOperations(self)

    @cached_property
    def models(self) -> ModelOperations:
        from .operations.models import ModelOperations

        return ModelOperations(self)

    @cached_property
    def services(self) -> ServiceOperations:
        from .operations.services import ServiceOperations

        return ServiceOperations(self)

    @cached_property
    def runs(self) -> Any:
        """``azureml_rest.runs.RunOperations(self)`` (written by the runs module; imported on first use)."""
        return importlib.import_module("azureml_rest.runs").RunOperations(self)

    def scoring(self, service: Any, *, auth: str = "key") -> ScoringClient:
        """A scoring client for a service (its id, name or ``ServiceResponse``); see :class:`ScoringClient`."""
        from .operations.scoring import ScoringClient

        return ScoringClient.for_service(self, service, auth=auth)


class AsyncWorkspace(_WorkspaceBase):
    """An async handle on one workspace; data-plane clients come from ``await ws.aclient(group)``."""

    _session: AsyncSession

    def __init__(self, session: AsyncSession, subscription_id: str, resource_group: str, name: str, *,
                 endpoints: Mapping[str, str] | None = None, discovery_url: str | None = None) -> None:
        super().__init__(session, subscription_id, resource_group, name, endpoints=endpoints,
                         discovery_url=discovery_url)

    async def discovery(self, *, refresh: bool = False) -> dict[str, str]:
        """Async twin of :meth:`Workspace.discovery`."""
        if self._endpoints is not None:
            return dict(self._endpoints)
        if not refresh:
            cached = self._session.cached_discovery(self._ids)
            if cached is not None:
                return cached
        async with self._session.discovery_lock(self._ids):
            if not refresh:  # another coroutine may have fetched it while this one waited
                cached = self._session.cached_discovery(self._ids)
                if cached is not None:
                    return cached
            if self._discovery_url is None:
                from .operations.workspaces import aget_workspace

                self._discovery_url = self._discovery_url_from(await aget_workspace(self._session, *self._ids))
            doc = await self._session.fetch_discovery(self._discovery_url)
            self._session.store_discovery(self._ids, doc)
            return doc

    def _endpoint_now(self, group: str) -> str:
        if group == "management":
            return self._session.cloud.arm_endpoint
        if group == "discovery":
            return self._discovery_base()
        endpoints, trusted = self._known_endpoints()
        if endpoints is None:
            raise RuntimeError(f"the {group!r} endpoint needs discovery: use `await ws.aclient({group!r})` "
                               "or `await ws.discovery()` first")
        return self._base_for(group, endpoints, trusted)

    async def endpoint(self, group: str) -> str:
        """Base URL for ``group``, running discovery when needed."""
        if group in _DATA_PLANE or group == "discovery":
            await self.discovery()
        return self._endpoint_now(group)

    def client(self, group: str) -> Any:
        """The async-configured generated ``Client``; no I/O (see the module docstring)."""
        return self._session.generated(group, self._endpoint_now(group), self._scope(group),
                                       user_trusted=self._endpoints is not None)

    async def aclient(self, group: str) -> Any:
        """The async-configured generated ``Client``, running discovery first when needed."""
        found = self._remembered(group)
        if found is not None:
            return found
        await self.endpoint(group)
        generation = self._session.generation
        return self._remember(group, generation, self.client(group))

    async def httpx_client(self, group: str) -> httpx.AsyncClient:
        """The authenticated async httpx client behind :meth:`aclient`."""
        return self._session.httpx_client(await self.endpoint(group), self._scope(group),
                                          user_trusted=self._endpoints is not None)

    async def url_guard(self, group: str) -> Callable[[str], None]:
        """Raises UntrustedHostError for a URL this group's token must not be sent to."""
        scope = self._scope(group) or self._session.arm_scope
        guard: Callable[[str], None] = self._session.url_guard(
            self._session.auth_for(await self.endpoint(group), scope, user_trusted=self._endpoints is not None))
        return guard

    def content_client(self) -> httpx.AsyncClient:
        """Async httpx client with retries/timeouts and no Authorization."""
        return self._session.content_client()

    async def get(self) -> Any:
        """The workspace's ARM resource (generated ``Workspace`` model)."""
        from .operations.workspaces import aget_workspace

        return await aget_workspace(self._session, *self._ids)

    @cached_property
    def computes(self) -> AsyncComputeOperations:
        from .operations.computes import AsyncComputeOperations

        return AsyncComputeOperations(self)

    @cached_property
    def experiments(self) -> AsyncExperimentOperations:
        from .operations.experiments import AsyncExperimentOperations

        return AsyncExperimentOperations(self)

    @cached_property
    def models(self) -> AsyncModelOperations:
        from .operations.models import AsyncModelOperations

        return AsyncModelOperations(self)

    @cached_property
    def services(self) -> AsyncServiceOperations:
        from .operations.services import AsyncServiceOperations

        return AsyncServiceOperations(self)

    @cached_property
    def runs(self) -> Any:
        """``azureml_rest.runs.AsyncRunOperations(self)`` (imported on first use)."""
        return importlib.import_module("azureml_rest.runs").AsyncRunOperations(self)

    def scoring(self, service: Any, *, auth: str = "key") -> AsyncScoringClient:
        """An async scoring client for a service (id, name or ``ServiceResponse``)."""
        from .operations.scoring import AsyncScoringClient

        return AsyncScoringClient.for_service(self, service, auth=auth)
