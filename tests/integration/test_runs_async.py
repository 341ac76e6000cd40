"""The async twin of test_runs.py: AsyncRunOperations over real HTTP against the emulator."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import ConflictError, OperationTimeoutError
from azureml_rest.runs import RunFailedError, run_status
from azureml_rest.snapshot import ScriptNotFoundError, SnapshotTooLargeError
from azureml_rest.workspace import AsyncWorkspace

from tests.integration.runs_support import (
    ARTICLE_DEFINITION,
    FAST,
    HELLO,
    LIST_FILES,
    RG,
    WS,
    DropFirstResponseProxy,
    first_draw_only_seed,
    project,
    set_faults,
    setup_workspace,
    startrun_path,
    stats,
)

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def emu(emulator_server: RunningEmulator) -> RunningEmulator:
    return emulator_server


@pytest.fixture(scope="module")
def prepared(emu: RunningEmulator) -> Iterator[None]:
    """The workspace and computes, created once through ARM (sync client; the async tests then use them)."""
    with AzureML.for_emulator(emu.base_url) as client:
        setup_workspace(client, {"cpu-compute": 4, "one-node": 1})
    yield


@pytest.fixture
async def aml(emu: RunningEmulator, prepared: None) -> AsyncIterator[AsyncAzureML]:
    # per test: async httpx clients belong to the event loop of the test that made them
    async with AsyncAzureML.for_emulator(emu.base_url) as client:
        yield client


@pytest.fixture
def ws(aml: AsyncAzureML) -> AsyncWorkspace:
    return aml.workspace(RG, WS)


async def test_article_flow(ws: AsyncWorkspace, tmp_path: Path) -> None:
    src = project(tmp_path / "src", {"hello.py": HELLO})
    definition = tmp_path / "definition.json"
    definition.write_text(json.dumps(ARTICLE_DEFINITION))
    progress: list[int] = []
    run_id = await ws.v1.runs.submit("async-article", src, definition=definition,
                                  on_progress=lambda sent, total: progress.append(sent))  # fmt: skip
    assert progress
    log = io.StringIO()
    statuses: list[str] = []
    run = await ws.v1.runs.wait("async-article", run_id, log_sink=log, on_status=lambda s, t: statuses.append(s),
                                **FAST)
    assert run_status(run) == "Completed" and statuses[-1] == "Completed"
    assert "Hello, REST!" in log.getvalue() and "args: ['234']" in log.getvalue()
    got = (await ws.v1.runs.get("async-article", run_id)).run_definition
    assert got is not None and got.to_dict() == ARTICLE_DEFINITION
    assert [r.run_id async for r in ws.v1.runs.list("async-article")] == [run_id]


async def test_typed_definition_and_artifacts(ws: AsyncWorkspace, tmp_path: Path) -> None:
    src = project(tmp_path / "p", {"list.py": LIST_FILES, ".gitignore": "*.tmp\n", "junk.tmp": "x"})
    run_id = await ws.v1.runs.submit("async-typed", src, script="list.py", target="cpu-compute", arguments=["a"])
    run = await ws.v1.runs.wait("async-typed", run_id, **FAST)
    assert run.run_definition is not None
    assert run.run_definition.to_dict()["configuration"]["arguments"] == ["a"]
    listed = await ws.v1.runs.download("async-typed", run_id, "outputs/files.json")
    assert json.loads(listed) == [".gitignore", "list.py"]
    saved = await ws.v1.runs.download("async-typed", run_id, "outputs/files.json", tmp_path / "copy.json")
    assert json.loads(saved.read_text()) == [".gitignore", "list.py"]
    assert "outputs/files.json" in {a.path async for a in ws.v1.runs.artifacts("async-typed", run_id)}
    assert await ws.v1.runs.children("async-typed", run_id).to_list() == []


async def test_failing_script(ws: AsyncWorkspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"fail.py": "raise SystemExit(2)\n"})
    run_id = await ws.v1.runs.submit("async-fail", src, script="fail.py", target="cpu-compute")
    with pytest.raises(RunFailedError) as info:
        await ws.v1.runs.wait("async-fail", run_id, **FAST)
    assert info.value.error_code == "UserError" and "exit code 2" in (info.value.message or "")
    assert run_status(await ws.v1.runs.wait("async-fail", run_id, raise_on_failure=False, **FAST)) == "Failed"


async def test_timeout_counts_from_leaving_the_queue(ws: AsyncWorkspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"sleep.py": "import sys, time\ntime.sleep(float(sys.argv[1]))\n"})
    first = await ws.v1.runs.submit("async-queue", src, script="sleep.py", target="one-node", arguments=["4"])
    second = await ws.v1.runs.submit("async-queue", src, script="sleep.py", target="one-node", arguments=["0.5"])
    began = time.monotonic()
    statuses: list[str] = []
    run = await ws.v1.runs.wait("async-queue", second, timeout=3, on_status=lambda s, t: statuses.append(s), **FAST)
    assert run_status(run) == "Completed" and "Queued" in statuses and time.monotonic() - began > 3
    slow = await ws.v1.runs.submit("async-queue", src, script="sleep.py", target="cpu-compute", arguments=["30"])
    with pytest.raises(OperationTimeoutError) as info:
        await ws.v1.runs.wait("async-queue", slow, timeout=1.5, **FAST)
    assert info.value.last_status == "Running" and slow in str(info.value)
    await ws.v1.runs.cancel("async-queue", slow)
    assert run_status(await ws.v1.runs.wait("async-queue", first, **FAST)) == "Completed"


async def test_cancel(ws: AsyncWorkspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"sleep.py": "import time\ntime.sleep(60)\n"})
    run_id = await ws.v1.runs.submit("async-cancel", src, script="sleep.py", target="cpu-compute")
    seen: list[str] = []

    def on_status(status: str, elapsed: float) -> None:
        seen.append(status)

    with pytest.raises(OperationTimeoutError):  # wait until it runs (a short timeout once running)
        await ws.v1.runs.wait("async-cancel", run_id, timeout=0.2, on_status=on_status, **FAST)
    assert seen[-1] == "Running"
    assert await ws.v1.runs.cancel("async-cancel", run_id) == run_id
    with pytest.raises(RunFailedError) as info:
        await ws.v1.runs.wait("async-cancel", run_id, **FAST)
    assert info.value.status == "Canceled"


async def test_limits_and_missing_script_refused_before_upload(
    ws: AsyncWorkspace, emu: RunningEmulator, tmp_path: Path
) -> None:
    before = stats(emu)
    src = project(tmp_path, {"train.py": "", **{f"f{i}.txt": "" for i in range(2000)}})
    with pytest.raises(SnapshotTooLargeError, match="2001 files, over the limit of 2000"):
        await ws.v1.runs.submit("async-limits", src, script="train.py", target="cpu-compute")
    with pytest.raises(ScriptNotFoundError):
        await ws.v1.runs.submit("async-limits", src, script="nope.py", target="cpu-compute")
    assert stats(emu).get("execution", 0) == before.get("execution", 0)


async def test_hostile_bytes_delivered_byte_exact(ws: AsyncWorkspace, tmp_path: Path) -> None:
    payload = os.urandom(50_000) + b"\r\n--+++\r\nContent-Disposition: form-data\r\n\r\n--+++--" + os.urandom(50_000)
    src = project(tmp_path, {
        "hash.py": "import hashlib\nprint('SHA', hashlib.sha256(open('blob.bin', 'rb').read()).hexdigest())\n",
        "blob.bin": payload,
    })  # fmt: skip
    run_id = await ws.v1.runs.submit("async-bytes", src, script="hash.py", target="cpu-compute")
    log: list[str] = []
    await ws.v1.runs.wait("async-bytes", run_id, log_sink=log.append, **FAST)
    assert f"SHA {hashlib.sha256(payload).hexdigest()}" in "".join(log)


async def test_dropped_startrun_is_retried(ws: AsyncWorkspace, emu: RunningEmulator, tmp_path: Path) -> None:
    src = project(tmp_path, {"hello.py": HELLO})
    before = stats(emu).get("faults:drop", 0)
    set_faults(emu, rate=0.5, kinds=["drop"], seed=first_draw_only_seed(), paths=[startrun_path(ws, "async-drop")])
    try:
        run_id = await ws.v1.runs.submit("async-drop", src, script="hello.py", target="cpu-compute")
    finally:
        set_faults(emu, rate=0.0)
    assert stats(emu).get("faults:drop", 0) == before + 1
    assert [r.run_id async for r in ws.v1.runs.list("async-drop")] == [run_id]


async def test_lost_response_then_409_reads_the_run_back(aml: AsyncAzureML, ws: AsyncWorkspace, tmp_path: Path) -> None:
    proxy = DropFirstResponseProxy((await ws.discovery())["api"])
    try:
        via_proxy = aml.workspace(RG, WS, endpoints={"api": proxy.url})
        src = project(tmp_path, {"hello.py": HELLO})
        run_id = await via_proxy.v1.runs.submit("async-409", src, script="hello.py", target="cpu-compute")
    finally:
        proxy.close()
    assert proxy.dropped == 1
    assert [r.run_id async for r in ws.v1.runs.list("async-409")] == [run_id]
    # a duplicate on a first attempt is a real conflict, not swallowed
    with pytest.raises(ConflictError):
        await ws.v1.runs.submit("async-409", src, script="hello.py", target="cpu-compute", run_id=run_id)
    assert run_status(await ws.v1.runs.wait("async-409", run_id, **FAST)) == "Completed"
