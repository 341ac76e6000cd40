"""The facade, made from credentials: the source of both :class:`~azureml_rest.client.AsyncAzureML` and (through
``python -m tools.unasync``) ``AzureML``.

``ml = AzureML(credential=..., subscription_id=..., cloud="AzureCloud", http=HttpConfig(...))`` gives
``ml.resource_groups``, ``ml.workspaces`` and ``ml.workspace(rg, name)`` (a workspace handle for the data
plane). Routing (ARM endpoint, discovery, token audiences, trusted hosts) is the session's
(:mod:`azureml_rest.session`). Close it (or use ``with``) to close its connections.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from ..auth import TokenCredentialLike
from ..clouds import Cloud, get_cloud
from ..config import HttpConfig
from ..facade_support import EMULATOR_ACCOUNT, cloud_from_env, emulator_config, required_subscription
from ..session import ARM_GROUPS, AsyncSession
from .workspace import AsyncWorkspace

if TYPE_CHECKING:
    from ..operations.resource_groups import AsyncResourceGroupOperations
    from ..operations.workspaces import AsyncWorkspaceOperations

__all__ = ["AsyncAzureML"]


class AsyncAzureML:
    """The entry point. Defaults: ``cloud="AzureCloud"``, ``http=HttpConfig()``, data-plane token audience = the
    cloud's ARM audience (the article's; pass ``data_plane_audience="https://ml.azure.com"`` for the newer one),
    every operation group at its default api-version (``api_versions={"management": "2020-08-01"}`` picks a
    side-by-side generated package for a group; ``azureml_rest._registry.GROUPS`` lists them)."""

    def __init__(
        self,
        credential: TokenCredentialLike,
        subscription_id: str,
        *,
        cloud: str | Cloud = "AzureCloud",
        http: HttpConfig | None = None,
        data_plane_audience: str | None = None,
        api_versions: Mapping[str, str] | None = None,
    ) -> None:
        self.subscription_id = required_subscription(subscription_id)
        self._session = AsyncSession(credential, get_cloud(cloud), http or HttpConfig(),
                                     data_plane_audience=data_plane_audience, api_versions=api_versions)

    @property
    def cloud(self) -> Cloud:
        return self._session.cloud

    @property
    def http_config(self) -> HttpConfig:
        return self._session.config

    @property
    def api_versions(self) -> dict[str, str]:
        """The api-versions chosen per group (groups not named use their default)."""
        return dict(self._session.api_versions)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(subscription_id={self.subscription_id!r}, cloud={self.cloud.name!r})"

    @classmethod
    def from_env(cls, *, http: HttpConfig | None = None, environ: Mapping[str, str] | None = None,
                 api_versions: Mapping[str, str] | None = None) -> AsyncAzureML:
        """From ``AZURE_TENANT_ID``/``AZURE_CLIENT_ID``/``AZURE_CLIENT_SECRET``/``AZURE_SUBSCRIPTION_ID``
        (``AZURE_AUTHORITY_HOST`` and ``AZUREML_CLOUD`` optional)."""
        from ..credentials import credential_from_env, subscription_id_from_env

        env = os.environ if environ is None else environ
        cloud = cloud_from_env(env)
        sub = subscription_id_from_env(env)
        if not sub:
            raise ValueError("AZURE_SUBSCRIPTION_ID is not set")
        credential = credential_from_env(async_=True, cloud=cloud, environ=env)
        return cls(credential, sub, cloud=cloud, http=http, api_versions=api_versions)

    @classmethod
    def for_emulator(cls, base_url: str, ca_file: str | None = None, *, http: HttpConfig | None = None,
                     token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
                     api_versions: Mapping[str, str] | None = None) -> AsyncAzureML:
        """A client for the local emulator at ``base_url`` with its development account (CONTRIBUTING.md).

        ``ca_file``: the emulator's CA certificate when it runs with ``--tls``.
        """
        from ..credentials import AsyncServicePrincipalCredential

        cloud = Cloud.emulator(base_url)
        cfg = emulator_config(http, ca_file)
        cred = AsyncServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                               EMULATOR_ACCOUNT["client_secret"], cloud=cloud,
                                               token_version=token_version, http_config=cfg)
        return cls(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud, http=cfg, api_versions=api_versions)

    @cached_property
    def resource_groups(self) -> AsyncResourceGroupOperations:
        from ..operations._common import AsyncArmHandle
        from ..operations.resource_groups import AsyncResourceGroupOperations

        return AsyncResourceGroupOperations(AsyncArmHandle(self._session, self.subscription_id))

    @cached_property
    def workspaces(self) -> AsyncWorkspaceOperations:
        from ..operations._common import AsyncArmHandle
        from ..operations.workspaces import AsyncWorkspaceOperations

        return AsyncWorkspaceOperations(AsyncArmHandle(self._session, self.subscription_id))

    def workspace(self, resource_group: str, name: str, *, endpoints: Mapping[str, str] | None = None,
                  discovery_url: str | None = None) -> AsyncWorkspace:
        """A handle on a workspace; no request is made until needed (discovery is lazy and cached)."""
        return AsyncWorkspace(self._session, self.subscription_id, resource_group, name, endpoints=endpoints,
                              discovery_url=discovery_url)

    def client(self, group: str = "management") -> Any:
        """The generated ``Client`` of an ARM group (``"management"``, the article's 2019-11-01 API, or
        ``"machinelearning"``, the current one) on the ARM endpoint with the ARM token, at the session's
        api-version for the group: the escape hatch above workspaces; data-plane groups are per workspace
        (``ws.client(group)``)."""
        if group not in ARM_GROUPS:
            raise ValueError(f"{group!r} is not subscription-level (ARM: {', '.join(sorted(ARM_GROUPS))}); "
                             "use ml.workspace(...).client(group)")
        return self._session.generated(group, self.cloud.arm_endpoint, self._session.arm_scope)

    async def close(self) -> None:
        """Close every connection the facade and its workspace handles opened."""
        await self._session.close()

    aclose = close  # unasync: drop

    async def __aenter__(self) -> AsyncAzureML:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
