"""The facade: :class:`AzureML` and :class:`AsyncAzureML`.

``ml = AzureML(credential=..., subscription_id=..., cloud="AzureCloud", http=HttpConfig(...))`` gives
``ml.resource_groups``, ``ml.workspaces`` and ``ml.workspace(rg, name)`` (a :class:`~azureml_rest.workspace.Workspace`
handle for the data plane). Routing rules (ARM endpoint, discovery, token audiences, trusted hosts) are in
:mod:`azureml_rest.routing`. Close it (or use ``with``) to close its connections.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from .auth import TokenCredentialLike
from .clouds import Cloud, get_cloud
from .config import HttpConfig
from .routing import AsyncSession, Session
from .workspace import AsyncWorkspace, Workspace

if TYPE_CHECKING:
    from .operations.resource_groups import AsyncResourceGroupOperations, ResourceGroupOperations
    from .operations.workspaces import AsyncWorkspaceOperations, WorkspaceOperations

__all__ = ["EMULATOR_ACCOUNT", "AsyncAzureML", "AzureML"]

#: The emulator's development account (CONTRIBUTING.md), like Azurite's well-known key.
EMULATOR_ACCOUNT: dict[str, str] = {
    "tenant_id": "00000000-0000-4000-8000-00000000e001",
    "client_id": "00000000-0000-4000-8000-00000000c11e",
    "client_secret": "emulator-dev-secret",
    "subscription_id": "00000000-0000-4000-8000-0000000005b5",
}


def _cloud_from_env(environ: Mapping[str, str]) -> Cloud:
    return get_cloud(environ.get("AZUREML_CLOUD") or environ.get("AZURE_CLOUD") or "AzureCloud")


def _emulator_config(http: HttpConfig | None, ca_file: str | None) -> HttpConfig:
    cfg = http or HttpConfig()
    return replace(cfg, verify=ca_file) if ca_file else cfg


class _Base:
    _session: Session | AsyncSession

    def __init__(self, subscription_id: str) -> None:
        if not subscription_id:
            raise ValueError("subscription_id is required")
        self.subscription_id = subscription_id

    @property
    def cloud(self) -> Cloud:
        return self._session.cloud

    @property
    def http_config(self) -> HttpConfig:
        return self._session.config

    def __repr__(self) -> str:
        return f"{type(self).__name__}(subscription_id={self.subscription_id!r}, cloud={self.cloud.name!r})"


class AzureML(_Base):
    """Synchronous entry point. Defaults: ``cloud="AzureCloud"``, ``http=HttpConfig()``, data-plane token
    audience = the cloud's ARM audience (the article's; pass ``data_plane_audience="https://ml.azure.com"``
    for the newer one)."""

    _session: Session

    def __init__(
        self,
        credential: TokenCredentialLike,
        subscription_id: str,
        *,
        cloud: str | Cloud = "AzureCloud",
        http: HttpConfig | None = None,
        data_plane_audience: str | None = None,
    ) -> None:
        super().__init__(subscription_id)
        self._session = Session(credential, get_cloud(cloud), http or HttpConfig(),
                                data_plane_audience=data_plane_audience)

    @classmethod
    def from_env(cls, *, http: HttpConfig | None = None, environ: Mapping[str, str] | None = None) -> AzureML:
        """From ``AZURE_TENANT_ID``/``AZURE_CLIENT_ID``/``AZURE_CLIENT_SECRET``/``AZURE_SUBSCRIPTION_ID``
        (``AZURE_AUTHORITY_HOST`` and ``AZUREML_CLOUD`` optional)."""
        from .credentials import credential_from_env, subscription_id_from_env

        env = os.environ if environ is None else environ
        cloud = _cloud_from_env(env)
        sub = subscription_id_from_env(env)
        if not sub:
            raise ValueError("AZURE_SUBSCRIPTION_ID is not set")
        return cls(credential_from_env(cloud=cloud, environ=env), sub, cloud=cloud, http=http)

    @classmethod
    def for_emulator(cls, base_url: str, ca_file: str | None = None, *, http: HttpConfig | None = None,
                     token_version: Literal["v1", "v2"] = "v2") -> AzureML:  # noqa: S107
        """A client for the local emulator at ``base_url`` with its development account (CONTRIBUTING.md).

        ``ca_file``: the emulator's CA certificate when it runs with ``--tls``.
        """
        from .credentials import ServicePrincipalCredential

        cloud = Cloud.emulator(base_url)
        cfg = _emulator_config(http, ca_file)
        cred = ServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                          EMULATOR_ACCOUNT["client_secret"], cloud=cloud,
                                          token_version=token_version, http_config=cfg)
        return cls(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud, http=cfg)

    @cached_property
    def resource_groups(self) -> ResourceGroupOperations:
        from .operations._common import ArmHandle
        from .operations.resource_groups import ResourceGroupOperations

        return ResourceGroupOperations(ArmHandle(self._session, self.subscription_id))

    @cached_property
    def workspaces(self) -> WorkspaceOperations:
        from .operations._common import ArmHandle
        from .operations.workspaces import WorkspaceOperations

        return WorkspaceOperations(ArmHandle(self._session, self.subscription_id))

    def workspace(self, resource_group: str, name: str, *, endpoints: Mapping[str, str] | None = None,
                  discovery_url: str | None = None) -> Workspace:
        """A handle on a workspace; no request is made until needed (discovery is lazy and cached)."""
        return Workspace(self._session, self.subscription_id, resource_group, name, endpoints=endpoints,
                         discovery_url=discovery_url)

    def client(self, group: str = "management") -> Any:
        """The generated management ``Client`` (ARM endpoint, ARM token): the escape hatch above workspaces."""
        if group != "management":
            raise ValueError("only 'management' is subscription-level; use ml.workspace(...).client(group)")
        return self._session.generated("management", self.cloud.arm_endpoint, self._session.arm_scope)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> AzureML:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAzureML(_Base):
    """Asynchronous entry point; same shape as :class:`AzureML` (``async with``, ``await aclose()``)."""

    _session: AsyncSession

    def __init__(
        self,
        credential: TokenCredentialLike,
        subscription_id: str,
        *,
        cloud: str | Cloud = "AzureCloud",
        http: HttpConfig | None = None,
        data_plane_audience: str | None = None,
    ) -> None:
        super().__init__(subscription_id)
        self._session = AsyncSession(credential, get_cloud(cloud), http or HttpConfig(),
                                     data_plane_audience=data_plane_audience)

    @classmethod
    def from_env(cls, *, http: HttpConfig | None = None,
                 environ: Mapping[str, str] | None = None) -> AsyncAzureML:
        """Like :meth:`AzureML.from_env`, with an async credential."""
        from .credentials import credential_from_env, subscription_id_from_env

        env = os.environ if environ is None else environ
        cloud = _cloud_from_env(env)
        sub = subscription_id_from_env(env)
        if not sub:
            raise ValueError("AZURE_SUBSCRIPTION_ID is not set")
        return cls(credential_from_env(async_=True, cloud=cloud, environ=env), sub, cloud=cloud, http=http)

    @classmethod
    def for_emulator(cls, base_url: str, ca_file: str | None = None, *, http: HttpConfig | None = None,
                     token_version: Literal["v1", "v2"] = "v2") -> AsyncAzureML:  # noqa: S107
        """Like :meth:`AzureML.for_emulator`, with an async credential."""
        from .credentials import AsyncServicePrincipalCredential

        cloud = Cloud.emulator(base_url)
        cfg = _emulator_config(http, ca_file)
        cred = AsyncServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                               EMULATOR_ACCOUNT["client_secret"], cloud=cloud,
                                               token_version=token_version, http_config=cfg)
        return cls(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud, http=cfg)

    @cached_property
    def resource_groups(self) -> AsyncResourceGroupOperations:
        from .operations._common import AsyncArmHandle
        from .operations.resource_groups import AsyncResourceGroupOperations

        return AsyncResourceGroupOperations(AsyncArmHandle(self._session, self.subscription_id))

    @cached_property
    def workspaces(self) -> AsyncWorkspaceOperations:
        from .operations._common import AsyncArmHandle
        from .operations.workspaces import AsyncWorkspaceOperations

        return AsyncWorkspaceOperations(AsyncArmHandle(self._session, self.subscription_id))

    def workspace(self, resource_group: str, name: str, *, endpoints: Mapping[str, str] | None = None,
                  discovery_url: str | None = None) -> AsyncWorkspace:
        """An async handle on a workspace (no I/O until needed)."""
        return AsyncWorkspace(self._session, self.subscription_id, resource_group, name, endpoints=endpoints,
                              discovery_url=discovery_url)

    def client(self, group: str = "management") -> Any:
        """The async-configured generated management ``Client``."""
        if group != "management":
            raise ValueError("only 'management' is subscription-level; use await ml.workspace(...).aclient(group)")
        return self._session.generated("management", self.cloud.arm_endpoint, self._session.arm_scope)

    async def aclose(self) -> None:
        await self._session.aclose()

    async def __aenter__(self) -> AsyncAzureML:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
