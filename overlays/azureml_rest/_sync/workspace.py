# Generated from overlays/azureml_rest/_async/workspace.py by `python -m tools.unasync`: do not edit.
"""The workspace handle, made by ``ml.workspace(resource_group, name)``: the source of both
:class:`~azureml_rest.workspace.Workspace` and (through ``python -m tools.unasync``) ``Workspace``.

What operation modules (``ws.computes``, ``ws.jobs``, ``ws.v1.runs``, ...) and users build on:

- ``ws.ids`` -> ``(subscription_id, resource_group, workspace_name)``; ``ws.subscription_uuid`` for the data
  plane's ``format: uuid`` path parameter (specs/history.yaml, specs/execution.yaml).
- ``ws.client(group)`` -> the generated ``Client`` of ``group`` (``"machinelearning"`` (the current ARM
  API, 2025-12-01), ``"management"`` (the article's, 2019-11-01), ``"history"``,
  ``"execution"``, ``"modelmanagement"``, ``"discovery"``) pointed at the right host, with bearer auth,
  timeouts, retries and request ids; runs discovery on first use of a data-plane group.
- ``ws.httpx_client(group)`` -> the authenticated httpx client behind it (pollers and pagers GET with it);
  ``ws.content_client()`` -> one with retries and timeouts but NO Authorization, for SAS-style content and log
  URLs (``RunDetails.logFiles``).
- ``ws.url_guard(group)`` -> a function raising :class:`~azureml_rest.errors.UntrustedHostError` for a
  URL the group's token must not be sent to (the session's :class:`~azureml_rest.trust.HostPolicy`).
- ``ws.computes`` (ARM), the current API's ``ws.jobs``, ``ws.model_versions``, ``ws.environments``,
  ``ws.datastores``, ``ws.online_endpoints``, ``ws.online_deployments``; ``ws.v1`` holds the legacy v1 ones
  (``ws.v1.runs``, ``.experiments``, ``.models``, ``.services``, ``.scoring(service)``; :mod:`azureml_rest.legacy_v1`:
  v1 API deprecated 2025-03-31, CLI v1 support ended 2025-09-30, SDK v1 support ended 2026-06-30). The handle's
  old names ``ws.runs``, ``ws.experiments``, ``ws.models``, ``ws.services``, ``ws.scoring`` still give those very
  objects, with a ``DeprecationWarning``.

Discovery (:mod:`azureml_rest.discovery`) is lazy and cached per session: ``ws.discovery()`` GETs the
workspace (ARM), then its ``discoveryUrl`` without Authorization. ``endpoints={"api": "https://..."}`` replaces
discovery altogether; ``discovery_url=`` skips the ARM lookup (like the SDK's ``AZUREML_SERVICE_ENDPOINT``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .. import discovery as disco
from ..config import HttpConfig
from ..session import ARM_GROUPS, Session
from .legacy_v1 import LegacyV1, V1Alias

if TYPE_CHECKING:
    import uuid

    from ..operations.computes import ComputeOperations
    from ..operations.datastores import DatastoreOperations
    from ..operations.environments import EnvironmentOperations
    from ..operations.experiments import ExperimentOperations
    from ..operations.jobs import JobOperations
    from ..operations.models import ModelOperations
    from ..operations.models_v2 import ModelVersionOperations
    from ..operations.online_deployments import OnlineDeploymentOperations
    from ..operations.online_endpoints import OnlineEndpointOperations
    from ..operations.services import ServiceOperations
    from ..runs import RunOperations
    from .legacy_v1 import ScoringFactory

__all__ = ["Workspace"]


class Workspace:
    """A handle on one workspace (no request is made until an operation needs one)."""

    def __init__(self, session: Session, subscription_id: str, resource_group: str, name: str, *,
                 endpoints: Mapping[str, str] | None = None, discovery_url: str | None = None) -> None:
        self._session = session
        self._ids = (subscription_id, resource_group, name)
        self._endpoints = {k: v.rstrip("/") for k, v in endpoints.items()} if endpoints else None
        self._discovery_url = discovery_url
        # group -> (session generation, generated client): the per-call route (discovery lookup, endpoint
        # pick, trust check, client cache) is taken once per group while nothing it depends on changes.
        self._route_memo: dict[str, tuple[int, Any]] = {}

    @property
    def ids(self) -> tuple[str, str, str]:
        """``(subscription_id, resource_group, workspace_name)``."""
        return self._ids

    @cached_property
    def subscription_uuid(self) -> uuid.UUID:
        """The subscription id as a UUID (history and execution declare ``format: uuid``)."""
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

    # --- routing ------------------------------------------------------------------------------------------

    def _scope(self, group: str) -> str | None:
        if group in ARM_GROUPS:
            return self._session.arm_scope
        if group == "discovery":
            return None
        return self._session.data_plane_scope

    @property
    def _user_trusted(self) -> bool:
        return self._endpoints is not None

    def discovery(self, *, refresh: bool = False) -> dict[str, str]:
        """The service map (``{"api": "https://<region>.api.azureml.ms", ...}``); cached per workspace.

        With explicit ``endpoints`` those are returned and nothing is fetched.
        """
        if self._endpoints is not None:
            return dict(self._endpoints)
        cache = self._session.discovery
        if not refresh and (cached := cache.get(self._ids)) is not None:
            return cached
        with cache.lock(self._ids):
            # another caller may have fetched it while this one waited
            if not refresh and (cached := cache.get(self._ids)) is not None:
                return cached
            if self._discovery_url is None:
                self._discovery_url = disco.discovery_url_of(self.name, self.get())
            doc = disco.fetch(self._session.content_client(), self._session.trust, self._discovery_url)
            cache.store(self._ids, doc)
            return doc

    def endpoint(self, group: str) -> str:
        """Base URL for ``group`` (the ARM endpoint for management and machinelearning; discovery for the data
        plane)."""
        if group in ARM_GROUPS:
            return self._session.cloud.arm_endpoint
        if group == "discovery":
            self.discovery()  # makes sure the discovery URL is known
            assert self._discovery_url is not None
            return disco.discovery_base(self._discovery_url)
        endpoints = self._endpoints or self._session.discovery.get(self._ids) or self.discovery()
        base = disco.pick(group, endpoints)
        if not self._user_trusted:
            self._session.trust.check_learned_url(base)
        return base

    def client(self, group: str) -> Any:
        """The generated ``Client`` for ``group``, ready to use (see the module docstring)."""
        hit = self._route_memo.get(group)
        if hit is not None and hit[0] == self._session.generation:
            return hit[1]
        base = self.endpoint(group)
        generation = self._session.generation
        client = self._session.generated(group, base, self._scope(group), user_trusted=self._user_trusted)
        self._route_memo[group] = (generation, client)
        return client

    aclient = client  # unasync: drop (the name async code used before client() became a coroutine)

    def httpx_client(self, group: str) -> httpx.Client:
        """The authenticated httpx client behind :meth:`client` (pollers and pagers GET URLs with it)."""
        return self._session.httpx_client(self.endpoint(group), self._scope(group),
                                          user_trusted=self._user_trusted)

    def url_guard(self, group: str) -> Callable[[str], None]:
        """Raises UntrustedHostError for a URL this group's token must not be sent to."""
        scope = self._scope(group) or self._session.arm_scope
        return self._session.url_guard(
            self._session.auth_for(self.endpoint(group), scope, user_trusted=self._user_trusted))

    def content_client(self) -> httpx.Client:
        """httpx client with retries/timeouts and no Authorization (SAS-style content and log URLs)."""
        return self._session.content_client()

    def get(self) -> Any:
        """The workspace's ARM resource (generated ``Workspace`` model)."""
        from ..operations.workspaces import get_workspace

        return get_workspace(self._session, *self._ids)

    # --- operation groups ---------------------------------------------------------------------------------

    @cached_property
    def computes(self) -> ComputeOperations:
        from ..operations.computes import ComputeOperations

        return ComputeOperations(self)

    # The article's v1 groups live in ``ws.v1`` (built and cached there); these un-prefixed names are deprecated
    # aliases of them (the same objects, a DeprecationWarning naming ws.v1.<name> and the current API's way).
    experiments: V1Alias[ExperimentOperations] = V1Alias("ws.jobs (a job's experiment_name)")
    models: V1Alias[ModelOperations] = V1Alias("ws.model_versions")
    services: V1Alias[ServiceOperations] = V1Alias("ws.online_endpoints and ws.online_deployments")
    runs: V1Alias[RunOperations] = V1Alias("ws.jobs")
    scoring: V1Alias[ScoringFactory] = V1Alias("ws.online_endpoints.invoke")

    @cached_property
    def v1(self) -> LegacyV1:
        """The legacy v1 API's groups: ``runs``, ``experiments``, ``models``, ``services``, ``scoring(...)`` (the
        handle's attributes of those names are deprecated aliases of them). Legacy v1 API: deprecated 2025-03-31;
        CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30 (Microsoft Learn:
        how-to-migrate-from-v1)."""
        return LegacyV1(self)

    # --- the current API (machinelearning, 2025-12-01) ---------------------------------------------------------

    @cached_property
    def jobs(self) -> JobOperations:
        """Command jobs: submit from a local folder (code hashed and uploaded once), get, list, cancel, wait, stream
        the log, download outputs."""
        from .jobs import JobOperations

        return JobOperations(self)

    @cached_property
    def model_versions(self) -> ModelVersionOperations:
        """Models of the current API (registered from a job output or a local file)."""
        from .models_v2 import ModelVersionOperations

        return ModelVersionOperations(self)

    @cached_property
    def environments(self) -> EnvironmentOperations:
        """Environments (from an image or a conda file)."""
        from .environments import EnvironmentOperations

        return EnvironmentOperations(self)

    @cached_property
    def datastores(self) -> DatastoreOperations:
        """Datastores; secrets only on request (``secrets(name)``), hidden in every repr."""
        from .datastores import DatastoreOperations

        return DatastoreOperations(self)

    @cached_property
    def online_endpoints(self) -> OnlineEndpointOperations:
        """Managed online endpoints: create/update/delete with pollers, keys, tokens, traffic, ``invoke``."""
        from .online_endpoints import OnlineEndpointOperations

        return OnlineEndpointOperations(self)

    @cached_property
    def online_deployments(self) -> OnlineDeploymentOperations:
        """Managed online deployments: create/update/delete with pollers, logs."""
        from .online_deployments import OnlineDeploymentOperations

        return OnlineDeploymentOperations(self)
