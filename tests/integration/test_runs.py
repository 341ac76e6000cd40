"""Run submission and monitoring over real HTTP against the emulator (sync; async twins in test_runs_async.py).

The article's flow (hello.py + its PascalCase definition.json on cpu-compute, created through ARM first), a
definition from typed arguments, failures, the timeout that ignores queueing, cancel, ignore files, limits
refused before upload, byte-exact upload of hostile bytes, retry safety of startrun, token expiry mid-wait.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML
from azureml_rest.clouds import Cloud
from azureml_rest.credentials import ServicePrincipalCredential
from azureml_rest.errors import OperationTimeoutError
from azureml_rest.runs import RunFailedError, run_status
from azureml_rest.snapshot import SnapshotTooLargeError
from azureml_rest.workspace import Workspace

from tests.emulator_fixture import EmulatorFactory
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


@pytest.fixture(scope="module")
def emu(emulator_server: RunningEmulator) -> RunningEmulator:
    """The session's emulator (tests/integration/conftest.py)."""
    return emulator_server


@pytest.fixture(scope="module")
def runs_ml(emu: RunningEmulator) -> Iterator[AzureML]:
    with AzureML.for_emulator(emu.base_url) as client:
        yield client


@pytest.fixture(scope="module")
def ws(runs_ml: AzureML) -> Workspace:
    return setup_workspace(runs_ml, {"cpu-compute": 4, "one-node": 1})


# --- the article's flow ---------------------------------------------------------------------------------------


def test_article_flow_pascalcase_definition_with_streamed_log(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path / "src", {"hello.py": HELLO})
    definition = tmp_path / "definition.json"
    definition.write_text(json.dumps(ARTICLE_DEFINITION, indent=4))
    progress: list[tuple[int, int]] = []

    run_id = ws.v1.runs.submit("my-first-experiment", src, definition=definition,
                            on_progress=lambda sent, total: progress.append((sent, total)))  # fmt: skip

    assert re.fullmatch(r"my-first-experiment_\d{13}_[0-9a-f]{8}", run_id)
    assert progress and progress[-1][0] == progress[-1][1] > 0
    log = io.StringIO()
    statuses: list[tuple[str, float]] = []
    run = ws.v1.runs.wait("my-first-experiment", run_id, log_sink=log,
                       on_status=lambda s, t: statuses.append((s, t)), **FAST)  # fmt: skip
    assert run_status(run) == "Completed"
    assert "Hello, REST!" in log.getvalue() and "args: ['234']" in log.getvalue()
    assert statuses[-1][0] == "Completed" and [t for _, t in statuses] == sorted(t for _, t in statuses)
    assert len({s for s, _ in statuses}) == len(statuses)  # called on changes only
    # the definition went up as the user wrote it (PascalCase kept)
    sent = ws.v1.runs.get("my-first-experiment", run_id).run_definition
    assert sent is not None and sent.to_dict() == ARTICLE_DEFINITION
    assert ws.v1.runs.details("my-first-experiment", run_id).target == "cpu-compute"
    again = io.StringIO()  # the log of a finished run, read again from the start
    ws.v1.runs.stream_logs("my-first-experiment", run_id, again, **FAST)
    assert again.getvalue() == log.getvalue()
    assert [r.run_id for r in ws.v1.runs.list("my-first-experiment")] == [run_id]


def test_typed_arguments_give_a_camelcase_definition(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"src/train.py": 'import sys\nprint("train", *sys.argv[1:])\n'})
    run_id = ws.v1.runs.submit("typed", src, script="src/train.py", target="cpu-compute", arguments=["--n", 3],
                            max_run_duration=60)  # fmt: skip
    log: list[str] = []
    ws.v1.runs.wait("typed", run_id, log_sink=log.append, **FAST)
    assert "train --n 3" in "".join(log)
    sent = ws.v1.runs.get("typed", run_id).run_definition
    assert sent is not None
    conf = sent.to_dict()["configuration"]
    assert conf["script"] == "src/train.py" and conf["target"] == "cpu-compute"
    assert conf["arguments"] == ["--n", "3"] and conf["maxRunDurationSeconds"] == 60
    assert conf["environment"]["python"]["interpreterPath"] == "python"


