"""Every command against the emulator over real HTTP, through ``main([...])``: JSON parses and has the fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from azureml_rest.cli import main

from demo import PROJECT_DIR
from tests.cli.conftest import COMPUTE, RG, WS, invoke, json_of

EXPERIMENT = "cli-exp"


def _project(tmp: Path) -> Path:
    """The demo's article project (hello.py, definition.json, score.py), copied from demo/project."""
    src = PROJECT_DIR
    folder = tmp / "project"
    folder.mkdir()
    for name in ("hello.py", "definition.json", "score.py"):
        folder.joinpath(name).write_bytes(src.joinpath(name).read_bytes())
    return folder


@pytest.fixture(scope="session")
def article_run(ws_args: list[str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The article's hello.py run, completed; its outputs hold model.json and score.py."""
    folder = _project(tmp_path_factory.mktemp("article"))
    code, out, err = invoke(*ws_args, "run", "submit", str(folder), "--experiment", EXPERIMENT, "--script",
                            "hello.py", "--target", COMPUTE, "--definition", str(folder / "definition.json"), "--wait")
    assert code == 0, err
    run = json.loads(out)
    assert run["status"] == "Completed"
    return str(run["runId"])


def test_token_metadata_without_the_token(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json_of(capsys, "--endpoint", url, "token")
    assert doc["audience"].rstrip("/") == "https://management.azure.com"  # the token's aud claim
    assert doc["expiresOn"] > 0 and doc["expiresOnUtc"].endswith("+00:00")
    assert doc["tenant"] == "00000000-0000-4000-8000-00000000e001"
    assert "accessToken" not in doc
    shown = json_of(capsys, "--endpoint", url, "token", "--show-secret")
    assert isinstance(shown["accessToken"], str) and len(shown["accessToken"]) > 20


def test_groups(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    created = json_of(capsys, "--endpoint", url, "group", "create", "cli-tmp", "-l", "westus2", "--tag", "a=b")
    assert created["name"] == "cli-tmp" and created["tags"] == {"a": "b"}
    names = [g["name"] for g in json_of(capsys, "--endpoint", url, "group", "list")]
    assert "cli-tmp" in names
    assert json_of(capsys, "--endpoint", url, "group", "show", "cli-tmp")["location"] == "westus2"
    assert main(["--endpoint", url, "-o", "table", "group", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Name", "Location", "State"]
    assert any(line.split()[:2] == ["cli-tmp", "westus2"] for line in table[2:])
    assert main(["--endpoint", url, "group", "delete", "cli-tmp"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "delete group cli-tmp:" in captured.err  # progress on stderr only
    assert main(["--endpoint", url, "group", "show", "cli-tmp"]) == 4


def test_workspace_and_discovery(ws_args: list[str], url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ws = json_of(capsys, *ws_args, "workspace", "show")
    assert ws["name"] == WS and ws["properties"]["provisioningState"] == "Succeeded"
    assert ws["properties"]["discoveryUrl"] == f"{url}/discovery"
    listed = json_of(capsys, "--endpoint", url, "workspace", "list", "-g", RG)
    assert [w["name"] for w in listed] == [WS]
    assert main(["--endpoint", url, "-o", "tsv", "workspace", "list"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [WS, "eastus", RG, "Succeeded", f"{url}/discovery"] in rows
    endpoints = json_of(capsys, *ws_args, "discovery")
    assert endpoints["api"] == url


def test_workspace_create_and_delete(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    sub = "00000000-0000-4000-8000-0000000005b5"
    ids = f"/subscriptions/{sub}/resourceGroups/{RG}/providers"
    base = ["--endpoint", url, "-g", RG]
    created = json_of(capsys, *base, "workspace", "create", "-n", "cli-ws2", "-l", "eastus", "--friendly-name", "two",
                    "--storage-account", f"{ids}/Microsoft.Storage/storageAccounts/s2",
                    "--key-vault", f"{ids}/Microsoft.KeyVault/vaults/k2",
                    "--application-insights", f"{ids}/Microsoft.Insights/components/a2")
    assert created["properties"]["friendlyName"] == "two"
    assert main([*base, "workspace", "delete", "-n", "cli-ws2"]) == 0
    capsys.readouterr()
    assert main([*base, "workspace", "show", "-n", "cli-ws2"]) == 4


def test_workspace_create_names_missing_dependents(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "-g", RG, "workspace", "create", "-n", "x1", "-l", "eastus"]) == 2
    assert "missing --storage-account, --key-vault, --application-insights" in capsys.readouterr().err


def test_computes(ws_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    names = [c["name"] for c in json_of(capsys, *ws_args, "compute", "list")]
    assert COMPUTE in names
    shown = json_of(capsys, *ws_args, "compute", "show", COMPUTE)
    assert shown["properties"]["computeType"] == "AmlCompute"
    assert shown["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 2
    made = json_of(capsys, *ws_args, "compute", "create", "tmp-compute", "--vm-size", "STANDARD_D2_V2")
    assert made["properties"]["provisioningState"] == "Succeeded"
    assert main([*ws_args, "-o", "table", "compute", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Name", "Type", "State", "VmSize", "MaxNodes", "Location"]
    assert any(r.split()[:4] == ["tmp-compute", "AmlCompute", "Succeeded", "STANDARD_D2_V2"] for r in table)
    assert main([*ws_args, "compute", "delete", "tmp-compute"]) == 0
    assert main([*ws_args, "compute", "show", "tmp-compute"]) == 4


def test_run_submit_wait_stream(ws_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _project(tmp_path)
    code = main([*ws_args, "run", "submit", str(folder), "-e", EXPERIMENT, "--script", "hello.py",
                 "--target", COMPUTE, "--definition", str(folder / "definition.json"), "--stream"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    run = json.loads(captured.out)  # stdout is only the JSON of the run
    assert run["status"] == "Completed" and run["runId"].startswith(EXPERIMENT)
    assert "upload:" in captured.err and "run: Completed" in captured.err
    assert "Hello, REST!" in captured.err and "arguments: ['234']" in captured.err  # definition's Arguments
    run_id = run["runId"]
    assert json_of(capsys, *ws_args, "run", "show", "-e", EXPERIMENT, run_id)["status"] == "Completed"
    assert run_id in [r["runId"] for r in json_of(capsys, *ws_args, "run", "list", "-e", EXPERIMENT)]
    assert main([*ws_args, "run", "logs", "-e", EXPERIMENT, run_id]) == 0
    assert "Hello, REST!" in capsys.readouterr().out
    assert json_of(capsys, *ws_args, "run", "wait", "-e", EXPERIMENT, run_id)["status"] == "Completed"
    experiments = [e["name"] for e in json_of(capsys, *ws_args, "experiment", "list")]
    assert EXPERIMENT in experiments
    assert main([*ws_args, "-o", "table", "experiment", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Name", "Id", "Created", "LatestRun"]
    assert any(r.split()[0] == EXPERIMENT and r.split()[-1].startswith(EXPERIMENT + "_") for r in table[2:])


def test_run_submit_without_wait_and_cancel(ws_args: list[str], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sleep.py").write_text("import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n")
    started = json_of(capsys, *ws_args, "run", "submit", str(tmp_path), "-e", EXPERIMENT, "--script", "sleep.py",
                    "--target", "local")
    assert set(started) == {"runId", "experiment"}
    cancelled = json_of(capsys, *ws_args, "run", "cancel", "-e", EXPERIMENT, started["runId"])
    assert cancelled == {"runId": started["runId"], "cancelRequested": True}
    assert main([*ws_args, "run", "wait", "-e", EXPERIMENT, started["runId"]]) == 5
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: run ") and "Canceled" in err[-1]


def test_models(ws_args: list[str], article_run: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"aml://artifact/ExperimentRun/dcid.{article_run}/outputs/model.json"
    by_url = json_of(capsys, *ws_args, "v1", "model", "register", "-n", "cli-model", "--url", url, "--tag", "k=v")
    assert by_url["name"] == "cli-model" and by_url["url"] == url
    from_run = json_of(capsys, *ws_args, "v1", "model", "register", "-n", "cli-model", "--run-id", article_run,
                     "-e", EXPERIMENT, "--path", "outputs/model.json")
    assert from_run["version"] == by_url["version"] + 1
    ids = {m["id"] for m in json_of(capsys, *ws_args, "v1", "model", "list", "--name", "cli-model")}
    assert {by_url["id"], from_run["id"]} <= ids
    assert json_of(capsys, *ws_args, "v1", "model", "show", by_url["id"])["kvTags"] == {"k": "v"}
    assert json_of(capsys, *ws_args, "v1", "model", "delete", from_run["id"]) == {"id": from_run["id"], "deleted": True}
    assert main([*ws_args, "v1", "model", "show", from_run["id"]]) == 4
    assert main([*ws_args, "v1", "model", "register", "-n", "x"]) == 2


def test_services_keys_score_rotate(ws_args: list[str], article_run: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    model = json_of(capsys, *ws_args, "v1", "model", "register", "-n", "svc-model", "--url",
                  f"aml://artifact/ExperimentRun/dcid.{article_run}/outputs/model.json")
    svc = json_of(capsys, *ws_args, "service", "create", "-n", "cli-svc", "--model", model["id"],
                "--driver-program", "score.py",
                "--asset", f"aml://artifact/ExperimentRun/dcid.{article_run}/outputs/score.py")
    assert svc["state"] == "Healthy" and svc["scoringUri"].endswith("/score")
    assert "cli-svc" in [s["name"] for s in json_of(capsys, *ws_args, "service", "list")]
    assert json_of(capsys, *ws_args, "service", "show", "cli-svc")["state"] == "Healthy"
    keys = json_of(capsys, *ws_args, "service", "keys", "cli-svc")
    assert keys["primaryKey"] and keys["secondaryKey"]

    data = '{"data": [[1, 2, 3, 4]]}'
    assert json_of(capsys, *ws_args, "score", "--service", "cli-svc", "--data", data) == [6.5]
    request = tmp_path / "request.json"
    request.write_text('{"data": [[0, 0, 0, 0]]}')
    assert json_of(capsys, "--endpoint", ws_args[1], "score", "--scoring-uri", svc["scoringUri"], "--key",
                 keys["primaryKey"], "--data", f"@{request}") == [1.0]

    rotated = json_of(capsys, *ws_args, "service", "regenerate-key", "cli-svc", "--key", "Primary")
    assert rotated["primaryKey"] != keys["primaryKey"] and rotated["secondaryKey"] == keys["secondaryKey"]
    assert main(["--endpoint", ws_args[1], "score", "--scoring-uri", svc["scoringUri"], "--key",
                 keys["primaryKey"], "--data", data]) == 3  # the old key is refused
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and keys["primaryKey"] not in err[0]
    assert json_of(capsys, *ws_args, "score", "--service", "cli-svc", "--data", data) == [6.5]

    assert main([*ws_args, "service", "delete", "cli-svc"]) == 0
    capsys.readouterr()
    assert main([*ws_args, "service", "show", "cli-svc"]) == 4


def test_table_output_for_runs_and_services_has_columns(ws_args: list[str], article_run: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ws_args, "-o", "table", "run", "show", "-e", EXPERIMENT, article_run]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["RunId", "Status", "Target", "Created", "Error"]
    assert lines[2].split()[:3] == [article_run, "Completed", COMPUTE]
