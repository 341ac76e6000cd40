"""Microsoft's own clients against the emulator over --tls (azure-identity, azure-mgmt-*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import dependent_ids

identity = pytest.importorskip("azure.identity")
resources = pytest.importorskip("azure.mgmt.resource.resources")
mlmgmt = pytest.importorskip("azure.mgmt.machinelearningservices")


@pytest.fixture
def tls_emulator(make_emulator: Callable[..., RunningEmulator], monkeypatch: pytest.MonkeyPatch) -> RunningEmulator:
    # Some machines export bundles pointing at the system store; set exactly what the clients need.
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    return make_emulator(tls=True, lro_delay=0.3)


def _credential(emu: RunningEmulator) -> Any:
    cfg = emu.config
    return identity.ClientSecretCredential(
        cfg.tenant_id,
        cfg.client_id,
        cfg.client_secret,
        authority=emu.base_url,
        disable_instance_discovery=True,
        connection_verify=str(emu.ca_file),
    )


def test_client_secret_credential_gets_a_token(tls_emulator: RunningEmulator) -> None:
    before = tls_emulator.ctx.counters["token"]
    cred = _credential(tls_emulator)
    token = cred.get_token("https://management.azure.com/.default")
    assert token.token.count(".") == 2 and token.expires_on > 0
    again = cred.get_token("https://management.azure.com/.default")  # served from MSAL's cache
    assert again.token == token.token
    assert tls_emulator.ctx.counters["token"] == before + 1


def test_mgmt_clients_list_groups_and_create_workspace_and_compute(tls_emulator: RunningEmulator) -> None:
    emu = tls_emulator
    sub = emu.config.subscription_id
    cred = _credential(emu)
    common: dict[str, Any] = {
        "base_url": emu.base_url,
        "credential_scopes": ["https://management.azure.com/.default"],
        "connection_verify": str(emu.ca_file),
        "polling_interval": 0.1,
    }
    rm = resources.ResourceManagementClient(cred, sub, **common)
    rm.resource_groups.create_or_update("ms-rg", {"location": "eastus"})
    assert "ms-rg" in [g.name for g in rm.resource_groups.list()]

    ml = mlmgmt.MachineLearningServicesMgmtClient(cred, sub, api_version="2019-11-01", **common)
    models = mlmgmt.models
    ids = dependent_ids(sub, "ms-rg")
    ws_params = models.Workspace(
        location="eastus",
        identity=models.Identity(type="SystemAssigned"),
        storage_account=ids["storageAccount"],
        key_vault=ids["keyVault"],
        application_insights=ids["applicationInsights"],
        container_registry=ids["containerRegistry"],
        friendly_name="From the SDK",
    )
    ws = ml.workspaces.begin_create_or_update("ms-rg", "ms-ws", ws_params).result()
    assert ws.name == "ms-ws" and ws.provisioning_state == "Succeeded"
    assert ml.workspaces.get("ms-rg", "ms-ws").friendly_name == "From the SDK"
    assert [w.name for w in ml.workspaces.list_by_resource_group("ms-rg")] == ["ms-ws"]

    compute = models.ComputeResource(
        location="eastus",
        properties=models.AmlCompute(
            properties=models.AmlComputeProperties(
                vm_size="STANDARD_D1",
                vm_priority="Dedicated",
                scale_settings=models.ScaleSettings(
                    max_node_count=1, min_node_count=0, node_idle_time_before_scale_down="PT30M"
                ),
            )
        ),
    )
    created = ml.machine_learning_compute.begin_create_or_update("ms-rg", "ms-ws", "cpu-compute", compute).result()
    assert created.name == "cpu-compute" and created.properties.provisioning_state == "Succeeded"
    got = ml.machine_learning_compute.get("ms-rg", "ms-ws", "cpu-compute")
    assert got.properties.properties.vm_size == "STANDARD_D1"
    ml.machine_learning_compute.begin_delete(
        "ms-rg", "ms-ws", "cpu-compute", underlying_resource_action="Delete"
    ).result()
    ml.workspaces.begin_delete("ms-rg", "ms-ws").result()
    assert [w.name for w in ml.workspaces.list_by_resource_group("ms-rg")] == []
