"""Online endpoints and deployments over real HTTP: long-running create/update/delete, a deployment that imports its
scoring script from the blob store, key and AML-token scoring, key rotation, traffic and the deployment header,
logs."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from azure.storage.blob import BlobClient

from tests.emulator.support import Arm, get_token
from tests.emulator.v2.endpoints_support import Online
from tests.emulator.v2.v2_support import V2Workspace, arm_error

# azure-ai-ml 1.35 sends these for endpoint and deployment calls (onlineEndpoints PUT/GET/DELETE/listKeys and
# deployments list: 2022-02-01-preview; deployments PUT/GET: 2023-04-01-preview).
AIML_ENDPOINTS, AIML_DEPLOYMENTS = "2022-02-01-preview", "2023-04-01-preview"


@pytest.fixture
def online(arm: Arm) -> Online:
    return Online(V2Workspace(arm))


def test_endpoint_create_is_long_running_and_ends_succeeded(online: Online) -> None:
    name = "ep-lro-" + str(int(time.time() * 1000))[-8:]
    body = {
        "location": "East US",
        "identity": {"type": "SystemAssigned"},
        "properties": {"authMode": "Key", "traffic": {}, "mirrorTraffic": {}, "properties": {}},
        "tags": {},
    }
    r = online.space.call("PUT", f"/onlineEndpoints/{name}", json=body, api=AIML_ENDPOINTS)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["properties"]["provisioningState"] == "Creating"
    assert created["location"] == "eastus" and created["identity"]["type"] == "SystemAssigned"
    assert "operationsStatus" in r.headers["Azure-AsyncOperation"]
    assert "operationResults" in r.headers["Location"]
    assert AIML_ENDPOINTS in r.headers["Azure-AsyncOperation"]  # polled with the PUT's api-version
    status = online.arm.wait_async(r.headers["Azure-AsyncOperation"])
    assert status["status"] == "Succeeded"
    got = online.space.call("GET", f"/onlineEndpoints/{name}", api=AIML_ENDPOINTS).json()
    assert got["properties"]["provisioningState"] == "Succeeded"
    assert got["properties"]["scoringUri"] == f"{online.emu.base_url}/online/{name}/score"
    assert "keys" not in got["properties"]
    listed = online.space.call("GET", "/onlineEndpoints").json()
    assert [e["name"] for e in listed["value"]] == [name]


def test_deployment_scores_with_keys_and_a_rotated_key_takes_effect(online: Online) -> None:
    endpoint, ep = online.create_endpoint()
    uri = ep["properties"]["scoringUri"]
    body = online.deployment_body(online.code(), online.model(factor=3), environmentVariables={"LABEL": "blue"})
    put = online.space.call("PUT", f"/onlineEndpoints/{endpoint}/deployments/blue", json=body, api=AIML_DEPLOYMENTS)
    assert put.status_code == 201, put.text
    assert put.json()["properties"]["provisioningState"] == "Creating"
    assert online.arm.wait_async(put.headers["Azure-AsyncOperation"], timeout=60)["status"] == "Succeeded"
    dep = online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/blue", api=AIML_DEPLOYMENTS).json()
    assert dep["properties"]["provisioningState"] == "Succeeded"
    assert dep["properties"]["scaleSettings"] == {"scaleType": "Default"}  # azure-ai-ml reads it

    keys = online.keys(endpoint)
    assert keys["primaryKey"] and keys["secondaryKey"] and keys["primaryKey"] != keys["secondaryKey"]
    # No traffic yet: only the deployment header routes.
    assert online.score(uri, keys["primaryKey"], [1, 2]).status_code == 404
    r = online.score(uri, keys["primaryKey"], [1, 2], **{"azureml-model-deployment": "blue"})
    assert r.status_code == 200, r.text
    assert r.json() == {"result": [3, 6], "label": "blue"}
    assert r.headers["azureml-model-deployment"] == "blue"

    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    assert online.score(uri, keys["secondaryKey"], [5]).json()["result"] == [15]
    refused = online.score(uri, "not-a-key", [5])
    assert refused.status_code == 401 and "not-a-key" not in refused.text
    assert online.score(uri, None, [5]).status_code == 401

    regen = online.space.call(
        "POST",
        f"/onlineEndpoints/{endpoint}/regenerateKeys",
        json={"keyType": "Primary", "keyValue": keys["primaryKey"]},
    )
    assert online.wait_location(regen).status_code == 200
    new = online.keys(endpoint)
    assert new["primaryKey"] != keys["primaryKey"] and new["secondaryKey"] == keys["secondaryKey"]
    assert online.score(uri, keys["primaryKey"], [1]).status_code == 401
    assert online.score(uri, new["primaryKey"], [1]).status_code == 200

    chosen = "chosen-" + "x" * 20
    regen = online.space.call(
        "POST", f"/onlineEndpoints/{endpoint}/regenerateKeys", json={"keyType": "Secondary", "keyValue": chosen}
    )
    assert regen.status_code == 202
    assert online.keys(endpoint)["secondaryKey"] == chosen
    assert online.score(uri, chosen, [1]).status_code == 200

    logs = online.logs(endpoint, "blue", containerType="InferenceServer", tail=50)
    assert "init done, factor 3" in logs and "scoring 1 rows" in logs
    assert online.logs(endpoint, "blue", tail=1).count("\n") == 1
    init = online.logs(endpoint, "blue", containerType="StorageInitializer")
    assert "Downloading code" in init and "Downloading model" in init


def test_aml_token_auth(online: Online) -> None:
    endpoint, ep = online.create_endpoint(auth_mode="AMLToken")
    other, other_ep = online.create_endpoint(auth_mode="AMLToken")
    online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model(factor=2)))
    assert online.set_traffic(endpoint, {"blue": 100}, auth_mode="AMLToken").status_code == 201

    r = online.space.call("POST", f"/onlineEndpoints/{endpoint}/token")
    assert r.status_code == 200, r.text
    token = r.json()
    assert token["tokenType"] == "Bearer"
    now = time.time()
    assert isinstance(token["expiryTimeUtc"], int) and token["expiryTimeUtc"] > now
    assert now <= token["refreshAfterTimeUtc"] <= token["expiryTimeUtc"]
    scored = online.score(ep["properties"]["scoringUri"], token["accessToken"], [4])
    assert scored.status_code == 200, scored.text
    assert scored.json()["result"] == [8]

    # The token is this endpoint's: another endpoint refuses it (401 before routing, which would be 404 here).
    assert online.score(other_ep["properties"]["scoringUri"], token["accessToken"], [4]).status_code == 401
    other_token = online.space.call("POST", f"/onlineEndpoints/{other}/token").json()["accessToken"]
    assert online.score(other_ep["properties"]["scoringUri"], other_token, [4]).status_code == 404
    # Keys are for Key endpoints; an ARM token is no scoring token.
    error = arm_error(online.space.call("POST", f"/onlineEndpoints/{endpoint}/listKeys"), 400)
    assert "AMLToken" in error["message"]
    arm_token = online.arm.client.headers["Authorization"].split(" ", 1)[1]
    assert online.score(ep["properties"]["scoringUri"], arm_token, [4]).status_code == 401


def test_traffic_split_and_the_deployment_header(online: Online) -> None:
    endpoint, ep = online.create_endpoint()
    uri = ep["properties"]["scoringUri"]
    code, model = online.code(), online.model(factor=1)
    for name in ("blue", "green"):
        _, status = online.deploy(
            endpoint, name, online.deployment_body(code, model, environmentVariables={"LABEL": name})
        )
        assert status["status"] == "Succeeded", status
    key = online.keys(endpoint)["primaryKey"]

    assert online.set_traffic(endpoint, {"blue": 0, "green": 100}).status_code == 201
    assert {online.score(uri, key, [1]).json()["label"] for _ in range(5)} == {"green"}
    picked = online.score(uri, key, [1], **{"azureml-model-deployment": "blue"})
    assert picked.json()["label"] == "blue" and picked.headers["azureml-model-deployment"] == "blue"
    assert online.score(uri, key, [1], **{"azureml-model-deployment": "purple"}).status_code == 404

    error = arm_error(online.set_traffic(endpoint, {"blue": 50, "green": 40}), 400)
    assert "100" in error["message"]
    error = arm_error(online.set_traffic(endpoint, {"purple": 100}), 400)
    assert "purple" in error["message"]

    # A deployment with traffic cannot be deleted; at 0 it can, and its worker stops serving.
    assert arm_error(online.space.call("DELETE", f"/onlineEndpoints/{endpoint}/deployments/green"), 400)
    deleted = online.space.call("DELETE", f"/onlineEndpoints/{endpoint}/deployments/blue")
    assert online.wait_location(deleted).status_code == 204
    assert online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/blue").status_code == 404
    assert online.score(uri, key, [1], **{"azureml-model-deployment": "blue"}).status_code == 404
    listed = online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments", api=AIML_ENDPOINTS).json()
    assert [d["name"] for d in listed["value"]] == ["green"]
    skus = online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/green/skus").json()
    assert skus["value"][0]["capacity"]["default"] == 1


def test_endpoint_delete_removes_deployments_and_scoring(online: Online) -> None:
    endpoint, ep = online.create_endpoint()
    online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model()))
    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    key = online.keys(endpoint)["primaryKey"]
    assert online.score(ep["properties"]["scoringUri"], key, [1]).status_code == 200

    r = online.space.call("DELETE", f"/onlineEndpoints/{endpoint}", api=AIML_ENDPOINTS)
    assert r.status_code == 202 and "Azure-AsyncOperation" in r.headers
    assert online.score(ep["properties"]["scoringUri"], key, [1]).status_code == 404  # at once
    assert online.arm.wait_async(r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    assert online.space.call("GET", f"/onlineEndpoints/{endpoint}").status_code == 404
    assert online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/blue").status_code == 404
    assert online.space.call("DELETE", f"/onlineEndpoints/{endpoint}").status_code == 204
    # The name is free again, with new keys.
    again = online.space.call(
        "PUT", f"/onlineEndpoints/{endpoint}", json={"location": "eastus", "properties": {"authMode": "Key"}}
    )
    assert again.status_code == 201
    assert online.keys(endpoint)["primaryKey"] != key


def test_update_and_patch_are_long_running(online: Online) -> None:
    endpoint, _ = online.create_endpoint()
    patched = online.space.call("PATCH", f"/onlineEndpoints/{endpoint}", json={"tags": {"team": "a"}})
    assert online.wait_location(patched).status_code == 200
    got = online.space.call("GET", f"/onlineEndpoints/{endpoint}").json()
    assert got["tags"] == {"team": "a"} and got["properties"]["provisioningState"] == "Succeeded"

    _, status = online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model()))
    assert status["status"] == "Succeeded"
    patched = online.space.call("PATCH", f"/onlineEndpoints/{endpoint}/deployments/blue", json={"sku": {"capacity": 2}})
    assert online.wait_location(patched).status_code == 200
    dep = online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/blue").json()
    assert dep["sku"] == {"name": "Default", "capacity": 2}
    # A second PUT redeploys (Updating), then serves the new model.
    r, status = online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model(factor=7)))
    assert r.json()["properties"]["provisioningState"] == "Updating" and status["status"] == "Succeeded"
    key = online.keys(endpoint)["primaryKey"]
    uri = online.space.call("GET", f"/onlineEndpoints/{endpoint}").json()["properties"]["scoringUri"]
    assert online.score(uri, key, [1], **{"azureml-model-deployment": "blue"}).json()["result"] == [7]


def test_aad_token_auth(online: Online) -> None:
    endpoint, ep = online.create_endpoint(auth_mode="AADToken")
    online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model(factor=5)))
    uri = ep["properties"]["scoringUri"]
    ml_token = get_token(online.emu, "https://ml.azure.com")  # what azure-ai-ml asks its credential for
    scored = online.score(uri, ml_token, [1], **{"azureml-model-deployment": "blue"})
    assert scored.status_code == 200, scored.text
    assert scored.json()["result"] == [5]
    arm_token = get_token(online.emu)
    assert online.score(uri, arm_token, [1], **{"azureml-model-deployment": "blue"}).status_code == 401
    arm_error(online.space.call("POST", f"/onlineEndpoints/{endpoint}/token"), 400)


def test_a_model_from_a_job_output(online: Online) -> None:
    """``azureml://jobs/{job}/outputs/artifacts/paths/...`` (azure-ai-ml's model from a job output) is read from
    the job's folder in the artifact store; the URI's last folder is kept under AZUREML_MODEL_DIR."""
    job = "job-" + uuid.uuid4().hex[:8]
    store = online.space.call("GET", "/datastores/workspaceartifactstore").json()["properties"]
    secret = online.space.call("POST", "/datastores/workspaceartifactstore/listSecrets").json()["key"]
    account = store["accountName"]
    blob = BlobClient(
        f"{online.emu.base_url}/{account}",
        store["containerName"],
        f"ExperimentRun/dcid.{job}/outputs/model/weights.json",
        credential={"account_name": account, "account_key": secret},
    )
    blob.upload_blob(json.dumps({"factor": 11}).encode())
    uri = f"azureml://jobs/{job}/outputs/artifacts/paths/outputs/model/"
    r = online.space.call("PUT", "/models/from-job/versions/1", json={"properties": {"modelUri": uri}})
    assert r.status_code in (200, 201), r.text
    endpoint, ep = online.create_endpoint()
    _, status = online.deploy(endpoint, "blue", online.deployment_body(online.code(), r.json()["id"]))
    assert status["status"] == "Succeeded", status
    key = online.keys(endpoint)["primaryKey"]
    scored = online.score(ep["properties"]["scoringUri"], key, [2], **{"azureml-model-deployment": "blue"})
    assert scored.json()["result"] == [22]


def test_workspace_delete_stops_its_deployments_scoring_process(online: Online) -> None:
    """Deleting the workspace, not the deployment or its endpoint, also stops the deployment's scoring process
    (lro.REMOVE_HOOKS): it used to run until the emulator stopped."""
    from azureml_emulator.context import Context
    from azureml_emulator.v2.deployments_runtime import runtime_of

    ctx = online.arm.emu.ctx
    if not isinstance(ctx, Context):
        pytest.skip("looks at the scoring process through the in-process emulator's context")
    endpoint, ep = online.create_endpoint()
    online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model()))
    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    assert online.score(ep["properties"]["scoringUri"], online.keys(endpoint)["primaryKey"], [1]).status_code == 200
    key = f"{online.arm.sub}/{online.space.rg}/{online.space.ws}/{endpoint}/blue"
    worker = runtime_of(ctx).worker(key)
    assert worker is not None and worker.proc.poll() is None

    deleted = online.arm.request("DELETE", online.space.path)
    assert deleted.status_code == 202, deleted.text
    assert online.arm.wait(deleted.headers["Location"]).status_code == 204
    assert worker.proc.poll() is not None, "the scoring process outlived its workspace"
    assert runtime_of(ctx).worker(key) is None