def test_typed_arguments_override_the_users_definition(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"hello.py": HELLO, "other.py": 'import sys\nprint("OTHER", sys.argv[1:])\n'})
    run_id = ws.v1.runs.submit("override", src, definition=ARTICLE_DEFINITION, script="other.py", arguments=["x"])
    log = io.StringIO()
    ws.v1.runs.wait("override", run_id, log_sink=log, **FAST)
    assert "OTHER ['x']" in log.getvalue()
    sent = ws.v1.runs.get("override", run_id).run_definition
    assert sent is not None and sent.to_dict()["Configuration"]["Script"] == "other.py"


# --- failure, timeout, cancel --------------------------------------------------------------------------------


def test_failing_script_raises_run_failed_with_the_services_error(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"fail.py": 'import sys\nprint("about to fail", file=sys.stderr)\nsys.exit(3)\n'})
    run_id = ws.v1.runs.submit("failing", src, script="fail.py", target="cpu-compute")
    log = io.StringIO()
    with pytest.raises(RunFailedError) as info:
        ws.v1.runs.wait("failing", run_id, log_sink=log, **FAST)
    err = info.value
    assert err.status == "Failed" and err.run_id == run_id and err.error_code == "UserError"
    assert err.message is not None and "exit code 3" in err.message
    assert run_id in str(err) and "exit code 3" in str(err)
    assert "about to fail" in log.getvalue()  # the log is finished even when the run fails
    run = ws.v1.runs.wait("failing", run_id, raise_on_failure=False, **FAST)
    assert run_status(run) == "Failed"


def test_timeout_counts_from_leaving_the_queue(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"sleep.py": "import sys, time\ntime.sleep(float(sys.argv[1]))\nprint('slept')\n"})
    first = ws.v1.runs.submit("queue", src, script="sleep.py", target="one-node", arguments=["4"])
    second = ws.v1.runs.submit("queue", src, script="sleep.py", target="one-node", arguments=["0.5"])
    statuses: list[str] = []
    began = time.monotonic()
    # second waits ~4 s for the only node, then runs ~1 s: a 3 s timeout counted from submission would fire
    run = ws.v1.runs.wait("queue", second, timeout=3, on_status=lambda s, t: statuses.append(s), **FAST)
    assert run_status(run) == "Completed"
    assert "Queued" in statuses and time.monotonic() - began > 3
    # a run that really runs too long: the timeout names the run and its last status
    slow = ws.v1.runs.submit("queue", src, script="sleep.py", target="cpu-compute", arguments=["30"])
    with pytest.raises(OperationTimeoutError) as info:
        ws.v1.runs.wait("queue", slow, timeout=1.5, **FAST)
    assert info.value.last_status == "Running" and slow in str(info.value) and "Running" in str(info.value)
    ws.v1.runs.cancel("queue", slow)
    assert run_status(ws.v1.runs.wait("queue", first, **FAST)) == "Completed"


def test_cancel(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {"sleep.py": "import time\nprint('started', flush=True)\ntime.sleep(60)\n"})
    run_id = ws.v1.runs.submit("cancel", src, script="sleep.py", target="cpu-compute")
    deadline = time.monotonic() + 30
    while run_status(ws.v1.runs.get("cancel", run_id)) != "Running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert ws.v1.runs.cancel("cancel", run_id) == run_id
    with pytest.raises(RunFailedError) as info:
        ws.v1.runs.wait("cancel", run_id, **FAST)
    assert info.value.status == "Canceled"
    assert run_status(ws.v1.runs.wait("cancel", run_id, raise_on_failure=False, **FAST)) == "Canceled"


# --- what is uploaded ---------------------------------------------------------------------------------------


