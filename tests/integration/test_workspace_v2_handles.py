"""The workspace handle offers the current API's operation groups (sync and async alike), each made once."""

from __future__ import annotations

import pytest
from azureml_rest import AsyncAzureML, AzureML

V2_GROUPS = {
    "jobs": "JobOperations",
    "model_versions": "ModelVersionOperations",
    "environments": "EnvironmentOperations",
    "datastores": "DatastoreOperations",
    "online_endpoints": "OnlineEndpointOperations",
    "online_deployments": "OnlineDeploymentOperations",
}


def test_sync_handle_offers_the_current_api(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        for attr, cls in V2_GROUPS.items():
            ops = getattr(ws, attr)
            assert type(ops).__name__ == cls and getattr(ws, attr) is ops
        names = {d.name for d in ws.datastores.list()}
        assert "workspaceblobstore" in names  # a real call through the wired group


@pytest.mark.anyio
async def test_async_handle_offers_the_same(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        for attr, cls in V2_GROUPS.items():
            assert type(getattr(ws, attr)).__name__ == f"Async{cls}"
        names = {d.name async for d in ws.datastores.list()}
        assert "workspaceblobstore" in names
