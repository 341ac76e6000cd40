"""Computes: the article's create body, long-running create and delete, update, nodes, errors."""

from __future__ import annotations

from typing import Any

from tests.emulator.support import Arm


def article_body() -> dict[str, Any]:
    return {
        "location": "eastus",
        "properties": {
            "computeType": "AmlCompute",
            "properties": {
                "vmSize": "Standard_D1",
                "vmPriority": "Dedicated",
                "scaleSettings": {"maxNodeCount": 1, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT30M"},
            },
        },
        "userAccountCredentials": {"adminUserName": "azureuser", "adminUserPassword": "s3cret-Pa55"},
    }


def test_create_with_the_articles_body(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    path = arm.ws_path(rg, ws) + "/computes/cpu-compute"
    r = arm.request("PUT", path, json=article_body())
    assert r.status_code == 201, r.text
    assert "s3cret-Pa55" not in r.text
    assert "/operationsStatus/" in r.headers["Azure-AsyncOperation"]
    doc = r.json()
    props = doc["properties"]
    assert props["provisioningState"] == "Creating" and props["computeType"] == "AmlCompute"
    inner = props["properties"]
    assert inner["userAccountCredentials"] == {"adminUserName": "azureuser"}
    assert inner["scaleSettings"] == {"maxNodeCount": 1, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT30M"}
    assert inner["allocationState"] == "Steady" and inner["currentNodeCount"] == 0
    assert set(inner["nodeStateCounts"]) >= {"idleNodeCount", "runningNodeCount", "preparingNodeCount"}
    assert arm.wait_async(r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    got = arm.request("GET", path)
    assert got.json()["properties"]["provisioningState"] == "Succeeded" and "s3cret" not in got.text
    listed = arm.request("GET", arm.ws_path(rg, ws) + "/computes").json()["value"]
    assert [c["name"] for c in listed] == ["cpu-compute"]
    nodes = arm.request("POST", path + "/listNodes")
    assert nodes.status_code == 200 and nodes.json()["nodes"] == []
    keys = arm.request("POST", path + "/listKeys")
    assert keys.status_code == 200 and keys.json()["computeType"] == "AmlCompute"


def test_update_and_delete(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    path = arm.ws_path(rg, ws) + "/computes/c1"
    arm.wait_async(arm.request("PUT", path, json=article_body()).headers["Azure-AsyncOperation"])
    r = arm.request("PATCH", path, json={"properties": {"scaleSettings": {"maxNodeCount": 4, "minNodeCount": 1}}})
    assert r.status_code == 200
    inner = r.json()["properties"]["properties"]
    assert inner["scaleSettings"]["maxNodeCount"] == 4 and inner["currentNodeCount"] == 1
    assert len(arm.request("POST", path + "/listNodes").json()["nodes"]) == 1
    # PUT of an existing compute updates it (200)
    body = article_body()
    body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 2
    r = arm.request("PUT", path, json=body)
    assert r.status_code == 200 and r.json()["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 2
    missing = arm.request("DELETE", path)
    assert missing.status_code == 400 and "underlyingResourceAction" in missing.json()["error"]["message"]
    r = arm.request("DELETE", path, params={"underlyingResourceAction": "Delete"})
    assert r.status_code == 202
    assert "Azure-AsyncOperation" in r.headers and "Location" in r.headers
    assert arm.wait(r.headers["Location"]).status_code == 204
    assert arm.client.get(r.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"
    assert arm.request("GET", path).status_code == 404


def test_compute_errors(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    base = arm.ws_path(rg, ws) + "/computes"
    r = arm.request("PUT", arm.ws_path(rg, "nows") + "/computes/c1", json=article_body())
    assert r.status_code == 404 and r.json()["error"]["code"] == "ResourceNotFound"
    assert "workspaces/nows" in r.json()["error"]["message"]
    r = arm.request("PUT", base + "/1bad", json=article_body())
    assert r.status_code == 400 and "compute name" in r.json()["error"]["message"]
    body = article_body()
    del body["properties"]["properties"]["vmSize"]
    r = arm.request("PUT", base + "/c1", json=body)
    assert r.status_code == 400 and "vmSize" in r.json()["error"]["message"]
    body = article_body()
    body["properties"]["properties"]["scaleSettings"] = {"maxNodeCount": 1, "minNodeCount": 3}
    assert arm.request("PUT", base + "/c1", json=body).status_code == 400
    body = article_body()
    body["properties"]["properties"]["scaleSettings"]["nodeIdleTimeBeforeScaleDown"] = "30 minutes"
    assert arm.request("PUT", base + "/c1", json=body).status_code == 400
    body = article_body()
    body["properties"]["computeType"] = "Quantum"
    assert arm.request("PUT", base + "/c1", json=body).status_code == 400
    arm.request("PUT", base + "/c2", json=article_body())
    body = {"location": "eastus", "properties": {"computeType": "DataFactory"}}
    r = arm.request("PUT", base + "/c2", json=body)
    assert r.status_code == 409
    assert arm.request("GET", base + "/nothere").status_code == 404
    assert arm.request("DELETE", base + "/c2", params={"underlyingResourceAction": "Explode"}).status_code == 400