def test_amlignore_honoured_and_artifacts_downloaded(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path / "p", {
        "list.py": LIST_FILES,
        ".amlignore": "data/\n*.secret\n!keep.secret\n",
        ".gitignore": "*.py\n",  # replaced by .amlignore: list.py is uploaded
        "data/big.csv": "1,2,3",
        "pw.secret": "x",
        "keep.secret": "y",
        "lib/util.py": "",
        ".git/config": "[core]",
    })  # fmt: skip
    run_id = ws.v1.runs.submit("ignore", src, script="list.py", target="cpu-compute")
    ws.v1.runs.wait("ignore", run_id, **FAST)
    expected = [".amlignore", ".gitignore", "keep.secret", "lib/util.py", "list.py"]
    assert json.loads(ws.v1.runs.download("ignore", run_id, "outputs/files.json")) == expected
    saved = ws.v1.runs.download("ignore", run_id, "outputs/files.json", tmp_path)
    assert saved == tmp_path / "files.json" and json.loads(saved.read_text()) == expected
    paths = {a.path for a in ws.v1.runs.artifacts("ignore", run_id)}
    assert {"outputs/files.json", "azureml-logs/70_driver_log.txt"} <= paths


def test_gitignore_honoured_without_amlignore(ws: Workspace, tmp_path: Path) -> None:
    src = project(tmp_path, {
        "list.py": LIST_FILES, ".gitignore": "/build/\n__pycache__/\n", "build/x.o": "o",
        "pkg/__pycache__/m.pyc": "c", "pkg/build/kept.txt": "anchored rule: only the top build/",
    })  # fmt: skip
    run_id = ws.v1.runs.submit("ignore", src, script="list.py", target="cpu-compute")
    log = io.StringIO()
    ws.v1.runs.wait("ignore", run_id, log_sink=log, **FAST)
    assert 'FILES [".gitignore", "list.py", "pkg/build/kept.txt"]' in log.getvalue()


def test_limits_refused_before_upload(ws: Workspace, emu: RunningEmulator, tmp_path: Path) -> None:
    src = project(tmp_path, {"train.py": "", **{f"d{i % 7}/f{i}.txt": "" for i in range(2001)}})
    before = stats(emu)
    with pytest.raises(SnapshotTooLargeError) as info:
        ws.v1.runs.submit("limits", src, script="train.py", target="cpu-compute")
    assert "2002 files, over the limit of 2000" in str(info.value) and "Nothing was uploaded" in str(info.value)
    big = project(tmp_path / "big", {"train.py": "", "model.bin": b"\x00" * 4096})
    with pytest.raises(SnapshotTooLargeError) as info:
        ws.v1.runs.submit("limits", big, script="train.py", target="cpu-compute", max_snapshot_bytes=4000)
    assert "model.bin" in str(info.value) and "4000 bytes" in str(info.value)
    after = stats(emu)
    # not a single request went out: only the stats call itself was counted
    assert after.get("execution", 0) == before.get("execution", 0)
    assert after["requests"] == before["requests"] + 1


def test_missing_script_refused_before_upload(ws: Workspace, tmp_path: Path) -> None:
    from azureml_rest.snapshot import ScriptNotFoundError

    src = project(tmp_path, {"other.py": ""})
    with pytest.raises(ScriptNotFoundError, match=r"'hello\.py' is not in the project folder"):
        ws.v1.runs.submit("missing", src, definition=ARTICLE_DEFINITION)


def test_hostile_bytes_delivered_byte_exact(ws: Workspace, tmp_path: Path) -> None:
    # (the fixed boundary: generator/templates/endpoint_module.py.jinja)
    # Bytes that would cut a multipart body sent with the generator's fixed boundary "+++"
    payload = b"--+++\r\n" + os.urandom(200_000) + b"\r\n--+++--\r\n" + os.urandom(5000) + b"--+++"
    src = project(tmp_path, {
        "hash.py": "import hashlib\nprint('SHA', hashlib.sha256(open('blob.bin', 'rb').read()).hexdigest())\n",
        "blob.bin": payload,
    })  # fmt: skip
    run_id = ws.v1.runs.submit("bytes", src, script="hash.py", target="cpu-compute")
    log = io.StringIO()
    ws.v1.runs.wait("bytes", run_id, log_sink=log, **FAST)
    assert f"SHA {hashlib.sha256(payload).hexdigest()}" in log.getvalue()


