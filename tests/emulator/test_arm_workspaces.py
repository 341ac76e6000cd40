"""Workspaces: create as a long-running operation, dependent-resource validation, update, keys, delete, paging."""

from __future__ import annotations

import time
from collections.abc import Callable

from azureml_emulator.server import RunningEmulator

from tests.emulator.support import ML, Arm


def test_create_is_202_with_location_and_async_operation(arm: Arm) -> None:
    rg = arm.new_group()
    r = arm.request("PUT", arm.ws_path(rg, "ws1"), json=arm.workspace_body(rg))
    assert r.status_code == 202, r.text
    assert "/operationResults/" in r.headers["Location"]
    assert "/operationsStatus/" in r.headers["Azure-AsyncOperation"]
    assert int(r.headers["retry-after-ms"]) >= 10
    body = r.json()
    assert body["properties"]["provisioningState"] == "Creating"
    assert body["identity"]["type"] == "SystemAssigned"  # the article's 'systemAssigned' is answered canonically
    assert body["identity"]["tenantId"] == arm.emu.config.tenant_id and body["identity"]["principalId"]
    assert body["properties"]["discoveryUrl"] == f"{arm.emu.base_url}/discovery"
    assert body["properties"]["workspaceId"] and body["properties"]["creationTime"]
    # the status URL moves InProgress -> Succeeded
    status = arm.client.get(r.headers["Azure-AsyncOperation"]).json()
    assert status["status"] == "InProgress" and status["name"] and status["startTime"]
    final = arm.wait_async(r.headers["Azure-AsyncOperation"])
    assert final["status"] == "Succeeded" and final["endTime"]
    # the Location URL answers the final resource
    done = arm.client.get(r.headers["Location"])
    assert done.status_code == 200 and done.json()["properties"]["provisioningState"] == "Succeeded"
    got = arm.request("GET", arm.ws_path(rg, "ws1")).json()
    assert got["properties"]["provisioningState"] == "Succeeded"
    assert got["id"] == f"/subscriptions/{arm.sub}/resourceGroups/{rg}/providers/{ML}/workspaces/ws1"


def test_article_application_insights_without_leading_slash_is_tolerated(arm: Arm) -> None:
    rg = arm.new_group()
    body = arm.workspace_body(rg)
    body["properties"]["applicationInsights"] = body["properties"]["applicationInsights"].lstrip("/")
    body["properties"]["keyVault"] = body["properties"]["keyVault"].replace("Microsoft.KeyVault", "Microsoft.Keyvault")
    r = arm.request("PUT", arm.ws_path(rg, "ws-article"), json=body)
    assert r.status_code == 202
    assert r.json()["properties"]["applicationInsights"].startswith("/subscriptions/")
    assert arm.wait(r.headers["Location"]).status_code == 200


def test_bad_dependent_resource_fails_the_deployment(arm: Arm) -> None:
    rg = arm.new_group()
    body = arm.workspace_body(rg)
    body["properties"]["keyVault"] = body["properties"]["keyVault"].replace(
        "Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts"
    )
    del body["properties"]["storageAccount"]
    r = arm.request("PUT", arm.ws_path(rg, "ws-bad"), json=body)
    assert r.status_code == 202  # accepted; the deployment fails later
    final = arm.wait(r.headers["Location"])
    assert final.status_code == 400
    err = final.json()["error"]
    assert err["code"] == "DependentResourceInvalid"
    assert "keyVault" in err["message"] and "Microsoft.KeyVault/vaults" in err["message"]
    assert "storageAccount" in err["message"] and "required" in err["message"]
    assert {d["target"] for d in err["details"]} == {"keyVault", "storageAccount"}
    status = arm.client.get(r.headers["Azure-AsyncOperation"]).json()
    assert status["status"] == "Failed" and status["error"]["code"] == "DependentResourceInvalid"
    assert arm.request("GET", arm.ws_path(rg, "ws-bad")).status_code == 404


def test_malformed_dependent_id(arm: Arm) -> None:
    rg = arm.new_group()
    body = arm.workspace_body(rg, storageAccount="not-an-arm-id")
    r = arm.request("PUT", arm.ws_path(rg, "ws-bad2"), json=body)
    final = arm.wait(r.headers["Location"])
    assert final.status_code == 400 and "not-an-arm-id" in final.json()["error"]["message"]


