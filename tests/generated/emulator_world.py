"""A populated emulator workspace for tests that call every operation: built once with plain httpx.

``build_world(emu)`` creates, through the emulator's own REST API (not the code under test): a resource group, a
workspace (LRO), an AmlCompute ``cpu-compute``, an experiment with a completed run whose outputs hold
``model.json`` and ``score.py``, a model registered from that run, and an ACI service deployed from it (LRO) and
Healthy. Names carry a random suffix so several worlds can share one emulator.
"""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

import httpx

ARM_API = {"api-version": "2019-11-01"}
RG_API = {"api-version": "2019-10-01"}
DP_API = {"api-version": "2019-11-01"}
ML = "Microsoft.MachineLearningServices"

TRAIN = """import os, shutil
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.json", "w") as fh:
    fh.write('{"w": 3}')
shutil.copy("score.py", "outputs/score.py")
print("trained")
"""
SCORE = """import json, os
W = None
def init():
    global W
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as fh:
        W = json.load(fh)["w"]
def run(raw_data):
    return [sum(row) * W for row in json.loads(raw_data)["data"]]
"""
TERMINAL_RUN = {"Completed", "Failed", "Canceled"}
TERMINAL_OP = {"Succeeded", "Failed", "Cancelled", "TimedOut"}


def token(emu: Any, resource: str = "https://management.azure.com/") -> str:
    """A client-credentials token from the emulator's v1 token endpoint (the article's form)."""
    cfg = emu.config
    r = httpx.post(
        f"{emu.base_url}/{cfg.tenant_id}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
            "resource": resource,
        },
        timeout=30,
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def make_zip(files: dict[str, str | bytes]) -> bytes:
    """A zip holding ``files`` (name → content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def definition(script: str, target: str = "cpu-compute", args: list[str] | None = None) -> dict[str, Any]:
    """A camelCase RunDefinition (Microsoft's spec form)."""
    return {"configuration": {"script": script, "arguments": args or [], "target": target, "framework": "Python"}}


@dataclass
class World:
    """Names and ids of what ``build_world`` created."""

    base_url: str
    token: str = field(repr=False)  # secrets stay out of reprs and test output
    sub: str
    rg: str
    ws: str
    location: str
    compute: str
    experiment: str
    run_id: str
    model_id: str
    service_id: str
    scoring_uri: str
    service_key: str = field(repr=False)

    @property
    def ws_path(self) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{self.rg}/providers/{ML}/workspaces/{self.ws}"

    @property
    def history(self) -> str:
        return f"/history/v1.0{self.ws_path}"

    @property
    def execution(self) -> str:
        return f"/execution/v1.0{self.ws_path}"

    @property
    def mms(self) -> str:
        return f"/modelmanagement/v1.0{self.ws_path}"

    @property
    def scoring_base(self) -> str:
        """The scoring server base: the scoringUri without ``/score`` (CONTRIBUTING.md)."""
        assert self.scoring_uri.endswith("/score")
        return self.scoring_uri[: -len("/score")]


def workspace_body(sub: str, rg: str, location: str = "eastus") -> dict[str, Any]:
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    return {
        "location": location,
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "friendlyName": "conformance",
            "keyVault": f"{base}/Microsoft.KeyVault/vaults/kv{rg[-6:]}",
            "applicationInsights": f"{base}/Microsoft.Insights/components/ai{rg[-6:]}",
            "containerRegistry": f"{base}/Microsoft.ContainerRegistry/registries/cr{rg[-6:]}",
            "storageAccount": f"{base}/Microsoft.Storage/storageAccounts/st{rg[-6:]}",
        },
    }