# --- retry safety ---------------------------------------------------------------------------------------------


def test_dropped_startrun_is_retried_and_starts_one_run(ws: Workspace, emu: RunningEmulator, tmp_path: Path) -> None:
    src = project(tmp_path, {"hello.py": HELLO})
    before = stats(emu).get("faults:drop", 0)
    set_faults(emu, rate=0.5, kinds=["drop"], seed=first_draw_only_seed(), paths=[startrun_path(ws, "retry-drop")])
    try:
        run_id = ws.v1.runs.submit("retry-drop", src, script="hello.py", target="cpu-compute")
    finally:
        set_faults(emu, rate=0.0)
    assert stats(emu).get("faults:drop", 0) == before + 1
    assert [r.run_id for r in ws.v1.runs.list("retry-drop")] == [run_id]
    assert run_status(ws.v1.runs.wait("retry-drop", run_id, **FAST)) == "Completed"


def test_lost_startrun_response_then_409_reads_the_run_back(runs_ml: AzureML, ws: Workspace, tmp_path: Path) -> None:
    api = ws.discovery()["api"]
    proxy = DropFirstResponseProxy(api)
    try:
        via_proxy = runs_ml.workspace(RG, WS, endpoints={"api": proxy.url})
        src = project(tmp_path, {"hello.py": HELLO})
        attempts: list[int] = []
        run_id = via_proxy.v1.runs.submit("retry-409", src, script="hello.py", target="cpu-compute",
                                       on_progress=lambda sent, total: attempts.append(sent))  # fmt: skip
    finally:
        proxy.close()
    assert proxy.dropped == 1  # the first answer was lost after the run had started
    assert attempts.count(attempts[-1]) >= 2  # the project went up twice
    runs = list(ws.v1.runs.list("retry-409"))
    assert [r.run_id for r in runs] == [run_id]
    assert run_status(ws.v1.runs.wait("retry-409", run_id, **FAST)) == "Completed"


def test_conflict_on_a_first_attempt_is_not_swallowed(ws: Workspace, tmp_path: Path) -> None:
    from azureml_rest.errors import ConflictError

    src = project(tmp_path, {"hello.py": HELLO})
    run_id = ws.v1.runs.submit("dup", src, script="hello.py", target="cpu-compute")
    with pytest.raises(ConflictError) as info:
        ws.v1.runs.submit("dup", src, script="hello.py", target="cpu-compute", run_id=run_id)
    assert info.value.error_code == "RunIdAlreadyExists"


# --- token expiry during a long wait ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_token_emu(session_emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    with session_emulator_factory(lro_delay=0.1, token_lifetime=2) as running:  # stopped at the module's end
        yield running


def test_wait_survives_token_expiry(short_token_emu: RunningEmulator, tmp_path: Path) -> None:
    emu = short_token_emu
    cfg = emu.config
    cloud = Cloud.emulator(emu.base_url)
    # refresh_window=0: the token is used until the service says it expired, so expiry really happens mid-wait
    cred = ServicePrincipalCredential(cfg.tenant_id, cfg.client_id, cfg.client_secret, cloud=cloud, refresh_window=0)
    with AzureML(cred, cfg.subscription_id, cloud=cloud) as client:
        ws = setup_workspace(client, {"cpu-compute": 1})
        src = project(tmp_path, {"sleep.py": "import time\nfor i in range(5):\n    print('tick', i, flush=True)\n"
                                             "    time.sleep(1)\n"})  # fmt: skip
        run_id = ws.v1.runs.submit("tokens", src, script="sleep.py", target="cpu-compute")
        tokens_before = stats(emu).get("token", 0)
        log = io.StringIO()
        run = ws.v1.runs.wait("tokens", run_id, log_sink=log, poll_interval=0.3, max_poll_interval=0.6)
    assert run_status(run) == "Completed" and "tick 4" in log.getvalue()
    assert stats(emu).get("token", 0) - tokens_before >= 2  # new tokens were fetched during the wait
