"""The demo's current-API part (demo/walkthrough_v2.py) against an emulator injecting faults.

The article's steps run clean (tests/reliability/test_faults_walkthrough.py covers them under faults); from the
first current-API step to the end of that part about 20% of requests get a fault (fixed seed): 429 with
``Retry-After``/``retry-after-ms``, 503, a dropped connection, or a slow answer, the code upload's blob requests
included. The code goes up in 1 KiB blocks (``upload_options``), so the faults land on Put Block and Put Block List
too. Every step must report ``ok``; the one submission must leave exactly one job and one code version (counted
from the emulator's store once the faults are off), and the uploaded blobs must be byte-for-byte the project's
files (their MD5 against the local files), as the job's own log says too (train.py prints each file's MD5).

Spared, as in the article's test: the POSTs the overlay deliberately does not repeat (``retry.is_retry_safe``):
``startPendingUpload``, ``regenerateKeys``, scoring ``/score`` (and ``token``, ``getLogs``, ``cancel``, not used
here); a fault there is one attempt and a typed error (pinned by the article's
``test_non_idempotent_posts_fail_typed_and_once``). See tests/reliability/README.md for the figures.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azureml_emulator.blobstore.storage import BlobStorage
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import EMULATOR_ACCOUNT
from azureml_rest.clouds import Cloud

from demo.connection import service_principal
from demo.settings import DemoSettings, emulator_ids
from demo.walkthrough import Walkthrough
from demo.walkthrough_v2 import PROJECT_V2_DIR, PROJECT_V2_FILES, STEPS, CurrentApiPart, CurrentApiSettings
from tests.emulator_fixture import EmulatorFactory
from tests.reliability.figures import Figures
from tests.reliability.test_faults_walkthrough import KINDS, SLOW_SECONDS, RetrySafeFaults, _patient_http

FAULT_RATE = 0.2
#: A seed under which every kind lands at least twice in the part's ~100 faultable requests.
FAULT_SEED = 16
#: The current API's POSTs that are not retry-safe (path endings, lower-case); not faulted.
V2_NOT_RETRY_SAFE = ("/startpendingupload", "/regeneratekeys", "/token", "/getlogs", "/cancel")
RG, WS, EXP = "faulty-v2-rg", "faulty-v2-ws", "faulty-v2-exp"
#: Small enough that data.csv (4.7 KiB) and train.py (2.3 KiB) go up as blocks, score.py in one Put Blob.
UPLOAD = {"single_put_size": 1024, "block_size": 1024, "concurrency": 4}
CODES, JOBS = "v2:codes:versions", "v2:jobs"


class V2RetrySafeFaults(RetrySafeFaults):
    """The article test's injector, also sparing the current API's POSTs the client must not repeat."""

    def choose(self, path: str, header: str | None = None) -> str | None:
        if header is None and path.lower().rstrip("/").endswith(V2_NOT_RETRY_SAFE):
            return None
        return super().choose(path, header)


@pytest.fixture
def faulty_emulator(emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    # In-process whatever the mode: the test swaps the emulator's FaultInjector and reads its store.
    with emulator_factory(mode="inprocess", lro_delay=0.2) as emu:
        emu.ctx.faults = V2RetrySafeFaults(rate=0.0, kinds=KINDS)  # off until the current API's part starts
        emu.ctx.faults.slow_seconds = SLOW_SECONDS
        yield emu


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _uploaded(emu: RunningEmulator, ws_prefix: str) -> dict[str, bytes]:
    """The code version's blobs as the emulator stores them: file name -> bytes (exactly one code version)."""
    versions = emu.ctx.store.list(CODES, ws_prefix)
    assert len(versions) == 1, f"{len(versions)} code versions"
    storage = BlobStorage(emu.ctx.store)
    found: dict[str, bytes] = {}
    for doc in emu.ctx.store.scan("blobstore.blobs"):
        name = str(doc["name"])
        if name.startswith("LocalUpload/") and "/project_v2/" in name:
            _doc, fh = storage.open(str(doc["account"]), str(doc["container"]), name)
            with fh:
                found[name.rsplit("/", 1)[1]] = fh.read()
    return found


