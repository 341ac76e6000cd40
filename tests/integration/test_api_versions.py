"""A side-by-side generated package is reachable from the facade: ``api_versions={"management": "2020-08-01"}``
puts the 2020-08-01 package behind ``ml.client()`` and ``ws.client("management")``, over real HTTP."""

from __future__ import annotations

import pytest
from azureml_management_client_v2020_08_01 import Client as Client2020
from azureml_management_client_v2020_08_01.api.workspaces import workspaces_get
from azureml_management_client_v2020_08_01.models import Workspace as Workspace2020
from azureml_rest import AsyncAzureML, AzureML


def test_versioned_management_package_from_the_facade(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    seen: list[str] = []
    from azureml_rest import HttpConfig

    http = HttpConfig(on_event=lambda e: seen.append(e.url))
    with AzureML.for_emulator(emulator_url, http=http, api_versions={"management": "2020-08-01"}) as ml:
        assert ml.api_versions == {"management": "2020-08-01"}
        client = ml.client()
        assert isinstance(client, Client2020)
        ws = ml.workspace(*workspace_names)
        assert ws.client("management") is client  # one generated client per (group, base URL, scope)
        got = workspaces_get.sync(ml.subscription_id, *workspace_names, client=client)
        assert isinstance(got, Workspace2020) and got.name == workspace_names[1]
    assert any("api-version=2020-08-01" in url for url in seen)


def test_default_is_each_groups_default_package(emulator_url: str) -> None:
    import azureml_management_client

    with AzureML.for_emulator(emulator_url) as ml:
        assert type(ml.client()).__module__.startswith("azureml_management_client.")
        assert ml.api_versions == {}
        assert azureml_management_client.API_VERSION == "2019-11-01"


@pytest.mark.parametrize("versions", [{"management": "1999-01-01"}, {"nosuchgroup": "2019-11-01"}])
def test_unknown_group_or_version_fails_at_construction_naming_what_exists(emulator_url: str,
                                                                           versions: dict[str, str]) -> None:
    with pytest.raises(ValueError) as info:
        AzureML.for_emulator(emulator_url, api_versions=versions)
    assert "2020-08-01" in str(info.value) or "management" in str(info.value)


@pytest.mark.anyio
async def test_async_facade_takes_the_same_versions(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url, api_versions={"management": "2020-08-01"}) as ml:
        client = ml.client()
        assert isinstance(client, Client2020)
        ws = ml.workspace(*workspace_names)
        assert await ws.client("management") is client
        got = await workspaces_get.asyncio(ml.subscription_id, *workspace_names, client=client)
        assert isinstance(got, Workspace2020)


def test_current_api_group_goes_to_arm_with_the_arm_token(emulator_url: str,
                                                          workspace_names: tuple[str, str]) -> None:
    from azureml_machinelearning_client import API_VERSION
    from azureml_machinelearning_client import Client as MLClient2025
    from azureml_machinelearning_client.api.workspaces import workspaces_get as ws_get_2025

    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        client = ws.client("machinelearning")
        assert isinstance(client, MLClient2025) and ml.client("machinelearning") is client
        assert str(client.get_httpx_client().base_url).rstrip("/") == ml.cloud.arm_endpoint
        response = ws_get_2025.sync_detailed(ml.subscription_id, *workspace_names, client=client)
        assert response.status_code == 200, response.content
        assert API_VERSION == "2025-12-01"
        with pytest.raises(ValueError, match="not subscription-level"):
            ml.client("history")
