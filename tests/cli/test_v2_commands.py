"""The current API's commands (az ml v2's names) against the emulator over real HTTP, through ``main([...])``:
jobs (create with --set/--name, stream, show, list, download, cancel, a failing job), models, environments,
datastores, online endpoints and deployments by reference; usage errors for bad YAML before any request; no
secret printed where it was not asked for."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from azureml_rest.cli import main
from azureml_rest.cli.errors import EXIT_FAILED, EXIT_NOT_FOUND, EXIT_USAGE

from tests.cli.conftest import COMPUTE, RG, WS, json_of

JOB_YML = f"""\
$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
command: python train.py ${{{{inputs.greeting}}}} ${{{{inputs.data}}}}
code: src
environment:
  image: python:3.11-slim
compute: azureml:{COMPUTE}
inputs:
  greeting: hello
  data:
    type: uri_file
    path: data/in.txt
environment_variables:
  SETTING: from-yaml
experiment_name: cli-v2
"""
TRAIN = """\
import os, sys
print("greeting:", sys.argv[1])
print("data:", open(sys.argv[2]).read().strip())
print("setting:", os.environ["SETTING"])
os.makedirs("outputs", exist_ok=True)
open("outputs/model.txt", "w").write("model of " + sys.argv[1])
"""
SCORE = """\
import json, os
def init():
    global text
    text = open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.txt")).read()
def run(raw):
    return {"model": text, "n": len(json.loads(raw)["data"])}
