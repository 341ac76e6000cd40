"""Helpers for the run tests: the article's project, workspace setup, emulator controls, a response-losing proxy."""

from __future__ import annotations

import random
import socket
import threading
from pathlib import Path
from typing import Any

import httpx
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML
from azureml_rest.workspace import AsyncWorkspace, Workspace

from tests.article import ARTICLE_DEFINITION  # noqa: F401  (re-exported to the test modules)
from tests.integration.support import dependent_ids

RG = "runs-rg"
WS = "runs-ws"
HELLO = 'import sys\n# Entry file for run\nprint("Hello, REST!")\nprint("args:", sys.argv[1:])\n'
# Lists the project as the run sees it (into the log and outputs/files.json).
LIST_FILES = """\
import json, os
names = sorted(os.path.relpath(os.path.join(d, f)).replace(os.sep, "/")
               for d, _, fs in os.walk(".") for f in fs if not d.startswith("./outputs"))
os.makedirs("outputs", exist_ok=True)
with open("outputs/files.json", "w") as fh:
    json.dump(names, fh)
print("FILES", json.dumps(names))
"""
FAST = {"poll_interval": 0.1, "max_poll_interval": 0.5}


def setup_workspace(ml: AzureML, computes: dict[str, int]) -> Workspace:
    """Resource group, workspace and AmlCompute clusters (name -> max nodes) created through ARM."""
    ml.resource_groups.create_or_update(RG, "eastus")
    ml.workspaces.begin_create_or_update(
        RG, WS, location="eastus", **dependent_ids(ml.subscription_id, RG, "runs")
    ).result(timeout=30)
    ws = ml.workspace(RG, WS)
    for name, nodes in computes.items():
        ws.computes.begin_create_or_update(name, max_nodes=nodes).result(timeout=30)
    return ws


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    """``root`` holding ``files`` (relative name -> content; text is written as UTF-8 bytes, as given)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def stats(emu: RunningEmulator) -> dict[str, int]:
    return dict(httpx.get(f"{emu.base_url}/_emulator/stats").json()["counters"])


def startrun_path(ws: Workspace | AsyncWorkspace, experiment: str) -> str:
    sub, rg, name = ws.ids
    return (f"/execution/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices"
            f"/workspaces/{name}/experiments/{experiment}/startrun")  # fmt: skip


def first_draw_only_seed() -> int:
    """A seed for which the emulator's fault draw (rate 0.5, one kind) hits on the first request only."""
    for seed in range(10_000):
        rng = random.Random(seed)
        if rng.random() < 0.5:
            rng.choice(["drop"])
            if rng.random() >= 0.5:
                return seed
    raise AssertionError("no seed found")


def set_faults(emu: RunningEmulator, **body: Any) -> None:
    r = httpx.post(f"{emu.base_url}/_emulator/faults", json=body)
    assert r.status_code == 200, r.text


class DropFirstResponseProxy:
    """A loopback TCP proxy to the emulator that swallows the response to the first ``startrun`` it forwards:
    the request reaches the service and the run starts, but the client sees the connection close without an
    answer (what a lost response looks like)."""

    def __init__(self, upstream: str, marker: bytes = b"/startrun") -> None:
        url = httpx.URL(upstream)
        self._upstream = (url.host, url.port or 80)
        self._marker = marker
        self.dropped = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self._upstream)
        armed = threading.Event()

        def forward() -> None:
            tail = b""
            try:
                while data := client.recv(65536):
                    if self._marker in tail + data:
                        with self._lock:
                            if self.dropped == 0:
                                armed.set()
                    tail = data[-len(self._marker) :]
                    upstream.sendall(data)
            except OSError:
                pass

        threading.Thread(target=forward, daemon=True).start()
        try:
            while data := upstream.recv(65536):
                if armed.is_set():
                    with self._lock:
                        self.dropped += 1
                    return  # the answer to startrun: never passed on
                client.sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
