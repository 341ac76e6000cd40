"""Resource groups, workspaces and computes through the facade against the emulator (sync and async)."""

from __future__ import annotations

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import BadRequestError, NotFoundError

from tests.integration.support import LOCATION, create_workspace, dependent_ids


def test_resource_groups_crud(ml: AzureML) -> None:
    rg = ml.resource_groups.create_or_update("it-rg-crud", LOCATION, tags={"team": "ml"})
    assert rg.name == "it-rg-crud"
    assert ml.resource_groups.get("it-rg-crud").tags["team"] == "ml"  # type: ignore[index,union-attr]
    assert "it-rg-crud" in {g.name for g in ml.resource_groups.list()}
    poller = ml.resource_groups.begin_delete("it-rg-crud")
    assert poller.result(timeout=30) is None
    assert poller.status() == "Succeeded"
    with pytest.raises(NotFoundError):
        ml.resource_groups.get("it-rg-crud")


@pytest.mark.anyio
async def test_resource_groups_crud_async(emulator_url: str) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        await ml.resource_groups.create_or_update("it-rg-crud-async", LOCATION)
        assert (await ml.resource_groups.get("it-rg-crud-async")).location == LOCATION
        names = [g.name async for g in ml.resource_groups.list()]
        assert "it-rg-crud-async" in names
        await (await ml.resource_groups.begin_delete("it-rg-crud-async")).result(timeout=30)
        with pytest.raises(NotFoundError):
            await ml.resource_groups.get("it-rg-crud-async")


def test_workspace_create_lro_then_get_update_delete(ml: AzureML) -> None:
    ml.resource_groups.create_or_update("it-ws-lro", LOCATION)
    poller = ml.workspaces.begin_create_or_update(
        "it-ws-lro", "ws1", location=LOCATION, friendly_name="First", **dependent_ids(ml.subscription_id, "it-ws-lro"))
    assert poller.strategy == "location"  # the article's 202 + Location
    assert not poller.done()
    ws = poller.result(timeout=30)
    assert ws.properties.provisioning_state == "Succeeded"  # type: ignore[union-attr]
    assert ws.properties.discovery_url  # type: ignore[union-attr]
    updated = ml.workspaces.update("it-ws-lro", "ws1", description="changed")
    assert updated.properties.description == "changed"  # type: ignore[union-attr]
    ml.workspaces.begin_delete("it-ws-lro", "ws1").result(timeout=30)
    with pytest.raises(NotFoundError):
        ml.workspaces.get("it-ws-lro", "ws1")


@pytest.mark.anyio
async def test_workspace_create_lro_async(emulator_url: str) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        await ml.resource_groups.create_or_update("it-ws-lro-async", LOCATION)
        poller = await ml.workspaces.begin_create_or_update(
            "it-ws-lro-async", "ws1", location=LOCATION, **dependent_ids(ml.subscription_id, "it-ws-lro-async"))
        ws = await poller.result(timeout=30)
        assert ws.name == "ws1"
        assert (await ml.workspaces.get("it-ws-lro-async", "ws1")).properties.provisioning_state == "Succeeded"  # type: ignore[union-attr]
        await (await ml.workspaces.begin_delete("it-ws-lro-async", "ws1")).result(timeout=30)


def test_dependent_resource_error_is_typed_with_service_message(ml: AzureML) -> None:
    ml.resource_groups.create_or_update("it-ws-bad", LOCATION)
    ids = dependent_ids(ml.subscription_id, "it-ws-bad")
    ids["key_vault"] = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/notavault"
    poller = ml.workspaces.begin_create_or_update("it-ws-bad", "broken", location=LOCATION, **ids)
    with pytest.raises(BadRequestError) as info:
        poller.result(timeout=30)
    err = info.value
    assert err.status_code == 400
    assert err.message and "keyVault" in err.message  # the service says which dependent resource is wrong
    assert "notavault" in str(err)
    with pytest.raises(NotFoundError):
        ml.workspaces.get("it-ws-bad", "broken")


@pytest.mark.anyio
async def test_dependent_resource_error_async(emulator_url: str) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        await ml.resource_groups.create_or_update("it-ws-bad-async", LOCATION)
        ids = dependent_ids(ml.subscription_id, "it-ws-bad-async")
        ids["storage_account"] = "not-an-arm-id"
        poller = await ml.workspaces.begin_create_or_update("it-ws-bad-async", "broken", location=LOCATION, **ids)
        with pytest.raises(BadRequestError, match="storageAccount"):
            await poller.result(timeout=30)


def test_workspace_list_pages_through_next_link(ml: AzureML, emulator_url: str) -> None:
    # page_size=2 on the emulator: five workspaces take three pages.
    ml.resource_groups.create_or_update("it-ws-pages", LOCATION)
    for i in range(5):
        ml.workspaces.begin_create_or_update("it-ws-pages", f"page{i}", location=LOCATION,
                                             **dependent_ids(ml.subscription_id, "it-ws-pages"))
    pages = list(ml.workspaces.list("it-ws-pages").by_page())
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(w.name for p in pages for w in p) == [f"page{i}" for i in range(5)]  # type: ignore[type-var]


def test_computes_create_and_delete_lro(ml: AzureML, workspace_names: tuple[str, str]) -> None:
    ws = ml.workspace(*workspace_names)
    poller = ws.computes.begin_create_or_update("cpu-it", vm_size="STANDARD_D2_V2", max_nodes=2,
                                                admin_username="azureuser", admin_password="Sup3r-Secret!")
    assert poller.strategy == "azure-async-operation"
    compute = poller.result(timeout=30)
    assert compute.properties.provisioning_state == "Succeeded"  # type: ignore[union-attr]
    assert compute.properties.properties.scale_settings.max_node_count == 2  # type: ignore[union-attr]
    assert "cpu-it" in {c.name for c in ws.computes.list()}
    delete = ws.computes.begin_delete("cpu-it")
    assert delete.result(timeout=30) is None
    with pytest.raises(NotFoundError):
        ws.computes.get("cpu-it")


@pytest.mark.anyio
async def test_computes_create_and_delete_lro_async(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        compute = await (await ws.computes.begin_create_or_update("cpu-it-async")).result(timeout=30)
        assert compute.name == "cpu-it-async"
        assert "cpu-it-async" in [c.name async for c in ws.computes.list()]
        await (await ws.computes.begin_delete("cpu-it-async")).result(timeout=30)
        with pytest.raises(NotFoundError):
            await ws.computes.get("cpu-it-async")


def test_create_helper_is_idempotent(ml: AzureML) -> None:
    first = create_workspace(ml, "it-ws-idem", "same")
    second = create_workspace(ml, "it-ws-idem", "same")  # update of an existing workspace: 200 at once
    assert first.properties.workspace_id == second.properties.workspace_id  # type: ignore[union-attr]
