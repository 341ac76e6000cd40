"""Helpers for the online endpoint tests: code and model uploads to the blob store, endpoints, deployments, scoring."""

from __future__ import annotations

import copy
import functools
import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml
from openapi_core import OpenAPI

from tests.emulator.dataplane.speccheck import _Request, _Response
from tests.emulator.support import verify_for
from tests.emulator.v2.v2_support import V2Workspace

# A scoring script as azure-ai-ml users write them: the model file under AZUREML_MODEL_DIR/<model folder>.
SCORE_PY = """\
import json, os

def init():
    global factor
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "weights.json")) as fh:
        factor = json.load(fh)["factor"]
    print("init done, factor", factor, flush=True)

def run(raw_data):
    data = json.loads(raw_data)["data"]
    print("scoring", len(data), "rows", flush=True)
    if data == ["boom"]:
        raise ValueError("cannot score boom")
    return {"result": [x * factor for x in data], "label": os.environ.get("LABEL")}
"""


SPEC = Path(__file__).resolve().parents[3] / "specs" / "machinelearning.yaml"


@functools.cache
def _machinelearning(base_url: str) -> OpenAPI:
    spec: dict[str, Any] = copy.deepcopy(yaml.safe_load(SPEC.read_text()))
    spec["servers"] = [{"url": base_url}]  # the emulator serves ARM on its own host
    return OpenAPI.from_dict(spec)


def spec_check(response: httpx.Response) -> None:
    """Raise AssertionError when an online endpoint/deployment ARM response breaks specs/machinelearning.yaml
    (the request/response adapters are the data-plane spec check's)."""
    url = urlsplit(str(response.request.url))
    if "/onlineEndpoints" not in url.path or not url.path.startswith("/subscriptions/"):
        return
    response.read()
    try:
        _machinelearning(f"{url.scheme}://{url.netloc}").validate_response(
            _Request(response.request), _Response(response)
        )
    except Exception as exc:  # report every validation failure with its details
        detail = "; ".join(str(e) for e in getattr(exc, "schema_errors", []) or [exc.__cause__ or exc])
        raise AssertionError(
            f"{response.request.method} {url.path} -> {response.status_code} breaks specs/machinelearning.yaml: "
            f"{type(exc).__name__}: {detail}\nbody: {response.text[:500]}"
        ) from None


