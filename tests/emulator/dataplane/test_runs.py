"""Run history and execution over real HTTP: the article's flow and the run lifecycle."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx

from .conftest import ARTICLE_DEFINITION, HELLO, E, P, definition, get_run, make_zip, start_run, wait_run

API = {"api-version": "2019-11-01"}


def _exp() -> str:
    return "exp-" + uuid.uuid4().hex[:8]


def test_article_flow(client: httpx.Client) -> None:
    exp = "my-first-experiment"
    listed = client.get(f"{P}/experiments", params=API)
    assert listed.status_code == 200
    assert set(listed.json()) >= {"value", "continuationToken"}
    resp = start_run(client, exp, ARTICLE_DEFINITION, make_zip({"hello.py": HELLO}))
    assert resp.status_code == 200, resp.text
    run_id = resp.json()["runId"]
    assert run_id.startswith(exp + "_") and run_id.split("_")[-1].isdigit()
    run = wait_run(client, exp, run_id)
    assert run["status"] == "Completed", run
    assert run["target"] == "cpu-compute" and run["scriptName"] == "hello.py"
    assert run["startTimeUtc"] and run["endTimeUtc"] and run["createdUtc"]
    assert run["runDefinition"]["Configuration"]["Script"] == "hello.py"
    assert run["error"] is None and isinstance(run["runNumber"], int)
    # the experiment now exists and is listed
    names = [e["name"] for e in client.get(f"{P}/experiments", params=API).json()["value"]]
    assert exp in names
    exp_doc = client.get(f"{P}/experiments/{exp}", params=API).json()
    assert exp_doc["experimentId"] == run["experimentId"]
    # the driver log, through the auth-free URL of RunDetails.logFiles
    details = client.get(f"{P}/experiments/{exp}/runs/{run_id}/details", params=API).json()
    url = details["logFiles"]["azureml-logs/70_driver_log.txt"]
    log = httpx.get(url)  # no Authorization header
    assert log.status_code == 200
    assert "Hello, REST!" in log.text and "args: ['234']" in log.text
    # a tampered signature is refused
    assert httpx.get(url[:-4] + "0000").status_code == 403
    assert httpx.get(url.split("?")[0]).status_code == 403


def test_camelcase_definition_outputs_and_artifacts(client: httpx.Client) -> None:
    exp = _exp()
    script = (
        "import os, sys\nos.makedirs('outputs/sub', exist_ok=True)\n"
        "open('outputs/model.txt','w').write('weights:' + sys.argv[1])\n"
        "open('outputs/sub/extra.bin','wb').write(bytes(range(256)))\n"
        "print('run id', os.environ['AZUREML_RUN_ID'])\n"
    )
    resp = start_run(client, exp, definition("src/train.py", args=["42"]), make_zip({"src/train.py": script}))
    assert resp.status_code == 200, resp.text
    run_id = resp.json()["runId"]
    run = wait_run(client, exp, run_id)
    assert run["status"] == "Completed", run
    arts = client.get(f"{P}/experiments/{exp}/runs/{run_id}/artifacts", params=API).json()
    paths = {a["path"] for a in arts["value"]}
    assert paths == {"azureml-logs/70_driver_log.txt", "outputs/model.txt", "outputs/sub/extra.bin"}
    content = client.get(
        f"{P}/experiments/{exp}/runs/{run_id}/artifacts/content", params={**API, "path": "outputs/model.txt"}
    )
    assert content.status_code == 200 and content.content == b"weights:42"
    assert content.headers["content-type"] == "application/octet-stream"
    info = client.get(
        f"{P}/experiments/{exp}/runs/{run_id}/artifacts/contentinfo", params={**API, "path": "outputs/sub/extra.bin"}
    ).json()
    assert info["path"] == "outputs/sub/extra.bin" and info["container"] == f"dcid.{run_id}"
    assert httpx.get(info["contentUri"]).content == bytes(range(256))
    log = client.get(
        f"{P}/experiments/{exp}/runs/{run_id}/artifacts/content",
        params={**API, "path": "azureml-logs/70_driver_log.txt"},
    )
    assert f"run id {run_id}" in log.text
    missing = client.get(
        f"{P}/experiments/{exp}/runs/{run_id}/artifacts/content", params={**API, "path": "outputs/none"}
    )
    assert missing.status_code == 404 and "error" in missing.json()


def test_failed_run_has_error(client: httpx.Client) -> None:
    exp = _exp()
    project = make_zip({"fail.py": "import sys\nprint('about to fail')\nsys.exit(3)\n"})
    run_id = start_run(client, exp, definition("fail.py"), project).json()["runId"]
    run = wait_run(client, exp, run_id)
    assert run["status"] == "Failed"
    assert run["error"]["error"]["code"] == "UserError"
    assert "exit code 3" in run["error"]["error"]["message"]


def test_exception_in_script_fails(client: httpx.Client) -> None:
    exp = _exp()
    project = make_zip({"boom.py": "raise RuntimeError('kaboom')\n"})
    run_id = start_run(client, exp, definition("boom.py", target="local"), project).json()["runId"]
    run = wait_run(client, exp, run_id)
    assert run["status"] == "Failed"
    details = client.get(f"{P}/experiments/{exp}/runs/{run_id}/details", params=API).json()
    log = httpx.get(details["logFiles"]["azureml-logs/70_driver_log.txt"]).text
    assert "RuntimeError: kaboom" in log


def test_max_run_duration_fails_the_run(client: httpx.Client) -> None:
    exp = _exp()
    project = make_zip({"slow.py": "import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n"})
    start = time.monotonic()
    run_id = start_run(client, exp, definition("slow.py", max_seconds=1), project).json()["runId"]
    run = wait_run(client, exp, run_id, timeout=30)
    assert time.monotonic() - start < 20
    assert run["status"] == "Failed"
    assert "MaxRunDurationSeconds" in run["error"]["error"]["message"]


def test_cancel_kills_the_process(client: httpx.Client) -> None:
    exp = _exp()
    project = make_zip({"slow.py": "import time\nprint('started', flush=True)\ntime.sleep(60)\n"})
    run_id = start_run(client, exp, definition("slow.py"), project).json()["runId"]
    wait_run(client, exp, run_id, {"Running"})
    resp = client.post(f"{E}/experiments/{exp}/runId/{run_id}/cancel", params=API)
    assert resp.status_code == 200 and resp.json() == {"runId": run_id}
    assert get_run(client, exp, run_id)["status"] in ("CancelRequested", "Canceled")
    run = wait_run(client, exp, run_id, timeout=10)
    assert run["status"] == "Canceled" and run["endTimeUtc"]
    # cancelling again is harmless; an unknown run is 404 in the history error shape
    assert client.post(f"{E}/experiments/{exp}/runId/{run_id}/cancel", params=API).status_code == 200
    missing = client.post(f"{E}/experiments/{exp}/runId/nope/cancel", params=API)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "RunNotFound"


def test_runs_queue_on_a_busy_compute(client: httpx.Client) -> None:
    exp = _exp()
    project = make_zip({"wait.py": "import time\ntime.sleep(2.5)\nprint('done')\n"})
    first = start_run(client, exp, definition("wait.py", target="one-node"), project).json()["runId"]
    wait_run(client, exp, first, {"Running"})
    second = start_run(client, exp, definition("wait.py", target="one-node"), project).json()["runId"]
    time.sleep(0.5)
    assert get_run(client, exp, first)["status"] == "Running"
    assert get_run(client, exp, second)["status"] == "Queued"
    assert wait_run(client, exp, first)["status"] == "Completed"
    assert wait_run(client, exp, second, {"Running", "Finalizing", "Completed"})["status"] != "Queued"
    assert wait_run(client, exp, second)["status"] == "Completed"


def test_duplicate_run_id_is_409(client: httpx.Client) -> None:
    exp = _exp()
    run_id = "fixed-" + uuid.uuid4().hex[:8]
    project = make_zip({"hello.py": HELLO})
    assert start_run(client, exp, ARTICLE_DEFINITION, project, run_id=run_id).json() == {"runId": run_id}
    again = start_run(client, exp, ARTICLE_DEFINITION, project, run_id=run_id)
    assert again.status_code == 409
    body = again.json()
    assert body["error"]["code"] == "RunIdAlreadyExists" and {"correlation", "time"} <= set(body)
    wait_run(client, exp, run_id)


def test_snapshotrun_reuses_the_project(client: httpx.Client) -> None:
    exp = _exp()
    first = start_run(client, exp, ARTICLE_DEFINITION, make_zip({"hello.py": HELLO})).json()["runId"]
    snapshot = wait_run(client, exp, first)["properties"]["ContentSnapshotId"]
    body = {"snapshotId": snapshot, **definition("hello.py", args=["again"], target="local")}
    resp = client.post(f"{E}/experiments/{exp}/snapshotrun", params=API, json=body)
    assert resp.status_code == 200, resp.text
    second = resp.json()["runId"]
    run = wait_run(client, exp, second)
    assert run["status"] == "Completed" and run["properties"]["ContentSnapshotId"] == snapshot
    details = client.get(f"{P}/experiments/{exp}/runs/{second}/details", params=API).json()
    assert "args: ['again']" in httpx.get(details["logFiles"]["azureml-logs/70_driver_log.txt"]).text
    unknown = client.post(
        f"{E}/experiments/{exp}/snapshotrun", params=API, json={**body, "snapshotId": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "SnapshotNotFound"
    no_id = client.post(f"{E}/experiments/{exp}/snapshotrun", params=API, json=definition("hello.py"))
    assert no_id.status_code == 400


def test_log_grows_while_running(client: httpx.Client, tmp_path: Path) -> None:
    # The script prints, then waits for a file the test creates once it has seen the first line and checked
    # the second is absent: no timing window, so a loaded machine cannot make it flaky.
    go = tmp_path / "go"
    script = (
        "import os, sys, time\nprint('first', flush=True)\n"
        "deadline = time.time() + 60\n"
        "while not os.path.exists(sys.argv[1]) and time.time() < deadline:\n    time.sleep(0.05)\n"
        "print('second', flush=True)\n"
    )
    doc = definition("t.py", target="local", args=[str(go)])
    run_id = start_run(client, exp := _exp(), doc, make_zip({"t.py": script})).json()["runId"]
    url = client.get(f"{P}/experiments/{exp}/runs/{run_id}/details", params=API).json()["logFiles"][
        "azureml-logs/70_driver_log.txt"
    ]
    deadline = time.monotonic() + 30
    while "first" not in httpx.get(url).text:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert get_run(client, exp, run_id)["status"] == "Running"
    assert "second" not in httpx.get(url).text
    go.touch()
    wait_run(client, exp, run_id)
    assert "second" in httpx.get(url).text


def test_run_patch_query_children_and_paging(client: httpx.Client) -> None:
    exp = _exp()
    parent = "parent-" + uuid.uuid4().hex[:6]
    created = client.patch(f"{P}/experiments/{exp}/runs/{parent}", params=API, json={"status": "Running"})
    assert created.status_code == 200, created.text
    assert created.json()["status"] == "Running" and created.json()["runId"] == parent
    for i in range(5):
        child = client.patch(
            f"{P}/experiments/{exp}/runs/{parent}-c{i}",
            params=API,
            json={"parentRunId": parent, "tags": {"i": str(i)}, "status": "Completed"},
        )
        assert child.status_code == 200
    updated = client.patch(f"{P}/experiments/{exp}/runs/{parent}", params=API, json={"tags": {"k": "v"}})
    assert updated.json()["tags"] == {"k": "v"} and updated.json()["revision"] > created.json()["revision"]
    children = client.get(f"{P}/experiments/{exp}/runs/{parent}/children", params={**API, "$top": "2"}).json()
    assert [c["runId"] for c in children["value"]] == [f"{parent}-c0", f"{parent}-c1"]
    assert children["continuationToken"] and children["nextLink"]
    rest = client.get(children["nextLink"]).json()
    assert [c["runId"] for c in rest["value"]] == [f"{parent}-c2", f"{parent}-c3"]
    # runs:query with filter, order and paging by continuationToken
    seen: list[str] = []
    token = None
    while True:
        body = {"filter": "status eq 'Completed'", "orderBy": "runId desc", "top": 2, "continuationToken": token}
        page = client.post(f"{P}/experiments/{exp}/runs:query", params=API, json=body).json()
        seen += [r["runId"] for r in page["value"]]
        token = page["continuationToken"]
        if not token:
            break
    assert seen == [f"{parent}-c{i}" for i in (4, 3, 2, 1, 0)]
    tagged = client.post(f"{P}/experiments/{exp}/runs:query", params=API, json={"filter": "tags/i eq '3'"}).json()
    assert [r["runId"] for r in tagged["value"]] == [f"{parent}-c3"]
    bad = client.post(f"{P}/experiments/{exp}/runs:query", params=API, json={"filter": "status like 'x'"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "InvalidFilter"
    bad_token = client.post(f"{P}/experiments/{exp}/runs:query", params=API, json={"continuationToken": "zz"})
    assert bad_token.status_code == 400


def test_experiments_create_query_and_paging(client: httpx.Client) -> None:
    prefix = "pg" + uuid.uuid4().hex[:6]
    for i in range(3):
        resp = client.post(f"{P}/experiments/{prefix}-{i}", params=API)
        assert resp.status_code == 200 and resp.json()["name"] == f"{prefix}-{i}"
    assert client.post(f"{P}/experiments/{prefix}-0", params=API).status_code == 200  # idempotent
    names: list[str] = []
    url: str | None = f"{P}/experiments?api-version=2019-11-01&$top=1"
    while url:
        page = client.get(url).json()
        names += [e["name"] for e in page["value"]]
        url = page["nextLink"]
    assert [n for n in names if n.startswith(prefix)] == [f"{prefix}-{i}" for i in range(3)]
    query = client.post(
        f"{P}/experiments:query", params=API, json={"filter": f"name eq '{prefix}-1'", "top": 10}
    ).json()
    assert [e["name"] for e in query["value"]] == [f"{prefix}-1"]
    missing = client.get(f"{P}/experiments/none-such", params=API)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "ExperimentNotFound"
    assert client.post(f"{P}/experiments/bad name!", params=API).status_code == 400


def test_unknown_workspace_is_404(client: httpx.Client) -> None:
    path = P.replace("dp-ws", "no-such-ws")
    resp = client.get(f"{path}/experiments", params=API)
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "WorkspaceNotFound"


def test_data_plane_needs_a_token(client: httpx.Client) -> None:
    resp = httpx.get(f"{client.base_url}{P}/experiments", params=API)
    assert resp.status_code == 401
