"""Fixtures for the data-plane tests: one emulator (``emu``, ``max_upload_bytes`` 2 MiB, from the session factory
of tests/conftest.py) and an authorised client with an ARM-created workspace."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from azureml_emulator.config import EmulatorConfig
from azureml_emulator.server import RunningEmulator

from tests.article import ARTICLE_DEFINITION  # noqa: F401  (re-exported to the test modules)
from tests.emulator_fixture import EmulatorFactory

from .speccheck import check

SUB = EmulatorConfig().subscription_id
RG = "dp-rg"
WS = "dp-ws"
MAX_UPLOAD = 2 * 1024 * 1024  # small, so the "too big" and bomb tests stay fast
ARM_WS = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.MachineLearningServices/workspaces/{WS}"
P = f"/history/v1.0{ARM_WS}"
E = f"/execution/v1.0{ARM_WS}"
M = f"/modelmanagement/v1.0{ARM_WS}"

HELLO = 'import sys\n# Entry file for run\nprint("Hello, REST!")\nprint("args:", sys.argv[1:])\n'


def make_zip(files: dict[str, str | bytes]) -> bytes:
    """A zip holding ``files`` (name → content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def definition(script: str, *, target: str = "cpu-compute", args: list[str] | None = None,
               max_seconds: float | None = None) -> dict[str, Any]:  # fmt: skip
    """A camelCase RunDefinition (Microsoft's spec form)."""
    conf: dict[str, Any] = {"script": script, "arguments": args or [], "target": target, "framework": "Python"}
    if max_seconds is not None:
        conf["maxRunDurationSeconds"] = max_seconds
    return {"configuration": conf}


@pytest.fixture(scope="session")
def emu(session_emulator_factory: EmulatorFactory) -> RunningEmulator:
    """The emulator under test, from tests/conftest.py's session factory (in memory, small upload limit,
    short LRO delay)."""
    emulator: RunningEmulator = session_emulator_factory(max_upload_bytes=MAX_UPLOAD, lro_delay=0.3)
    return emulator


def _token(emu: RunningEmulator) -> str:
    c = emu.config
    resp = httpx.post(
        f"{emu.base_url}/{c.tenant_id}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": c.client_id,
            "client_secret": c.client_secret,
            "resource": "https://management.azure.com/",
        },
    )
    resp.raise_for_status()
    return str(resp.json()["access_token"])


def _arm(client: httpx.Client, method: str, path: str, api: str, body: Any = None) -> httpx.Response:
    resp = client.request(method, path, params={"api-version": api}, json=body)
    assert resp.status_code < 300, resp.text
    return resp


@pytest.fixture(scope="session")
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """An authorised client with the resource group, workspace and computes created through ARM."""
    auth = {"Authorization": f"Bearer {_token(emu)}"}
    with httpx.Client(base_url=emu.base_url, headers=auth, timeout=30, event_hooks={"response": [check]}) as c:
        _arm(c, "PUT", f"/subscriptions/{SUB}/resourcegroups/{RG}", "2019-10-01", {"location": "eastus"})
        rgid = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers"
        _arm(c, "PUT", ARM_WS, "2019-11-01", {
            "location": "eastus",
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "friendlyName": WS,
                "keyVault": f"{rgid}/Microsoft.KeyVault/vaults/dpkv",
                "applicationInsights": f"{rgid}/Microsoft.Insights/components/dpai",
                "containerRegistry": f"{rgid}/Microsoft.ContainerRegistry/registries/dpacr",
                "storageAccount": f"{rgid}/Microsoft.Storage/storageAccounts/dpsa",
            },
        })  # fmt: skip
        for name, nodes in (("cpu-compute", 4), ("one-node", 1)):
            _arm(c, "PUT", f"{ARM_WS}/computes/{name}", "2019-11-01", {
                "location": "eastus",
                "properties": {
                    "computeType": "AmlCompute",
                    "properties": {
                        "vmSize": "Standard_D1", "vmPriority": "Dedicated",
                        "scaleSettings": {"maxNodeCount": nodes, "minNodeCount": 0,
                                          "nodeIdleTimeBeforeScaleDown": "PT30M"},
                    },
                },
            })  # fmt: skip
        yield c


def start_run(client: httpx.Client, experiment: str, definition_doc: Any, project: bytes,
              run_id: str | None = None) -> httpx.Response:  # fmt: skip
    """POST E/startrun the way the article's curl does (multipart files)."""
    params: dict[str, str] = {"api-version": "2019-11-01"}
    if run_id:
        params["runId"] = run_id
    def_bytes = definition_doc if isinstance(definition_doc, bytes) else json.dumps(definition_doc).encode()
    return client.post(
        f"{E}/experiments/{experiment}/startrun",
        params=params,
        files={
            "projectZipFile": ("train.zip", project, "application/zip"),
            "runDefinitionFile": ("definition.json", def_bytes, "application/json"),
        },
    )


TERMINAL = {"Completed", "Failed", "Canceled"}


def get_run(client: httpx.Client, experiment: str, run_id: str) -> dict[str, Any]:
    """GET the run (asserting 200)."""
    resp = client.get(f"{P}/experiments/{experiment}/runs/{run_id}", params={"api-version": "2019-11-01"})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def wait_run(client: httpx.Client, experiment: str, run_id: str, statuses: set[str] | None = None,
             timeout: float = 60.0) -> dict[str, Any]:  # fmt: skip
    """Poll the run until its status is in ``statuses`` (default: terminal)."""
    wanted = statuses or TERMINAL
    deadline = time.monotonic() + timeout
    while True:
        run = get_run(client, experiment, run_id)
        if run["status"] in wanted:
            return run
        assert time.monotonic() < deadline, f"run {run_id} stuck in {run['status']}"
        time.sleep(0.05)
