"""startrun's multipart upload delivers any project zip byte-exact, under a random boundary.

The zip (stored, not deflated, so its bytes travel literally) holds a data file made of the sequences that break a
fixed multipart boundary (``--+++``, ``\\r\\n--``, a fake closing delimiter), random binary from a fixed seed and
about 5 MB in all, plus a script that prints the file's SHA-256. The run goes through the generated
``runs_start_run`` to the emulator; the hash printed in the driver log (read from the run details' log URL, with no
Authorization header) must equal the local one. The request's Content-Type must carry a random boundary.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from typing import Any

import httpx
import pytest

from .emulator_world import DP_API, World, build_world, definition, wait_run

execution = pytest.importorskip("azureml_execution_client")
from azureml_execution_client import AuthenticatedClient  # noqa: E402
from azureml_execution_client.api.runs import runs_start_run  # noqa: E402
from azureml_execution_client.models import StartRunRequest, StartRunResult  # noqa: E402
from azureml_execution_client.types import File  # noqa: E402

HASH_SCRIPT = """import hashlib, sys
with open("data.bin", "rb") as fh:
    digest = hashlib.sha256(fh.read()).hexdigest()
print("sha256=" + digest)
"""


def _payload() -> bytes:
    rng = random.Random(20200131)  # fixed seed: the same bytes on every run
    hostile = b'--+++\r\n--+++--\r\n\r\n--\r\n--+++\r\nContent-Disposition: form-data; name="x"\r\n\r\n'
    return hostile + rng.randbytes(5 * 1024 * 1024) + hostile + b"\r\n--+++--"


def _project(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("hash.py", HASH_SCRIPT)
        zf.writestr("data.bin", data)
        zf.writestr("--+++", b"\r\n--+++\r\n")  # a member whose name is the old fixed boundary
    return buf.getvalue()


@pytest.fixture(scope="module")
def world(session_emulator: Any) -> World:
    return build_world(session_emulator)


def _submit(world: World, project: bytes, seen: list[httpx.Request]) -> Any:
    def capture(request: httpx.Request) -> None:
        seen.append(request)

    body = StartRunRequest(
        run_definition_file=File(
            io.BytesIO(json.dumps(definition("hash.py")).encode()), "definition.json", "application/json"
        ),
        project_zip_file=File(io.BytesIO(project), "train.zip", "application/zip"),
    )
    with AuthenticatedClient(
        base_url=world.base_url,
        token=world.token,
        timeout=httpx.Timeout(120),
        httpx_args={"event_hooks": {"request": [capture]}},
    ) as client:
        return runs_start_run.sync_detailed(world.sub, world.rg, world.ws, world.experiment, client=client, body=body)


def test_project_zip_arrives_byte_exact(world: World) -> None:
    data = _payload()
    project = _project(data)
    assert b"--+++" in project and b"\r\n--" in project  # stored: the hostile bytes are in the upload itself
    assert len(project) > 5 * 1024 * 1024
    seen: list[httpx.Request] = []
    response = _submit(world, project, seen)
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.parsed, StartRunResult)
    run_id = response.parsed.run_id

    with httpx.Client(base_url=world.base_url, headers={"Authorization": f"Bearer {world.token}"}, timeout=60) as http:
        run = wait_run(http, world.history, world.experiment, run_id, timeout=90)
        assert run["status"] == "Completed", run
        details = http.get(f"{world.history}/experiments/{world.experiment}/runs/{run_id}/details", params=DP_API)
        assert details.status_code == 200
        log_files: dict[str, str] = details.json()["logFiles"]
    driver = [url for name, url in log_files.items() if name.endswith("70_driver_log.txt")]
    assert driver, f"no driver log among {sorted(log_files)}"
    log = httpx.get(driver[0], timeout=30)  # a SAS-like URL: no Authorization header
    assert log.status_code == 200
    assert f"sha256={hashlib.sha256(data).hexdigest()}" in log.text, log.text[-2000:]


def test_boundary_is_random_not_fixed(world: World) -> None:
    small = _project(b"--+++ small")
    boundaries = []
    for _ in range(2):
        seen: list[httpx.Request] = []
        response = _submit(world, small, seen)
        assert response.status_code == 200
        content_type = seen[-1].headers["content-type"]
        assert content_type.startswith("multipart/form-data; boundary="), content_type
        boundary = content_type.split("boundary=", 1)[1].strip('"')
        assert boundary != "+++" and len(boundary) >= 16, boundary
        boundaries.append(boundary)
    assert boundaries[0] != boundaries[1]
