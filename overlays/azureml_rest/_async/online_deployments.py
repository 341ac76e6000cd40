"""Managed online deployments of the current API (``OnlineDeployments_*``; 2025-12-01).

A deployment runs a model version behind a scoring script (``init()``/``run()``) from a code version, in an
environment, on an endpoint. Long-running as specs/machinelearning.yaml declares (specs/README.md, "The current
API"): create (PUT) 201 + ``Azure-AsyncOperation``, ``final-state-via: original-uri`` (the poller GETs the
deployment at the end); update (PATCH) and delete 202 + ``Location``. Every polling URL passes ``ws.url_guard``.
``logs`` reads a container's log (``getLogs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azureml_machinelearning_client.api.online_deployments import (
    online_deployments_create_or_update,
    online_deployments_delete,
    online_deployments_get,
    online_deployments_get_logs,
    online_deployments_list,
    online_deployments_update,
)
from azureml_machinelearning_client.models import (
    ContainerType,
    DeploymentLogs,
    DeploymentLogsRequest,
    OnlineDeployment,
    OnlineDeploymentTrackedResourceArmPaginatedResult,
    PartialMinimalTrackedResourceWithSku,
)

from .._call import acall, acall_detailed
from ..lro import AsyncPoller
from ..operations._common import decode, text
from ..operations._v2 import GROUP, body
from ..paging import AsyncPager
from ._pagers import link_pager
from ._v2_calls import v2_poller, workspace_location

__all__ = ["AsyncOnlineDeploymentOperations"]


def _decode(doc: Any) -> OnlineDeployment:
    return decode("OnlineDeployments_Get", OnlineDeployment.from_dict, doc)


def _asset_id(x: Any) -> str:
    """An ARM id given as a string or as the version read back (its ``id``)."""
    return x if isinstance(x, str) else str(x.id)


class AsyncOnlineDeploymentOperations:
    """``ws.online_deployments``: begin_create_or_update, get, list, begin_update, begin_delete, logs."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    async def begin_create_or_update(
        self,
        endpoint: str,
        name: str,
        *,
        model: Any,
        code: Any | None = None,
        scoring_script: str | None = None,
        environment: Any | None = None,
        instance_type: str = "Standard_DS3_v2",
        instance_count: int = 1,
        environment_variables: Mapping[str, str] | None = None,
        location: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> AsyncPoller[OnlineDeployment]:
        """Create or replace deployment ``name`` of ``endpoint``; the poller's result is the deployment as read
        once its operation succeeded (``OperationFailedError`` with the service's message when ``init()``
        failed).

        ``model``, ``code``, ``environment``: ARM ids of versions (or the versions read back);
        ``scoring_script``: the script's path inside the code version (needed with ``code``). Defaults:
        ``instance_type="Standard_DS3_v2"``, one instance (sku ``Default``), the workspace's location."""
        if (code is None) != (scoring_script is None):
            raise ValueError("give code and scoring_script together")
        if location is None:
            location = await workspace_location(self._ws)
        props: dict[str, Any] = {
            "endpointComputeType": "Managed", "instanceType": instance_type, "model": _asset_id(model),
            "environmentId": _asset_id(environment) if environment is not None else None,
            "environmentVariables": dict(environment_variables) if environment_variables is not None else None,
            "description": description, "appInsightsEnabled": False,
        }
        if code is not None:
            props["codeConfiguration"] = {"codeId": _asset_id(code), "scoringScript": scoring_script}
        deployment = body(OnlineDeployment.from_dict, props, location=location,
                          sku={"name": "Default", "capacity": instance_count},
                          tags=dict(tags) if tags is not None else None)
        sub, rg, ws = self._ws.ids
        resp = await acall_detailed(online_deployments_create_or_update.asyncio_detailed, sub, rg, ws, endpoint, name,
                                    client=await self._ws.aclient(GROUP), body=deployment)
        return await v2_poller(self._ws, "OnlineDeployments_CreateOrUpdate", resp,
                               online_deployments_get.asyncio_detailed, endpoint, name,
                               method="PUT", prefer="azure-async-operation", deserialize=_decode)

    async def get(self, endpoint: str, name: str) -> OnlineDeployment:
        """One deployment (``NotFoundError`` when absent)."""
        sub, rg, ws = self._ws.ids
        return await acall(OnlineDeployment, online_deployments_get.asyncio_detailed, sub, rg, ws, endpoint, name,
                           client=await self._ws.aclient(GROUP))

    def list(self, endpoint: str) -> AsyncPager[OnlineDeployment]:
        """The endpoint's deployments; lazy, follows ``nextLink``."""
        sub, rg, ws = self._ws.ids

        async def first() -> OnlineDeploymentTrackedResourceArmPaginatedResult:
            return await acall(OnlineDeploymentTrackedResourceArmPaginatedResult,
                               online_deployments_list.asyncio_detailed, sub, rg, ws, endpoint,
                               client=await self._ws.aclient(GROUP))

        return link_pager("OnlineDeployments_List", OnlineDeployment, first,
                          OnlineDeploymentTrackedResourceArmPaginatedResult.from_dict, self._ws, GROUP)

    async def begin_update(self, endpoint: str, name: str, *, instance_count: int | None = None,
                           tags: Mapping[str, str] | None = None) -> AsyncPoller[OnlineDeployment]:
        """PATCH the instance count (sku capacity) and/or tags (202 + ``Location``, polled)."""
        patch: dict[str, Any] = {}
        if instance_count is not None:
            patch["sku"] = {"name": "Default", "capacity": instance_count}
        if tags is not None:
            patch["tags"] = dict(tags)
        sub, rg, ws = self._ws.ids
        resp = await acall_detailed(online_deployments_update.asyncio_detailed, sub, rg, ws, endpoint, name,
                                    client=await self._ws.aclient(GROUP),
                                    body=PartialMinimalTrackedResourceWithSku.from_dict(patch))
        return await v2_poller(self._ws, "OnlineDeployments_Update", resp,
                               online_deployments_get.asyncio_detailed, endpoint, name,
                               method="PATCH", prefer="location", deserialize=_decode)

    async def begin_delete(self, endpoint: str, name: str) -> AsyncPoller[None]:
        """Delete a deployment (202 + ``Location``, polled). Take its traffic away first."""
        sub, rg, ws = self._ws.ids
        resp = await acall_detailed(online_deployments_delete.asyncio_detailed, sub, rg, ws, endpoint, name,
                                    client=await self._ws.aclient(GROUP))
        return await v2_poller(self._ws, "OnlineDeployments_Delete", resp,
                               online_deployments_get.asyncio_detailed, endpoint, name,
                               method="DELETE", prefer="location")

    async def logs(self, endpoint: str, name: str, *, container_type: str = "InferenceServer",
                   tail: int | None = None) -> str:
        """A container's log (``getLogs``): ``"InferenceServer"`` (the scoring script's output; default) or
        ``"StorageInitializer"`` (the model and code download); ``tail``: the last lines only."""
        req = DeploymentLogsRequest(container_type=ContainerType(container_type))
        if tail is not None:
            req.tail = tail
        sub, rg, ws = self._ws.ids
        got = await acall(DeploymentLogs, online_deployments_get_logs.asyncio_detailed, sub, rg, ws, endpoint, name,
                          client=await self._ws.aclient(GROUP), body=req)
        return text(got.content) or ""