def compute_body(location: str = "eastus", nodes: int = 2) -> dict[str, Any]:
    return {
        "location": location,
        "properties": {
            "computeType": "AmlCompute",
            "properties": {
                "vmSize": "Standard_D1",
                "vmPriority": "Dedicated",
                "scaleSettings": {"maxNodeCount": nodes, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT30M"},
            },
        },
    }


def ok(r: httpx.Response, *statuses: int) -> httpx.Response:
    """``r`` after checking its status is one of ``statuses`` (default: any 2xx)."""
    good = r.status_code in statuses if statuses else 200 <= r.status_code < 300
    assert good, f"{r.request.method} {r.request.url.path} -> {r.status_code}: {r.text[:500]}"
    return r


def path_style(base_url: str, blob_uri: str) -> str:
    """A virtual-hosted ``{account}.blob.<suffix>`` blob URL as the path-style one on the emulator's port at
    ``base_url`` (the same blob and SAS; no name resolution needed)."""
    url = httpx.URL(blob_uri)
    return f"{base_url.rstrip('/')}/{url.host.split('.', 1)[0]}{url.raw_path.decode()}"


def poll_location(http: httpx.Client, url: str, timeout: float = 30) -> httpx.Response:
    """GET an ARM ``Location`` URL until it stops answering 202."""
    deadline = time.monotonic() + timeout
    while True:
        r = http.get(url)
        if r.status_code != 202:
            return r
        assert time.monotonic() < deadline, f"{url} still 202"
        time.sleep(0.05)


def wait_run(http: httpx.Client, history: str, experiment: str, run_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = ok(http.get(f"{history}/experiments/{experiment}/runs/{run_id}", params=DP_API)).json()
        if run["status"] in TERMINAL_RUN:
            return run
        assert time.monotonic() < deadline, f"run {run_id} stuck in {run['status']}"
        time.sleep(0.05)


def wait_operation(http: httpx.Client, url: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        op: dict[str, Any] = ok(http.get(url)).json()
        if op["state"] in TERMINAL_OP:
            return op
        assert time.monotonic() < deadline, f"operation stuck in {op['state']}"
        time.sleep(0.05)


def start_run(http: httpx.Client, execution: str, experiment: str, doc: dict[str, Any], project: bytes) -> str:
    r = ok(
        http.post(
            f"{execution}/experiments/{experiment}/startrun",
            params=DP_API,
            files={
                "projectZipFile": ("train.zip", project, "application/zip"),
                "runDefinitionFile": ("definition.json", json.dumps(doc).encode(), "application/json"),
            },
        )
    )
    return str(r.json()["runId"])


def service_body(name: str, run_id: str, model_id: str) -> dict[str, Any]:
    return {
        "name": name,
        "computeType": "ACI",
        "description": "conformance service",
        "environmentImageRequest": {
            "driverProgram": "score.py",
            "assets": [
                {
                    "id": "score",
                    "mimeType": "application/x-python",
                    "url": f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/score.py",
                }
            ],
            "modelIds": [model_id],
        },
        "containerResourceRequirements": {"cpu": 0.1, "memoryInGB": 0.5},
    }


def build_world(emu: Any, http: httpx.Client | None = None) -> World:
    """Create everything listed in the module docstring; ``http`` (optional) is used for every call."""
    own = http is None
    tok = token(emu)
    client = http or httpx.Client(base_url=emu.base_url, timeout=60)
    client.headers["Authorization"] = f"Bearer {tok}"
    try:
        return _build(emu, client, tok)
    finally:
        if own:
            client.close()


def _build(emu: Any, http: httpx.Client, tok: str) -> World:
    sub, location = emu.config.subscription_id, emu.config.location
    suffix = uuid.uuid4().hex[:6]
    rg, ws, experiment = f"conf-rg-{suffix}", f"conf-ws-{suffix}", f"conf-exp-{suffix}"
    ok(http.put(f"/subscriptions/{sub}/resourcegroups/{rg}", params=RG_API, json={"location": location}))
    ws_path = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ML}/workspaces/{ws}"
    created = ok(http.put(ws_path, params=ARM_API, json=workspace_body(sub, rg, location)))
    if created.status_code == 202:
        ok(poll_location(http, created.headers["Location"]), 200)
    ok(http.put(f"{ws_path}/computes/cpu-compute", params=ARM_API, json=compute_body(location)))
    partial = World(emu.base_url, tok, sub, rg, ws, location, "cpu-compute", experiment, "", "", "", "", "")
    run_id = start_run(
        http, partial.execution, experiment, definition("train.py"), make_zip({"train.py": TRAIN, "score.py": SCORE})
    )
    run = wait_run(http, partial.history, experiment, run_id)
    assert run["status"] == "Completed", run
    model = ok(
        http.post(
            f"{partial.mms}/models",
            params=DP_API,
            json={
                "name": f"model-{suffix}",
                "url": f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/model.json",
                "mimeType": "application/json",
            },
        )
    ).json()
    created_svc = ok(
        http.post(f"{partial.mms}/services", params=DP_API, json=service_body(f"svc-{suffix}", run_id, model["id"])),
        202,
    )
    op = wait_operation(http, created_svc.headers["Operation-Location"])
    assert op["state"] == "Succeeded", op
    service_id = str(op.get("resourceLocation", "")).rsplit("/", 1)[-1] or f"svc-{suffix}"
    service = ok(http.get(f"{partial.mms}/services/{service_id}", params=DP_API)).json()
    keys = ok(http.post(f"{partial.mms}/services/{service_id}/listkeys", params=DP_API)).json()
    partial.run_id, partial.model_id, partial.service_id = run_id, str(model["id"]), str(service["id"])
    partial.scoring_uri, partial.service_key = str(service["scoringUri"]), str(keys["primaryKey"])
    return partial
