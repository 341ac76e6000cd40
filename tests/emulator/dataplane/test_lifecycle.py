"""Emulator-level behaviour of the data plane: restart recovery, shutdown, counters, streaming limits."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.emulator_fixture import EmulatorFactory

from .conftest import ARM_WS, HELLO, MAX_UPLOAD, RG, SUB, E, M, P, _arm, _token, definition, make_zip, wait_run

API = {"api-version": "2019-11-01"}


def _setup(base_url: str, token: str) -> httpx.Client:
    c = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    _arm(c, "PUT", f"/subscriptions/{SUB}/resourcegroups/{RG}", "2019-10-01", {"location": "eastus"})
    rgid = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers"
    _arm(c, "PUT", ARM_WS, "2019-11-01", {"location": "eastus", "properties": {
        "keyVault": f"{rgid}/Microsoft.KeyVault/vaults/kv1",
        "applicationInsights": f"{rgid}/Microsoft.Insights/components/ai1",
        "containerRegistry": f"{rgid}/Microsoft.ContainerRegistry/registries/cr1",
        "storageAccount": f"{rgid}/Microsoft.Storage/storageAccounts/sa1"}})  # fmt: skip
    return c


def test_restart_fails_unfinished_runs_and_keeps_finished_ones(
    emulator_factory: EmulatorFactory, tmp_path: Path
) -> None:
    # In-process whatever the mode: stop() must run the data plane's on_shutdown, and is timed below.
    emu = emulator_factory(mode="inprocess", data_dir=tmp_path / "data", lro_delay=0.1)
    c = _setup(emu.base_url, _token(emu))
    project = make_zip({"hello.py": HELLO, "slow.py": "import time\ntime.sleep(60)\n"})

    def files(d: dict[str, Any]) -> dict[str, tuple[str, bytes, str]]:
        return {
            "projectZipFile": ("p.zip", project, "application/zip"),
            "runDefinitionFile": ("d.json", json.dumps(d).encode(), "application/json"),
        }

    done = c.post(f"{E}/experiments/r/startrun", params=API, files=files(definition("hello.py", target="local")))
    done_id = done.json()["runId"]
    wait_run(c, "r", done_id)
    slow = c.post(f"{E}/experiments/r/startrun", params=API, files=files(definition("slow.py", target="local")))
    slow_id = slow.json()["runId"]
    wait_run(c, "r", slow_id, {"Running"})
    c.close()
    started = time.monotonic()
    emu.stop()  # on_shutdown kills the run process
    assert time.monotonic() - started < 10
    emu2 = emulator_factory(mode="inprocess", data_dir=tmp_path / "data", lro_delay=0.1)  # same data dir
    try:
        c2 = httpx.Client(base_url=emu2.base_url, headers={"Authorization": f"Bearer {_token(emu2)}"})
        slow_run = c2.get(f"{P}/experiments/r/runs/{slow_id}", params=API).json()
        assert slow_run["status"] == "Failed" and "restarted" in slow_run["error"]["error"]["message"]
        done_run = c2.get(f"{P}/experiments/r/runs/{done_id}", params=API).json()
        assert done_run["status"] == "Completed"
        # the log URL survives the restart (persisted signing secret, durable blobs)
        details = c2.get(f"{P}/experiments/r/runs/{done_id}/details", params=API).json()
        assert "Hello, REST!" in httpx.get(details["logFiles"]["azureml-logs/70_driver_log.txt"]).text
        c2.close()
    finally:
        emu2.stop()


def test_counters(client: httpx.Client) -> None:
    before = client.get("/_emulator/stats").json()
    client.get(f"{P}/experiments", params=API)
    client.get(f"{M}/models", params=API)
    client.post(f"{E}/experiments/x/runId/none/cancel", params=API)
    httpx.post(f"{client.base_url}/scoring/none/score", json={})
    after = client.get("/_emulator/stats").json()

    def count(doc: dict[str, object], name: str) -> int:
        counters = doc.get("counters", doc)
        assert isinstance(counters, dict)
        return int(counters.get(name, 0))

    for name in ("history", "modelmanagement", "execution", "scoring"):
        assert count(after, name) >= count(before, name) + 1, name


def test_chunked_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    boundary = "xyzboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="runDefinitionFile"; filename="d.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
        + json.dumps(definition("hello.py"))
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="projectZipFile"; filename="p.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()

    def body() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while streaming
        yield head
        for _ in range((MAX_UPLOAD + 2 * 1024 * 1024) // 65536 + 1):
            yield bytes(65536)
        yield f"\r\n--{boundary}--\r\n".encode()

    resp = client.post(
        f"{E}/experiments/chunked/startrun",
        params=API,
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "ProjectTooLarge"
    assert client.get(f"{P}/experiments", params=API).status_code == 200


def test_model_properties_are_immutable(client: httpx.Client) -> None:
    exp = "imm-" + uuid.uuid4().hex[:6]
    project = make_zip({"t.py": "import os\nos.makedirs('outputs')\nopen('outputs/m.bin','wb').write(b'1')\n"})
    run_id = client.post(
        f"{E}/experiments/{exp}/startrun",
        params=API,
        files={
            "projectZipFile": ("p.zip", project, "application/zip"),
            "runDefinitionFile": (
                "d.json",
                json.dumps(definition("t.py", target="local")).encode(),
                "application/json",
            ),
        },
    ).json()["runId"]
    wait_run(client, exp, run_id)
    url = f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/m.bin"
    model = client.post(
        f"{M}/models", params=API, json={"name": "imm", "url": url, "mimeType": "a/b", "properties": {"a": "1"}}
    ).json()
    add = client.patch(
        f"{M}/models/{model['id']}", params=API, json=[{"op": "add", "path": "/properties/b", "value": "2"}]
    )
    assert add.status_code == 200 and add.json()["properties"] == {"a": "1", "b": "2"}
    change = client.patch(
        f"{M}/models/{model['id']}", params=API, json=[{"op": "replace", "path": "/properties/a", "value": "9"}]
    )
    assert change.status_code == 400 and change.json()["code"] == "PropertyImmutable"