"""


def _fail(capsys: pytest.CaptureFixture[str], status: int, *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == status, captured.err
    assert captured.out == ""
    return captured.err


@pytest.fixture(scope="module")
def job_yml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("v2job")
    (root / "src").mkdir()
    (root / "src" / "train.py").write_text(TRAIN)
    (root / "data").mkdir()
    (root / "data" / "in.txt").write_text("a local input\n")
    (root / "job.yml").write_text(JOB_YML)
    return root / "job.yml"


@pytest.fixture(scope="module")
def finished_job(ws_args: list[str], job_yml: Path) -> str:
    """A completed job of job.yml (named on the command line), greeting overridden with --set."""
    name = f"cli-{uuid.uuid4().hex[:8]}"
    assert main([*ws_args, "job", "create", "-f", str(job_yml), "--name", name, "--set", "inputs.greeting=hi",
                 "--stream"]) == 0
    return name


def test_job_create_stream_show_list_download(ws_args: list[str], finished_job: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    job = json_of(capsys, *ws_args, "job", "show", "-n", finished_job)
    props = job["properties"]
    assert props["status"] == "Completed" and props["experimentName"] == "cli-v2"
    assert props["inputs"]["greeting"] == {"jobInputType": "literal", "value": "hi"}  # --set won
    assert props["inputs"]["data"]["uri"].startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/")
    assert props["environmentVariables"] == {"SETTING": "from-yaml"}
    assert finished_job in [j["name"] for j in json_of(capsys, *ws_args, "job", "list")]
    assert main([*ws_args, "-o", "table", "job", "list", "--max-results", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Name", "Status", "Type", "Experiment", "Compute"] and len(table) == 3
    streamed = main([*ws_args, "job", "stream", "-n", finished_job])
    captured = capsys.readouterr()
    assert streamed == 0 and "greeting: hi" in captured.err.splitlines()
    assert "setting: from-yaml" in captured.err.splitlines() and "data: a local input" in captured.err.splitlines()
    assert json.loads(captured.out)["name"] == finished_job  # stdout: the job's JSON only
    got = json_of(capsys, *ws_args, "job", "download", "-n", finished_job, "--download-path", str(tmp_path))
    files = [Path(f) for f in got["files"]]
    model = [f for f in files if f.name == "model.txt"]
    assert model and model[0].read_text() == "model of hi" and str(tmp_path / finished_job) in str(model[0])


def test_a_failing_job_exits_5_and_cancel(ws_args: list[str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "fail.yml"
    spec.write_text(f"command: echo going down && exit 3\nenvironment:\n  image: python:3.11-slim\n"
                    f"compute: azureml:{COMPUTE}\n")
    err = _fail(capsys, EXIT_FAILED, *ws_args, "job", "create", "-f", str(spec), "--stream")
    assert "going down" in err.splitlines() and "ended with status Failed" in err.splitlines()[-1]
    spec.write_text(f"command: sleep 600\nenvironment:\n  image: python:3.11-slim\ncompute: azureml:{COMPUTE}\n")
    name = json_of(capsys, *ws_args, "job", "create", "-f", str(spec))["name"]
    assert json_of(capsys, *ws_args, "job", "cancel", "-n", name) == {"name": name, "cancelRequested": True}
    err = _fail(capsys, EXIT_FAILED, *ws_args, "job", "stream", "-n", name)
    assert "ended with status Canceled" in err.splitlines()[-1]
    assert main([*ws_args, "job", "show", "-n", "no-such-job"]) == EXIT_NOT_FOUND


def test_bad_yaml_is_a_usage_error_naming_file_line_and_field(ws_args: list[str], job_yml: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "typo.yml"
    bad.write_text(job_yml.read_text().replace("environment_variables:", "enviroment_variables:"))
    err = _fail(capsys, EXIT_USAGE, *ws_args, "job", "create", "-f", str(bad))
    assert err == (f"error: {bad}, line 12: unknown field 'enviroment_variables' (did you mean "
                   f"'environment_variables'?); known here: code, command, compute, creation_context, description, "
                   "display_name, distribution, environment, environment_variables, experiment_name, id, identity, "
                   "inputs, limits, log_files, name, outputs, parameters, parent_job_name, properties, queue_settings, "
                   "resources, services, status, tags, type\n")
    err = _fail(capsys, EXIT_USAGE, *ws_args, "job", "create", "-f", str(job_yml), "--set", "resources.count=2")
    assert "--set resources.count: unknown field 'resources.count'" in err
    err = _fail(capsys, EXIT_USAGE, *ws_args, "online-deployment", "create", "-f", str(job_yml))
    assert "this is a commandJob file" in err
    # nothing reached the service: no workspace needed for any of these
    err = _fail(capsys, EXIT_USAGE, "--endpoint", "http://127.0.0.1:9", "-g", "g", "-w", "w", "job", "create", "-f",
                str(bad))
    assert "unknown field 'enviroment_variables'" in err


def test_models_environments_and_datastores(ws_args: list[str], url: str, finished_job: str, job_yml: Path,
                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = f"m{uuid.uuid4().hex[:8]}"
    (tmp_path / "weights.bin").write_bytes(b"\x00\x01")
    assert main([*ws_args, "model", "create", "--name", name, "--path", str(tmp_path / "weights.bin")]) == 0
    captured = capsys.readouterr()
    first = json.loads(captured.out)
    assert "upload: 2 B of 2 B" in captured.err  # the local file's upload progress, on stderr (JSON on stdout)
    assert first["name"] == "1" and first["properties"]["modelType"] == "custom_model"
    (tmp_path / "model.yml").write_text(
        "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\n"
        f"name: {name}\npath: azureml://jobs/{finished_job}/outputs/artifacts/paths/outputs/\n"
        "description: from the job\ntags:\n  source: job\n")
    second = json_of(capsys, *ws_args, "model", "create", "-f", str(tmp_path / "model.yml"))
    assert second["name"] == "2" and second["properties"]["tags"] == {"source": "job"}  # next free version
    shown_model = json_of(capsys, *ws_args, "model", "show", "-n", name, "-v", "2")
    assert shown_model["properties"]["description"] == "from the job"
    assert sorted(v["name"] for v in json_of(capsys, *ws_args, "model", "list", "-n", name)) == ["1", "2"]
    assert name in [m["name"] for m in json_of(capsys, *ws_args, "model", "list")]
    env_name = f"e{uuid.uuid4().hex[:8]}"
    (tmp_path / "conda.yml").write_text("name: e\ndependencies:\n  - python=3.11\n")
    (tmp_path / "env.yml").write_text(
        "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\n"
        f"name: {env_name}\nimage: python:3.11-slim\nconda_file: conda.yml\n")
    env = json_of(capsys, *ws_args, "environment", "create", "-f", str(tmp_path / "env.yml"))
    assert env["name"] == "1" and "python=3.11" in env["properties"]["condaFile"]
    again = json_of(capsys, *ws_args, "environment", "create", "-f", str(tmp_path / "env.yml"), "--set", "image=py:2")
    assert again["name"] == "2" and again["properties"]["image"] == "py:2"
    assert json_of(capsys, *ws_args, "environment", "show", "-n", env_name, "-v", "1")["properties"]["image"] == \
        "python:3.11-slim"
    latest = json_of(capsys, *ws_args, "job", "create", "-f", str(job_yml), "--set",
                   f"environment=azureml:{env_name}@latest")
    assert latest["properties"]["environmentId"].endswith(f"/environments/{env_name}/versions/2")
    err = _fail(capsys, EXIT_USAGE, *ws_args, "job", "create", "-f", str(job_yml), "--set",
                "environment=azureml:no-such-env@latest")
    assert "the workspace has no version of 'no-such-env'" in err
    stores = json_of(capsys, *ws_args, "datastore", "list")
    assert "workspaceblobstore" in [s["name"] for s in stores]
    shown = json_of(capsys, *ws_args, "datastore", "show", "-n", "workspaceblobstore")
    assert shown["properties"]["datastoreType"] == "AzureBlob"
    from azureml_rest.client import AzureML
    from azureml_rest.operations.datastores import DatastoreOperations

    with AzureML.for_emulator(url) as ml:
        key = DatastoreOperations(ml.workspace(RG, WS)).secrets("workspaceblobstore").reveal()
    assert key and key not in json.dumps(shown) and key not in json.dumps(stores)  # the account key: never shown


def test_online_endpoint_and_deployment_by_reference(ws_args: list[str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    ep = f"ep-{uuid.uuid4().hex[:8]}"
    (tmp_path / "model.txt").write_text("weights")
    model = json_of(capsys, *ws_args, "model", "create", "-n", f"{ep}-m", "-v", "1", "-p", str(tmp_path / "model.txt"))
    (tmp_path / "env.yml").write_text(f"name: {ep}-env\nversion: 1\nimage: python:3.11-slim\n")
    json_of(capsys, *ws_args, "environment", "create", "-f", str(tmp_path / "env.yml"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "score.py").write_text(SCORE)
    (tmp_path / "endpoint.yml").write_text(f"name: {ep}\nauth_mode: aml_token\ntags:\n  team: cli\n")
    (tmp_path / "green.yml").write_text(
        f"name: green\nendpoint_name: {ep}\nmodel: azureml:{ep}-m:1\nenvironment: azureml:{ep}-env:1\n"
        "code_configuration:\n  code: src\n  scoring_script: score.py\ninstance_type: Standard_DS3_v2\n"
        "instance_count: 1\n")
    created = json_of(capsys, *ws_args, "online-endpoint", "create", "-f", str(tmp_path / "endpoint.yml"))
    assert created["properties"]["authMode"] == "AMLToken" and created["tags"] == {"team": "cli"}
    try:
        green = json_of(capsys, *ws_args, "online-deployment", "create", "-f", str(tmp_path / "green.yml"))
        assert green["properties"]["model"] == model["id"]
        assert json_of(capsys, *ws_args, "online-deployment", "show", "-n", "green", "-e", ep)["name"] == "green"
        assert [d["name"] for d in json_of(capsys, *ws_args, "online-deployment", "list", "-e", ep)] == ["green"]
        creds = json_of(capsys, *ws_args, "online-endpoint", "get-credentials", "-n", ep)
        assert creds["accessToken"] and creds["tokenType"]
        (tmp_path / "req.json").write_text('{"data": [1, 2, 3]}')
        # no traffic yet: --deployment-name picks the deployment; --debug logs every request, the token hidden
        code = main([*ws_args, "--debug", "online-endpoint", "invoke", "-n", ep, "--request-file",
                     str(tmp_path / "req.json"), "--deployment-name", "green"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert json.loads(captured.out) == {"model": "weights", "n": 3}
        assert creds["accessToken"] not in captured.err and "DEBUG azureml_rest" in captured.err
        updated = json_of(capsys, *ws_args, "online-endpoint", "update", "-n", ep, "--traffic", "green=100")
        assert updated["properties"]["traffic"] == {"green": 100}
        shown = json_of(capsys, *ws_args, "online-endpoint", "show", "-n", ep)
        assert creds["accessToken"] not in json.dumps(shown)
        assert ep in [e["name"] for e in json_of(capsys, *ws_args, "online-endpoint", "list")]
        scaled = json_of(capsys, *ws_args, "online-deployment", "update", "-n", "green", "-e", ep,
                       "--instance-count", "2")
        assert scaled["sku"]["capacity"] == 2
        json_of(capsys, *ws_args, "online-endpoint", "update", "-n", ep, "--traffic", "green=0")
        assert main([*ws_args, "online-deployment", "delete", "-n", "green", "-e", ep, "-y"]) == 0
        assert "delete deployment" in capsys.readouterr().err
        assert main([*ws_args, "online-deployment", "show", "-n", "green", "-e", ep]) == EXIT_NOT_FOUND
    finally:
        assert main([*ws_args, "online-endpoint", "delete", "-n", ep]) == 0
    capsys.readouterr()
    assert main([*ws_args, "online-endpoint", "show", "-n", ep]) == EXIT_NOT_FOUND