def test_synchronous_validation(arm: Arm) -> None:
    r = arm.request("PUT", arm.ws_path("no-such-rg", "ws1"), json=arm.workspace_body("no-such-rg"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "ResourceGroupNotFound"
    rg = arm.new_group()
    body = arm.workspace_body(rg)
    del body["location"]
    r = arm.request("PUT", arm.ws_path(rg, "ws1"), json=body)
    assert r.status_code == 400 and r.json()["error"]["code"] == "LocationRequired"
    r = arm.request("PUT", arm.ws_path(rg, "x"), json=arm.workspace_body(rg))
    assert r.status_code == 400 and r.json()["error"]["code"] == "InvalidWorkspaceName"
    body = arm.workspace_body(rg)
    body["identity"] = {"type": "UserAssigned"}
    assert arm.request("PUT", arm.ws_path(rg, "ws1"), json=body).status_code == 400


def test_update_put_patch_and_keys(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    body = arm.workspace_body(rg, description="new description")
    body["tags"] = {"a": "b"}
    r = arm.request("PUT", arm.ws_path(rg, ws), json=body)
    assert r.status_code == 200 and r.json()["properties"]["description"] == "new description"
    body = arm.workspace_body(
        rg, keyVault=f"/subscriptions/{arm.sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/other"
    )
    r = arm.request("PUT", arm.ws_path(rg, ws), json=body)
    assert r.status_code == 400 and r.json()["error"]["code"] == "CannotChangeDependentResource"
    r = arm.request(
        "PATCH",
        arm.ws_path(rg, ws),
        json={
            "tags": {"x": "y"},
            "sku": {"name": "Enterprise", "tier": "Enterprise"},
            "properties": {"friendlyName": "Friendly"},
        },
    )
    assert r.status_code == 200
    doc = r.json()
    assert (
        doc["tags"] == {"x": "y"}
        and doc["sku"]["name"] == "Enterprise"
        and doc["properties"]["friendlyName"] == "Friendly"
    )
    keys = arm.request("POST", arm.ws_path(rg, ws) + "/listKeys")
    assert keys.status_code == 200
    k = keys.json()
    assert k["userStorageKey"] and k["appInsightsInstrumentationKey"]
    assert k["containerRegistryCredentials"]["passwords"][0]["value"]
    assert arm.request("POST", arm.ws_path(rg, ws) + "/listKeys").json() == k  # stable


def test_delete_workspace(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    r = arm.request("DELETE", arm.ws_path(rg, ws))
    assert r.status_code == 202 and "Location" in r.headers
    assert arm.request("GET", arm.ws_path(rg, ws)).json()["properties"]["provisioningState"] == "Deleting"
    assert arm.wait(r.headers["Location"]).status_code == 204
    assert arm.request("GET", arm.ws_path(rg, ws)).status_code == 404
    assert arm.request("DELETE", arm.ws_path(rg, ws)).status_code == 204


def test_lists_page_with_next_link(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(page_size=2, lro_delay=0.05)
    arm = Arm(emu)
    rg = arm.new_group()
    names = [arm.new_workspace(rg, f"ws-{i}", wait=False)[1] for i in range(5)]
    time.sleep(0.1)
    for path in (
        f"{arm.rg_path(rg)}/providers/{ML}/workspaces/",
        f"/subscriptions/{arm.sub}/providers/{ML}/workspaces",
    ):
        seen: list[str] = []
        r = arm.request("GET", path)
        while True:
            body = r.json()
            assert len(body["value"]) <= 2
            seen += [w["name"] for w in body["value"]]
            if not body.get("nextLink"):
                break
            r = arm.client.get(body["nextLink"])
            assert r.status_code == 200
        assert seen == names
        assert all(
            w["properties"]["provisioningState"] == "Succeeded" for w in arm.request("GET", path).json()["value"]
        )


def test_retry_after_for_slow_operations(make_emulator: Callable[..., RunningEmulator]) -> None:
    arm = Arm(make_emulator(lro_delay=6))
    rg = arm.new_group()
    r = arm.request("PUT", arm.ws_path(rg, "slow-ws"), json=arm.workspace_body(rg))
    assert r.status_code == 202
    assert r.headers["Retry-After"] == "2" and r.headers["retry-after-ms"] == "1500"
    poll = arm.client.get(r.headers["Location"])
    assert poll.status_code == 202 and poll.headers["Retry-After"] == "2"


def test_operations_list(arm: Arm) -> None:
    r = arm.request("GET", f"/providers/{ML}/operations")
    assert r.status_code == 200
    assert any(op["name"] == f"{ML}/workspaces/write" for op in r.json()["value"])