class Online:
    """Endpoints and deployments in one fresh workspace, with their code and model uploaded like azure-ai-ml does."""

    def __init__(self, space: V2Workspace) -> None:
        self.space = space
        self.arm = space.arm
        self.emu = space.arm.emu
        self.verify = verify_for(self.emu)
        hooks = self.arm.client.event_hooks.setdefault("response", [])
        if spec_check not in hooks:
            hooks.append(spec_check)

    def upload(self, files: dict[str, str]) -> tuple[str, str]:
        """Files uploaded through a code ``startPendingUpload`` SAS: ``(blobUri, upload id)``."""
        name = str(uuid.uuid4())
        r = self.space.call(
            "POST",
            f"/codes/{name}/versions/1/startPendingUpload",
            json={"pendingUploadType": "TemporaryBlobReference"},
        )
        assert r.status_code == 200, r.text
        ref = r.json()["blobReferenceForConsumption"]
        blob_uri, sas = ref["blobUri"], ref["credential"]["sasUri"].split("?", 1)[1]
        for path, text in files.items():
            put = httpx.put(
                f"{blob_uri}/{path}?{sas}",
                content=text.encode(),
                headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06"},
                verify=self.verify,
            )
            assert put.status_code == 201, put.text
        return blob_uri, str(r.json()["pendingUploadId"])

    def code(self, files: dict[str, str] | None = None) -> str:
        """A code version holding ``files`` (default: ``src/score.py``); its ARM id."""
        blob_uri, _ = self.upload({f"src/{k}": v for k, v in (files or {"score.py": SCORE_PY}).items()})
        name = str(uuid.uuid4())
        r = self.space.call(
            "PUT", f"/codes/{name}/versions/1", json={"properties": {"codeUri": f"{blob_uri}/src", "isAnonymous": True}}
        )
        assert r.status_code in (200, 201), r.text
        return str(r.json()["id"])

    def model(self, factor: int = 3) -> str:
        """A model version whose files are ``model/weights.json`` in the default datastore; its ARM id."""
        _, upload_id = self.upload({"model/weights.json": json.dumps({"factor": factor})})
        name = "m" + uuid.uuid4().hex[:8]
        uri = f"azureml://datastores/workspaceblobstore/paths/LocalUpload/{upload_id}/model/"
        r = self.space.call("PUT", f"/models/{name}/versions/1", json={"properties": {"modelUri": uri}})
        assert r.status_code in (200, 201), r.text
        return str(r.json()["id"])

    def endpoint_path(self, endpoint: str) -> str:
        return f"/onlineEndpoints/{endpoint}"

    def create_endpoint(
        self, auth_mode: str = "Key", traffic: dict[str, int] | None = None
    ) -> tuple[str, dict[str, Any]]:
        """A new endpoint, waited for: ``(name, its GET body)``."""
        name = "ep-" + uuid.uuid4().hex[:10]
        body = {"location": "eastus", "properties": {"authMode": auth_mode, "traffic": traffic or {}}}
        r = self.space.call("PUT", self.endpoint_path(name), json=body)
        assert r.status_code == 201, r.text
        assert self.arm.wait_async(r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
        got = self.space.call("GET", self.endpoint_path(name))
        assert got.status_code == 200, got.text
        return name, got.json()

    def deployment_body(self, code_id: str | None, model_id: str | None, **props: Any) -> dict[str, Any]:
        properties: dict[str, Any] = {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"}
        if code_id is not None:
            properties["codeConfiguration"] = {"codeId": code_id, "scoringScript": "score.py"}
        if model_id is not None:
            properties["model"] = model_id
        properties.update(props)
        return {"location": "eastus", "sku": {"name": "Default", "capacity": 1}, "properties": properties}

    def deploy(self, endpoint: str, name: str, body: dict[str, Any]) -> tuple[httpx.Response, dict[str, Any]]:
        """PUT a deployment and wait for its operation: ``(the 201, the final operation status)``."""
        r = self.space.call("PUT", f"{self.endpoint_path(endpoint)}/deployments/{name}", json=body)
        assert r.status_code == 201, r.text
        return r, self.arm.wait_async(r.headers["Azure-AsyncOperation"], timeout=60)

    def set_traffic(self, endpoint: str, traffic: dict[str, int], auth_mode: str = "Key") -> httpx.Response:
        body = {"location": "eastus", "properties": {"authMode": auth_mode, "traffic": traffic}}
        return self.space.call("PUT", self.endpoint_path(endpoint), json=body)

    def score(self, scoring_uri: str, credential: str | None, data: Any, **headers: str) -> httpx.Response:
        if credential is not None:
            headers["Authorization"] = f"Bearer {credential}"
        return httpx.post(scoring_uri, json={"data": data}, headers=headers, verify=self.verify, timeout=60)

    def keys(self, endpoint: str) -> dict[str, Any]:
        r = self.space.call("POST", f"{self.endpoint_path(endpoint)}/listKeys")
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def logs(self, endpoint: str, deployment: str, **body: Any) -> str:
        r = self.space.call("POST", f"{self.endpoint_path(endpoint)}/deployments/{deployment}/getLogs", json=body)
        assert r.status_code == 200, r.text
        return str(r.json()["content"])

    def wait_location(self, r: httpx.Response) -> httpx.Response:
        assert r.status_code == 202, r.text
        return self.arm.wait(r.headers["Location"])


def poll_until(check: Any, timeout: float = 30.0) -> Any:
    """``check()``'s first truthy answer (a readiness wait, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)
