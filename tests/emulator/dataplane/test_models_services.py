"""Model management over real HTTP: models, services (deploy → Healthy → score), keys, tokens, operations."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from tests.generated.emulator_world import poll_location

from .conftest import ARM_WS, RG, SUB, WS, M, definition, make_zip, start_run, wait_run

API = {"api-version": "2019-11-01"}
SCORE = """
import json, os
W = None
def init():
    global W
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as fh:
        W = json.load(fh)["w"]
    print("init done")
def run(raw_data):
    data = json.loads(raw_data)["data"]
    if data == "boom":
        raise ValueError("bad input: boom")
    if data == "text":
        return json.dumps({"as": "json text"})
    return [sum(row) * W for row in data]
"""
TRAIN = """
import os, shutil
os.makedirs("outputs", exist_ok=True)
open("outputs/model.json", "w").write('{"w": 2}')
shutil.copy("score.py", "outputs/score.py")
"""


@pytest.fixture(scope="module")
def trained(client: httpx.Client) -> str:
    """A completed run whose outputs hold model.json and score.py."""
    exp = "train-" + uuid.uuid4().hex[:6]
    project = make_zip({"train.py": TRAIN, "score.py": SCORE})
    run_id = start_run(client, exp, definition("train.py", target="local"), project).json()["runId"]
    assert wait_run(client, exp, run_id)["status"] == "Completed"
    return str(run_id)


def _register(client: httpx.Client, name: str, run_id: str, **extra: Any) -> httpx.Response:
    body = {
        "name": name,
        "url": f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/model.json",
        "mimeType": "application/json",
        **extra,
    }
    return client.post(f"{M}/models", params=API, json=body)


def test_models_register_list_patch_delete(client: httpx.Client, trained: str) -> None:
    name = "m" + uuid.uuid4().hex[:6]
    first = _register(client, name, trained, kvTags={"stage": "dev"})
    assert first.status_code == 200, first.text
    assert first.json()["id"] == f"{name}:1" and first.json()["version"] == 1
    assert first.json()["runId"] == trained
    for _ in range(4):
        assert _register(client, name, trained).status_code == 200
    assert client.get(f"{M}/models/{name}:5", params=API).json()["version"] == 5
    # paging with count and nextLink ($skipToken); default order is newest first
    ids: list[str] = []
    url: str | None = f"{M}/models?api-version=2019-11-01&name={name}&count=2"
    pages = 0
    while url:
        page = client.get(url).json()
        pages += 1
        ids += [m["id"] for m in page["value"]]
        url = page.get("nextLink")
    assert pages == 3 and ids == [f"{name}:{v}" for v in (5, 4, 3, 2, 1)]
    tagged = client.get(f"{M}/models", params={**API, "tags": "stage=dev", "name": name}).json()
    assert [m["id"] for m in tagged["value"]] == [f"{name}:1"]
    by_run = client.get(f"{M}/models", params={**API, "runId": trained, "name": name}).json()
    assert len(by_run["value"]) == 5
    patched = client.patch(
        f"{M}/models/{name}:1",
        params=API,
        content=b'[{"op":"replace","path":"/description","value":"better"},'
        b'{"op":"add","path":"/kvTags/owner","value":"me"}]',
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["description"] == "better" and patched.json()["kvTags"] == {"stage": "dev", "owner": "me"}
    bad_patch = client.patch(f"{M}/models/{name}:1", params=API, json=[{"op": "replace", "path": "/url", "value": "x"}])
    assert bad_patch.status_code == 400 and set(bad_patch.json()) >= {"code", "statusCode", "message"}
    assert client.delete(f"{M}/models/{name}:1", params=API).status_code == 200
    assert client.delete(f"{M}/models/{name}:1", params=API).status_code == 204
    missing = client.get(f"{M}/models/{name}:1", params=API)
    assert missing.status_code == 404 and missing.json()["statusCode"] == 404


def test_model_url_must_name_an_artifact(client: httpx.Client, trained: str) -> None:
    bad = client.post(
        f"{M}/models",
        params=API,
        json={"name": "x1", "url": f"aml://artifact/ExperimentRun/dcid.{trained}/outputs/nope.pkl", "mimeType": "a/b"},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "ArtifactNotFound"
    no_run = client.post(
        f"{M}/models",
        params=API,
        json={"name": "x1", "url": "aml://artifact/ExperimentRun/dcid.nosuchrun/outputs/m.pkl", "mimeType": "a/b"},
    )
    assert no_run.status_code == 400
    folder = client.post(
        f"{M}/models",
        params=API,
        json={"name": "x2", "url": f"aml://artifact/ExperimentRun/dcid.{trained}/outputs", "mimeType": "a/b"},
    )
    assert folder.status_code == 200
    assert client.post(f"{M}/models", params=API, json={"name": "x3"}).status_code == 400
    assert client.post(f"{M}/models", params=API, content=b"nope").status_code == 400


def _wait_operation(client: httpx.Client, location: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    states = []
    while True:
        op: dict[str, Any] = client.get(location).json()
        states.append(op["state"])
        if op["state"] in ("Succeeded", "Failed", "Cancelled", "TimedOut"):
            op["_seen"] = states
            return op
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _deploy(client: httpx.Client, name: str, run_id: str, model_id: str, driver: str = "score.py") -> httpx.Response:
    body = {
        "name": name,
        "computeType": "ACI",
        "description": "test service",
        "environmentImageRequest": {
            "driverProgram": driver,
            "assets": [{"id": "a1", "mimeType": "application/x-python",
                        "url": f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/score.py"}],
            "modelIds": [model_id],
        },
        "containerResourceRequirements": {"cpu": 0.1, "memoryInGB": 0.5},
    }  # fmt: skip
    return client.post(f"{M}/services", params=API, json=body)


def test_service_deploy_score_keys_token(client: httpx.Client, trained: str) -> None:
    model = _register(client, "svcmodel", trained).json()["id"]
    name = "svc-" + uuid.uuid4().hex[:6]
    created = _deploy(client, name, trained, model)
    assert created.status_code == 202, created.text
    location = created.headers["Operation-Location"]
    assert location.startswith(f"{client.base_url}{M}/operations/")
    assert client.get(f"{M}/services/{name}", params=API).json()["state"] == "Transitioning"
    op = _wait_operation(client, location)
    assert op["state"] == "Succeeded", op
    assert op["_seen"][0] in ("NotStarted", "Running")
    svc = client.get(f"{M}/services/{name}", params=API).json()
    assert svc["state"] == "Healthy" and svc["computeType"] == "ACI" and svc["authEnabled"] is True
    assert svc["scoringUri"] == f"{client.base_url}/scoring/{name}/score"
    assert "primaryKey" not in svc and "_keys" not in svc
    keys = client.post(f"{M}/services/{name}/listkeys", params=API).json()
    score = svc["scoringUri"]
    ok = httpx.post(
        score, json={"data": [[1, 2, 3], [4, 5]]}, headers={"Authorization": f"Bearer {keys['primaryKey']}"}
    )
    assert ok.status_code == 200 and ok.json() == [12, 18]
    second = httpx.post(score, json={"data": [[1]]}, headers={"Authorization": f"Bearer {keys['secondaryKey']}"})
    assert second.json() == [2]
    text = httpx.post(score, json={"data": "text"}, headers={"Authorization": f"Bearer {keys['primaryKey']}"})
    assert text.json() == {"as": "json text"}  # a JSON str result passes through
    boom = httpx.post(score, json={"data": "boom"}, headers={"Authorization": f"Bearer {keys['primaryKey']}"})
    assert boom.status_code == 500 and "bad input: boom" in boom.text
    assert httpx.post(score, json={"data": [[1]]}, headers={"Authorization": "Bearer wrong-key"}).status_code == 401
    assert httpx.post(score, json={"data": [[1]]}).status_code == 401
    # regenerate: the old primary key is refused at once, the new one works
    # (202 + Operation-Location as the service answers: azureml-core requires and polls it)
    regen = client.post(f"{M}/services/{name}/regenerateKeys", params=API, json={"keyType": "Primary"})
    assert regen.status_code == 202, regen.text
    assert _wait_operation(client, regen.headers["Operation-Location"])["state"] == "Succeeded"
    new_keys = client.post(f"{M}/services/{name}/listkeys", params=API).json()
    assert new_keys["primaryKey"] != keys["primaryKey"] and new_keys["secondaryKey"] == keys["secondaryKey"]
    old = httpx.post(score, json={"data": [[1]]}, headers={"Authorization": f"Bearer {keys['primaryKey']}"})
    assert old.status_code == 401
    new = httpx.post(score, json={"data": [[1]]}, headers={"Authorization": f"Bearer {new_keys['primaryKey']}"})
    assert new.status_code == 200
    chosen = client.post(
        f"{M}/services/{name}/regenerateKeys", params=API, json={"keyType": "Secondary", "keyValue": "my-own-key-123"}
    )
    assert chosen.status_code == 202 and "Operation-Location" in chosen.headers
    assert client.post(f"{M}/services/{name}/listkeys", params=API).json()["secondaryKey"] == "my-own-key-123"
    assert (
        client.post(f"{M}/services/{name}/regenerateKeys", params=API, json={"keyType": "Tertiary"}).status_code == 400
    )
    # service token
    tok = client.post(f"{M}/services/{name}/token", params=API)
    assert tok.status_code == 201
    token = tok.json()
    assert (
        token["tokenType"] == "Bearer"
        and token["expiryOn"] > time.time()
        and token["refreshAfter"] <= token["expiryOn"]
    )
    via_token = httpx.post(score, json={"data": [[3]]}, headers={"Authorization": f"Bearer {token['accessToken']}"})
    assert via_token.status_code == 200 and via_token.json() == [6]
    forged = token["accessToken"][:-2] + ("00" if not token["accessToken"].endswith("00") else "11")
    assert httpx.post(score, json={"data": [[3]]}, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    swagger = httpx.get(svc["swaggerUri"], headers={"Authorization": f"Bearer {new_keys['primaryKey']}"})
    assert swagger.status_code == 200 and swagger.json()["swagger"] == "2.0" and "/score" in swagger.json()["paths"]
    # list with paging, patch, delete
    listed = client.get(f"{M}/services", params={**API, "name": name}).json()
    assert [s["name"] for s in listed["value"]] == [name]
    patched = client.patch(
        f"{M}/services/{name}", params=API, json=[{"op": "add", "path": "/kvTags/team", "value": "ml"}]
    )
    assert patched.status_code == 200 and patched.json()["kvTags"] == {"team": "ml"}
    assert client.delete(f"{M}/services/{name}", params=API).status_code == 200
    assert client.delete(f"{M}/services/{name}", params=API).status_code == 204
    assert client.get(f"{M}/services/{name}", params=API).status_code == 404
    gone = httpx.post(score, json={"data": [[1]]}, headers={"Authorization": f"Bearer {new_keys['primaryKey']}"})
    assert gone.status_code == 404


def test_deployment_failures(client: httpx.Client, trained: str) -> None:
    model = _register(client, "failmodel", trained).json()["id"]
    cases = {
        "missing script": ("nope.py", model, "DriverProgramNotFound"),
        "missing model": ("score.py", "ghost:1", "ModelNotFound"),
    }
    for label, (driver, model_id, code) in cases.items():
        name = "bad-" + uuid.uuid4().hex[:6]
        created = _deploy(client, name, trained, model_id, driver)
        assert created.status_code == 202, (label, created.text)
        op = _wait_operation(client, created.headers["Operation-Location"])
        assert op["state"] == "Failed", (label, op)
        assert op["error"]["code"] == code and op["error"]["message"], (label, op)
        svc = client.get(f"{M}/services/{name}", params=API).json()
        assert svc["state"] == "Failed" and svc["error"]["code"] == code
        client.delete(f"{M}/services/{name}", params=API)
    broken = "import json\ndef init():\n    raise RuntimeError('no model here')\ndef run(d):\n    return d\n"
    exp = "brk-" + uuid.uuid4().hex[:6]
    project = make_zip({"t.py": "import os, shutil\nos.makedirs('outputs')\nshutil.copy('s.py','outputs/score.py')\n",
                        "s.py": broken})  # fmt: skip
    run_id = start_run(client, exp, definition("t.py", target="local"), project).json()["runId"]
    wait_run(client, exp, run_id)
    name = "brk-" + uuid.uuid4().hex[:6]
    op = _wait_operation(client, _deploy(client, name, run_id, model).headers["Operation-Location"])
    assert op["state"] == "Failed" and "no model here" in op["error"]["message"]


def test_service_request_validation(client: httpx.Client) -> None:
    assert client.post(f"{M}/services", params=API, json={"name": "Bad_Name"}).status_code == 400
    no_image = client.post(f"{M}/services", params=API, json={"name": "okname"})
    assert no_image.status_code == 400 and no_image.json()["statusCode"] == 400
    assert client.get(f"{M}/operations/{uuid.uuid4()}", params=API).status_code == 404
    assert client.post(f"{M}/services/none-such/listkeys", params=API).status_code == 404
    assert httpx.post(f"{client.base_url}/scoring/none-such/score", json={}).status_code == 404


class _StandInWorker:
    """Stands in for a service's scoring process in the emulator's worker registry; records its stop."""

    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_workspace_delete_stops_its_services_and_frees_their_names(emu: Any, client: httpx.Client) -> None:
    """Deleting a workspace (not each service) removes its services, stops their scoring workers and frees
    their names for other workspaces, as each service's own DELETE does; another workspace's entry stays."""
    from azureml_emulator.context import Context
    from azureml_emulator.dataplane.state import state_of

    ctx = emu.ctx
    if not isinstance(ctx, Context):
        pytest.skip("places a stand-in worker through the in-process emulator's context")
    ws = "gone-" + uuid.uuid4().hex[:6]
    path = ARM_WS.rsplit("/", 1)[0] + "/" + ws
    body = client.get(ARM_WS, params={"api-version": "2019-11-01"}).json()  # the session workspace's resources
    props = {k: body["properties"][k] for k in ("keyVault", "applicationInsights", "containerRegistry",
                                                 "storageAccount")}
    created = client.put(path, params={"api-version": "2019-11-01"},
                         json={"location": "eastus", "identity": {"type": "SystemAssigned"}, "properties": props})
    assert created.status_code == 202, created.text
    poll_location(client, created.headers["Location"])
    ws_key = f"{SUB}/{RG}/{ws}"
    name, other = "svc-" + uuid.uuid4().hex[:6], "svc-" + uuid.uuid4().hex[:6]
    ctx.store.put("dp:services", f"{ws_key}/{name}", {"name": name})
    ctx.store.put("dp:scoring", name, {"ws": ws_key, "name": name})
    ctx.store.put("dp:scoring", other, {"ws": f"{SUB}/{RG}/{WS}", "name": other})  # another workspace's
    worker = _StandInWorker()
    assert state_of(ctx).services.adopt(f"{ws_key}/{name}", worker)  # type: ignore[arg-type]

    deleted = client.delete(path, params={"api-version": "2019-11-01"})
    assert deleted.status_code == 202, deleted.text
    assert poll_location(client, deleted.headers["Location"]).status_code == 204
    assert worker.stopped and state_of(ctx).services.worker(f"{ws_key}/{name}") is None
    assert ctx.store.get("dp:services", f"{ws_key}/{name}") is None
    assert ctx.store.get("dp:scoring", name) is None
    assert ctx.store.get("dp:scoring", other) is not None
    ctx.store.delete("dp:scoring", other)