def test_current_api_part_completes_under_faults(faulty_emulator: RunningEmulator, tmp_path: Path,
                                                 figures: Figures) -> None:
    emu = faulty_emulator
    sub = EMULATOR_ACCOUNT["subscription_id"]
    conn = service_principal("a faulty emulator", Cloud.emulator(emu.base_url), sub, EMULATOR_ACCOUNT["tenant_id"],
                             EMULATOR_ACCOUNT["client_id"], EMULATOR_ACCOUNT["client_secret"], http=_patient_http())
    ids = emulator_ids(sub, RG)
    settings = DemoSettings(azure=False, resource_group=RG, workspace=WS, location="eastus", experiment=EXP,
                            compute="cpu-compute", lro_delay=0.2, keep=False, storage_account=ids["storage_account"],
                            key_vault=ids["key_vault"], application_insights=ids["application_insights"],
                            container_registry=ids["container_registry"])
    v2 = CurrentApiSettings(upload_options=dict(UPLOAD), poll_first=0.1, poll_max=0.5)
    out, err = io.StringIO(), io.StringIO()
    walk = Walkthrough(settings, conn, out, err, parts=[lambda w: CurrentApiPart(w, v2)])
    names = [name for name, _ in walk.steps]
    first, last = names.index(STEPS[0]), names.index(STEPS[-1])
    counters_at: dict[str, dict[str, int]] = {}
    seen: dict[str, Any] = {}

    def faults_on(fn: Callable[[], None]) -> Callable[[], None]:
        def step() -> None:
            counters_at["start"] = dict(emu.ctx.counters)
            emu.ctx.faults.configure(rate=FAULT_RATE, kinds=KINDS, seed=FAULT_SEED)
            fn()
        return step

    def faults_off(fn: Callable[[], None]) -> Callable[[], None]:
        def step() -> None:
            fn()
            emu.ctx.faults.configure(rate=0.0, kinds=KINDS)
            counters_at["end"] = dict(emu.ctx.counters)
            prefix = f"{sub}/{RG}/{WS}/"
            seen["jobs"] = len(emu.ctx.store.list(JOBS, prefix))
            seen["blobs"] = _uploaded(emu, prefix)
        return step

    walk.steps[first] = (names[first], faults_on(walk.steps[first][1]))
    walk.steps[last] = (names[last], faults_off(walk.steps[last][1]))
    rc = walk.run()
    text = out.getvalue()
    part = text[text.find("-- the same story"):text.find("] delete the compute")]  # the current API's steps
    start, end = counters_at.get("start", {}), counters_at.get("end", {})
    faults = {k.split(":", 1)[1]: end.get(k, 0) - start.get(k, 0) for k in end if k.startswith("faults:")}
    report: dict[str, Any] = {
        "exit_status": rc, "steps": len(STEPS), "steps_ok": part.count("\n      ok ("),
        "requests": end.get("requests", 0) - start.get("requests", 0),
        "faults_injected": end.get("faults", 0) - start.get("faults", 0), "faults_by_kind": faults,
        "jobs_created_by_one_submission": seen.get("jobs"), "code_versions": 1 if "blobs" in seen else None,
        "blocks_of_1_kib": True, "fault_rate": FAULT_RATE, "fault_seed": FAULT_SEED}
    (tmp_path / "faults-walkthrough-v2.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    figures.set("faults_walkthrough_v2", report)
    figures.set("faults_v2_injected", report["faults_injected"])
    figures.set("faults_v2_survived", report["faults_injected"] if rc == 0 else 0)

    assert rc == 0, f"the current API's part failed under faults:\n{text[-3000:]}\n{err.getvalue()[-3000:]}"
    for number, name in enumerate(names, start=1):
        assert f"] {name}\n" in text, f"step {number} {name!r} not reported"
    assert text.count("\n      ok (") == len(names), "a step did not report ok"
    assert seen["jobs"] == 1, f"one submission left {seen['jobs']} jobs"
    blobs: dict[str, bytes] = seen["blobs"]
    assert sorted(blobs) == sorted(PROJECT_V2_FILES)
    for name in PROJECT_V2_FILES:
        local = (PROJECT_V2_DIR / name).read_bytes()
        assert _md5(blobs[name]) == _md5(local) and blobs[name] == local, f"{name} arrived changed"
        assert f"| code file {name}: {len(local)} bytes, md5 {_md5(local)}" in text  # what the job read
    assert "/project_v2/data.csv -> 201 (x" in text  # blocks, not one Put Blob
    assert report["faults_injected"] > 0 and all(faults.get(k, 0) > 0 for k in KINDS), faults
    block_faults = [line for line in text.splitlines()
                    if "/LocalUpload/" in line and ("-> 429" in line or "-> 503" in line or "Error" in line)]
    assert block_faults, "no fault landed on the code upload's blob requests"
    figures.set("faults_v2_on_blob_upload", len(block_faults))
