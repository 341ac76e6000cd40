"""Prerequisites for the machinelearning group's cases in test_every_operation, made with plain httpx through the
emulator's REST API (never with the code under test): code and model uploads through a startPendingUpload SAS as
azure-ai-ml does, an environment, jobs, online endpoints and deployments. Shared ones are made once per world
(``once``), since cases run in any order and may be selected alone.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from .emulator_world import ok
from .operation_cases import Env

V2 = {"api-version": "2025-12-01"}
#: ARM's terminal operation statuses (any other is still running).
TERMINAL = ("Succeeded", "Failed", "Canceled", "Cancelled")
ENVIRONMENT = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest"
#: A job command that runs long enough to be cancelled.
SLEEP = 'python -c "import time; time.sleep(30)"'
SCORE_PY = "def init():\n    pass\n\ndef run(raw_data):\n    return raw_data\n"
SHARED: dict[tuple[int, str], Any] = {}
T = TypeVar("T")


def once(e: Env, what: str, make: Callable[[], T]) -> T:
    """``make()`` once per world (cases run in any order and may be selected alone)."""
    key = (id(e.w), what)
    if key not in SHARED:
        SHARED[key] = make()
    made: T = SHARED[key]
    return made


def w3(e: Env) -> tuple[str, str, str]:
    return e.w.sub, e.w.rg, e.w.ws


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def v2(e: Env, method: str, sub_path: str, body: Any = None) -> httpx.Response:
    """A raw call on the world's workspace path + ``sub_path`` at 2025-12-01."""
    return e.raw.request(method, e.w.ws_path + sub_path, params=V2, json=body)


def wait_status(http: httpx.Client, url: str, timeout: float = 60) -> dict[str, Any]:
    """GET an ``Azure-AsyncOperation`` URL (AsyncOperations_Get) until its status is terminal."""
    deadline = time.monotonic() + timeout
    while True:
        status: dict[str, Any] = ok(http.get(url)).json()
        if status["status"] in TERMINAL:
            return status
        assert time.monotonic() < deadline, f"operation still {status['status']}"
        time.sleep(0.05)


def compute_body(location: str) -> dict[str, Any]:
    """A one-node AmlCompute cluster at ``location`` (Compute_CreateOrUpdate's body)."""
    settings = {"vmSize": "STANDARD_DS3_V2", "scaleSettings": {"maxNodeCount": 1, "minNodeCount": 0}}
    return {"location": location, "properties": {"computeType": "AmlCompute", "properties": settings}}


def datastore_props(account: str) -> dict[str, Any]:
    """An Azure Blob datastore's ``properties`` on ``account`` with a (dummy) account key."""
    secrets = {"secretsType": "AccountKey", "key": "a2V5"}
    return {
        "datastoreType": "AzureBlob",
        "accountName": account,
        "containerName": "data",
        "endpoint": "core.windows.net",
        "protocol": "https",
        "credentials": {"credentialsType": "AccountKey", "secrets": secrets},
    }


def metric_batch(name: str) -> dict[str, Any]:
    """A metric-service batch logging ``name`` = 0.9 at step 0 (what mlflow sends from inside a run)."""
    values = [{"step": 0, "data": {name: 0.9}, "createdUtc": "2026-01-02T03:04:05Z"}]
    return {"values": [{"name": name, "columns": {name: "Double"}, "value": values}]}


def upload(e: Env, files: dict[str, str]) -> str:
    """Files put through a code startPendingUpload SAS as azure-ai-ml does; the folder's ``blobUri``."""
    asked = {"pendingUploadType": "TemporaryBlobReference"}
    r = ok(v2(e, "POST", f"/codes/{uuid.uuid4()}/versions/1/startPendingUpload", asked))
    ref = r.json()["blobReferenceForConsumption"]
    blob_uri, sas = ref["blobUri"], ref["credential"]["sasUri"].split("?", 1)[1]
    for path, text in files.items():
        headers = {"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06"}
        ok(httpx.put(f"{blob_uri}/{path}?{sas}", content=text.encode(), headers=headers, timeout=60), 201)
    return str(blob_uri)


def code(e: Env) -> tuple[str, str]:
    """(name, ARM id) of a code version (version 1) holding ``score.py``."""

    def make() -> tuple[str, str]:
        name = unique("conf-code")
        body = {"properties": {"codeUri": upload(e, {"src/score.py": SCORE_PY}) + "/src", "isAnonymous": True}}
        return name, str(ok(v2(e, "PUT", f"/codes/{name}/versions/1", body)).json()["id"])

    return once(e, "code", make)


def model(e: Env) -> tuple[str, str]:
    def make() -> tuple[str, str]:
        name = unique("conf-model")
        folder = upload(e, {"model/weights.json": '{"factor": 3}'})
        body = {"properties": {"modelUri": f"{folder}/model/"}}
        return name, str(ok(v2(e, "PUT", f"/models/{name}/versions/1", body)).json()["id"])

    return once(e, "model", make)


def environment(e: Env) -> str:
    def make() -> str:
        name = unique("conf-env")
        ok(v2(e, "PUT", f"/environments/{name}/versions/1", {"properties": {"image": "python:3.11-slim"}}))
        return name

    return once(e, "environment", make)


def job_body(e: Env, command: str) -> dict[str, Any]:
    compute_id = f"{e.w.ws_path}/computes/{e.w.compute}"
    properties = {"jobType": "Command", "command": command, "environmentId": ENVIRONMENT, "computeId": compute_id}
    return {"properties": {**properties, "experimentName": "conf-v2"}}


def job(e: Env, command: str = "python -c \"print('hi')\"") -> str:
    name = unique("conf_job").replace("-", "_")
    ok(v2(e, "PUT", f"/jobs/{name}", job_body(e, command)))
    return name


def new_endpoint(e: Env, auth_mode: str = "Key") -> str:
    """A new online endpoint, waited for until Succeeded."""
    name = unique("ep")
    r = ok(v2(e, "PUT", f"/onlineEndpoints/{name}", {"location": e.w.location, "properties": {"authMode": auth_mode}}))
    assert wait_status(e.raw, r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    return name


def endpoint(e: Env, auth_mode: str = "Key") -> str:
    """The world's shared endpoint of ``auth_mode``."""
    return once(e, f"endpoint-{auth_mode}", lambda: new_endpoint(e, auth_mode))


def deployment_body(e: Env) -> dict[str, Any]:
    properties = {
        "endpointComputeType": "Managed",
        "instanceType": "Standard_DS3_v2",
        "model": model(e)[1],
        "codeConfiguration": {"codeId": code(e)[1], "scoringScript": "score.py"},
    }
    return {"location": e.w.location, "sku": {"name": "Default", "capacity": 1}, "properties": properties}


def deployment(e: Env, endpoint_name: str, name: str | None = None) -> str:
    """A deployment of the shared model and code, waited for."""
    name = name or unique("d")
    r = ok(v2(e, "PUT", f"/onlineEndpoints/{endpoint_name}/deployments/{name}", deployment_body(e)))
    assert wait_status(e.raw, r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    return name


def shared_deployment(e: Env) -> tuple[str, str]:
    return once(e, "deployment", lambda: (endpoint(e), deployment(e, endpoint(e), "blue")))
