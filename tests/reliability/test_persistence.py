"""Durability: acknowledged writes survive ``kill -9`` of an emulator running with ``--data-dir``.

A thread writes resource groups, workspaces, experiments and models as fast as it can; the emulator process is
killed with SIGKILL in the middle of it, restarted on the same folder, and every write that got a 2xx must be
there. Requests cut by the kill got no answer and are not counted. (tests/emulator/test_tls_and_persistence.py
checks one resource group across a kill; this is the concurrent version with every resource kind.)
"""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.reliability.figures import Figures
from tests.reliability.procs import Emulator

SUB = "00000000-0000-4000-8000-0000000005b5"
TENANT = "00000000-0000-4000-8000-00000000e001"
ML = "Microsoft.MachineLearningServices"
RG0, WS0 = "durable-rg", "durable-ws"
WS0_PATH = f"/subscriptions/{SUB}/resourceGroups/{RG0}/providers/{ML}/workspaces/{WS0}"
ARM_API = {"api-version": "2019-11-01"}
RG_API = {"api-version": "2019-10-01"}
#: How long the workload runs before the kill (seconds): long enough for dozens of writes of each kind.
KILL_AFTER = 2.0


def _token(base: str) -> str:
    r = httpx.post(f"{base}/{TENANT}/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "00000000-0000-4000-8000-00000000c11e",
        "client_secret": "emulator-dev-secret", "resource": "https://management.azure.com/"})
    r.raise_for_status()
    return str(r.json()["access_token"])


def _ids(rg: str) -> dict[str, str]:
    base = f"/subscriptions/{SUB}/resourceGroups/{rg}/providers"
    return {"storageAccount": f"{base}/Microsoft.Storage/storageAccounts/dursa",
            "keyVault": f"{base}/Microsoft.KeyVault/vaults/durkv",
            "applicationInsights": f"{base}/Microsoft.Insights/components/durai"}


def _project() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("train.py", "import os\nos.makedirs('outputs', exist_ok=True)\n"
                                "open('outputs/model.json', 'w').write('{}')\n")
    return buf.getvalue()


def _prepare(client: httpx.Client) -> str:
    """Resource group, workspace and one finished run whose artifact models can point at; returns the run id."""
    assert client.put(f"/subscriptions/{SUB}/resourcegroups/{RG0}", params=RG_API,
                      json={"location": "eastus"}).status_code in (200, 201)
    r = client.put(WS0_PATH, params=ARM_API, json={"location": "eastus", "properties": _ids(RG0)})
    assert r.status_code in (200, 201, 202), r.text
    deadline = time.monotonic() + 30
    while client.get(WS0_PATH, params=ARM_API).json()["properties"]["provisioningState"] != "Succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    definition = {"configuration": {"script": "train.py", "target": "local"}}
    r = client.post(f"/execution/v1.0{WS0_PATH}/experiments/durable/startrun", params=ARM_API,
                    files={"projectZipFile": ("p.zip", _project(), "application/zip"),
                           "runDefinitionFile": ("d.json", json.dumps(definition).encode(), "application/json")})
    assert r.status_code == 200, r.text
    run_id = str(r.json()["runId"])
    while client.get(f"/history/v1.0{WS0_PATH}/experiments/durable/runs/{run_id}",
                     params=ARM_API).json()["status"] not in ("Completed", "Failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return run_id


@dataclass
class Acked:
    """Writes that got a 2xx: (kind, GET path) pairs."""

    writes: list[tuple[str, str]] = field(default_factory=list)
    attempts: int = 0
    errors: int = 0


def _workload(client: httpx.Client, run_id: str, acked: Acked, stop: threading.Event) -> None:
    i = 0
    while not stop.is_set():
        i += 1
        writes: list[tuple[str, str, str, dict[str, object] | None, dict[str, str]]] = [
            ("resource group", "PUT", f"/subscriptions/{SUB}/resourcegroups/rg-{i}", {"location": "eastus"}, RG_API),
            ("workspace", "PUT", f"/subscriptions/{SUB}/resourceGroups/{RG0}/providers/{ML}/workspaces/ws-{i}",
             {"location": "eastus", "properties": _ids(RG0)}, ARM_API),
            ("experiment", "POST", f"/history/v1.0{WS0_PATH}/experiments/exp-{i}", None, ARM_API),
            ("model", "POST", f"/modelmanagement/v1.0{WS0_PATH}/models",
             {"name": f"model-{i}", "url": f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/model.json",
              "mimeType": "application/json"}, ARM_API),
        ]
        for kind, method, path, body, params in writes:
            acked.attempts += 1
            try:
                r = client.request(method, path, params=params, json=body)
            except httpx.HTTPError:
                acked.errors += 1  # no answer: not acknowledged
                if stop.is_set():
                    return
                continue
            if 200 <= r.status_code < 300:
                get_path = path
                if kind == "model":
                    get_path = f"/modelmanagement/v1.0{WS0_PATH}/models/{r.json()['id']}"
                acked.writes.append((kind, get_path))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "emulator-data"


@pytest.fixture
def emulators() -> Iterator[list[Emulator]]:
    started: list[Emulator] = []
    yield started
    for emu in started:
        emu.kill9()


def test_acknowledged_writes_survive_kill_9(data_dir: Path, emulators: list[Emulator], figures: Figures) -> None:
    first = Emulator("--data-dir", str(data_dir))
    emulators.append(first)
    token = _token(first.base_url)
    auth = {"Authorization": f"Bearer {token}"}
    acked = Acked()
    stop = threading.Event()
    # No retries here on purpose: a write counts only if this very request was acknowledged.
    with httpx.Client(base_url=first.base_url, headers=auth, timeout=10) as client:
        run_id = _prepare(client)
        worker = threading.Thread(target=_workload, args=(client, run_id, acked, stop), daemon=True)
        worker.start()
        time.sleep(KILL_AFTER)
        first.kill9()  # in the middle of the workload
        stop.set()
        worker.join(timeout=15)
    assert not worker.is_alive()
    kinds = {k for k, _ in acked.writes}
    assert kinds == {"resource group", "workspace", "experiment", "model"}, f"too few writes: {acked}"

    second = Emulator("--data-dir", str(data_dir))
    emulators.append(second)
    lost: list[tuple[str, str]] = []
    # The token issued before the crash still works: the signing key is persisted too.
    with httpx.Client(base_url=second.base_url, headers=auth, timeout=10) as client:
        for kind, path in acked.writes:
            params = RG_API if kind == "resource group" else ARM_API
            r = client.get(path, params=params)
            if r.status_code != 200:
                lost.append((kind, f"{path} -> {r.status_code}"))
    counts = {k: sum(1 for kk, _ in acked.writes if kk == k) for k in sorted(kinds)}
    figures.set("persistence_acknowledged_writes", len(acked.writes))
    figures.set("persistence_acknowledged_by_kind", counts)
    figures.set("persistence_requests_unanswered", acked.errors)
    figures.set("persistence_writes_lost", len(lost))
    assert not lost, f"{len(lost)} acknowledged writes lost: {lost[:10]}"
