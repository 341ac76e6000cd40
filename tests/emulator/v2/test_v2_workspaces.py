"""Workspaces and computes in the 2025-12-01 shape, tokens for the emulator's own audience, and the v2 LRO."""

from __future__ import annotations

import time

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, get_token, verify_for
from tests.emulator.v2.v2_support import V2, V2Workspace, arm_error


@pytest.fixture
def space(arm: Arm) -> V2Workspace:
    return V2Workspace(arm)


def test_token_for_the_emulators_own_url_is_accepted(emulator: RunningEmulator, space: V2Workspace) -> None:
    # azure-ai-ml asks for '{resource_manager}/.default' (the emulator's base URL when it is the custom cloud's ARM).
    own = get_token(emulator, emulator.base_url + "/")
    other = get_token(emulator, "https://vault.azure.net")
    with httpx.Client(base_url=emulator.base_url, verify=verify_for(emulator)) as client:
        ok = client.get(space.path, params={"api-version": V2}, headers={"Authorization": "Bearer " + own})
        assert ok.status_code == 200, ok.text
        refused = client.get(space.path, params={"api-version": V2}, headers={"Authorization": "Bearer " + other})
        assert arm_error(refused, 401)["code"] == "InvalidAuthenticationTokenAudience"


def test_workspace_get_in_the_v2_shape(emulator: RunningEmulator, space: V2Workspace) -> None:
    body = space.workspace()
    props = body["properties"]
    assert props["discoveryUrl"] == f"{emulator.base_url}/discovery"
    assert props["mlFlowTrackingUri"].startswith("azureml://") and props["mlFlowTrackingUri"].endswith(space.path)
    assert props["storageAccount"].endswith(f"/storageAccounts/st{space.rg.lower()[:10]}")
    assert props["workspaceId"] and props["tenantId"] == emulator.config.tenant_id
    assert props["provisioningState"] == "Succeeded" and props["publicNetworkAccess"] == "Enabled"
    assert body["location"] == "eastus" and body["kind"] == "Default" and "createdAt" in body["systemData"]
    # the article's version still gets the v1 document (no v2-only fields)
    v1 = space.call("GET", api="2019-11-01").json()
    assert "mlFlowTrackingUri" not in v1["properties"] and v1["properties"]["workspaceId"] == props["workspaceId"]


def test_workspace_lists_in_the_v2_shape(space: V2Workspace) -> None:
    arm = space.arm
    for path in (f"{arm.rg_path(space.rg)}/providers/Microsoft.MachineLearningServices/workspaces",
                 f"/subscriptions/{arm.sub}/providers/Microsoft.MachineLearningServices/workspaces"):  # fmt: skip
        r = arm.request("GET", path, api="2024-10-01-preview")
        assert r.status_code == 200, r.text
        mine = [w for w in r.json()["value"] if w["name"] == space.ws]
        assert mine and "mlFlowTrackingUri" in mine[0]["properties"]


def test_missing_workspace_is_an_arm_404(arm: Arm) -> None:
    rg = arm.new_group()
    r = arm.request("GET", arm.ws_path(rg, "nope-ws"), api=V2)
    assert arm_error(r, 404)["code"] == "ResourceNotFound"


def _wait_status(arm: Arm, url: str) -> dict[str, object]:
    for _ in range(200):
        body: dict[str, object] = arm.client.get(url).json()
        if body["status"] != "InProgress":
            return body
        time.sleep(0.05)
    raise AssertionError("the operation never finished")


def _cluster(vm: str = "STANDARD_DS3_V2", max_nodes: int = 2) -> dict[str, object]:
    # What azure-ai-ml 1.35 sends for AmlCompute(name, size, min_instances=0, max_instances=2, idle...=120).
    return {
        "location": "eastus",
        "properties": {
            "computeType": "AmlCompute",
            "disableLocalAuth": True,
            "properties": {
                "vmSize": vm,
                "osType": "Linux",
                "enableNodePublicIp": True,
                "remoteLoginPortPublicAccess": "NotSpecified",
                "scaleSettings": {"minNodeCount": 0, "maxNodeCount": max_nodes, "nodeIdleTimeBeforeScaleDown": "PT2M"},
            },
        },
    }


def test_compute_lifecycle_with_the_v2_lro(space: V2Workspace) -> None:
    arm = space.arm
    r = space.call("PUT", "/computes/cpu-cluster", api="2023-08-01-preview", json=_cluster())
    assert r.status_code == 201, r.text
    assert r.json()["properties"]["provisioningState"] == "Creating"
    assert "api-version=2023-08-01-preview" in r.headers["Azure-AsyncOperation"] and r.headers["Location"]
    status = _wait_status(arm, r.headers["Azure-AsyncOperation"])
    assert status["status"] == "Succeeded" and status["endTime"]
    got = space.call("GET", "/computes/cpu-cluster").json()
    assert got["properties"]["provisioningState"] == "Succeeded"
    assert got["properties"]["disableLocalAuth"] is True
    inner = got["properties"]["properties"]
    assert inner["osType"] == "Linux" and inner["scaleSettings"]["maxNodeCount"] == 2
    # one store: the v1 surface sees the same cluster
    assert space.call("GET", "/computes/cpu-cluster", api="2019-11-01").json()["id"] == got["id"]
    assert [c["name"] for c in space.call("GET", "/computes").json()["value"]] == ["cpu-cluster"]
    # PUT again: the scale settings change, answered 200 without an operation
    again = space.call("PUT", "/computes/cpu-cluster", json=_cluster(max_nodes=4))
    assert again.status_code == 200 and again.json()["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 4
    assert arm_error(space.call("PUT", "/computes/cpu-cluster", json=_cluster(vm="STANDARD_NC6")), 400)
    # delete needs underlyingResourceAction
    assert arm_error(space.call("DELETE", "/computes/cpu-cluster"), 400)["code"] == "BadArgument"
    gone = space.call("DELETE", "/computes/cpu-cluster", params={"underlyingResourceAction": "Delete"})
    assert gone.status_code == 202 and gone.headers["Location"]
    assert _wait_status(arm, gone.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    assert arm_error(space.call("GET", "/computes/cpu-cluster"), 404)["code"] == "ResourceNotFound"
    absent = space.call("DELETE", "/computes/cpu-cluster", params={"underlyingResourceAction": "Delete"})
    assert absent.status_code == 204


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("ab", _cluster()),  # too short for 2025-12-01
        ("cluster-12", _cluster()),  # ends in -<digits>
        ("okname", {"properties": {"computeType": "QuantumCompute"}}),  # unknown discriminator value
        ("okname", {"properties": {"computeType": "AmlCompute", "properties": {"vmSize": "x"}}}),  # no scaleSettings
        ("okname", {"properties": "AmlCompute"}),
    ],
)
def test_compute_put_refusals(space: V2Workspace, name: str, body: dict[str, object]) -> None:
    assert arm_error(space.call("PUT", f"/computes/{name}", json=body), 400)["code"] == "BadArgument"
    assert arm_error(space.call("GET", f"/computes/{name}"), 404)


def test_api_versions_outside_the_table_are_refused(space: V2Workspace) -> None:
    error = arm_error(space.call("GET", "/codes", api="2031-01-01"), 400)
    assert error["code"] == "InvalidApiVersionParameter" and "2025-12-01" in error["message"]
