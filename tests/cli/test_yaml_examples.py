"""YAML compatibility: files written for ``az ml`` (restated from Azure/azureml-examples in
tests/cli/azureml_examples/) run unchanged through ``azureml-rest`` against the emulator over real HTTP: the
hello-world command jobs, and the sample managed online endpoint with its blue deployment (model, code and
environment given inline, uploaded and registered first), scored with its key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azureml_rest.cli import main

from tests.cli.conftest import invoke

EXAMPLES = Path(__file__).parent / "azureml_examples"
JOBS = EXAMPLES / "jobs" / "basics"
SAMPLE = EXAMPLES / "endpoints" / "online" / "managed" / "sample"


@pytest.fixture(scope="module")
def v2_args(ws_args: list[str]) -> list[str]:
    """The session workspace plus the compute azureml-examples' jobs name (``azureml:cpu-cluster``)."""
    code, _out, err = invoke(*ws_args, "compute", "create", "cpu-cluster", "--max-nodes", "2")
    assert code == 0, err
    return ws_args


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return (json.loads(captured.out) if captured.out.strip() else None), captured.err


@pytest.mark.parametrize(("file", "expected"), [
    ("hello-world.yml", ["hello world"]),
    ("hello-world-input.yml", ["hello world", "42"]),
    ("hello-world-env-var.yml", ["hello world"]),
    ("hello-code.yml", ["hello.py"]),  # `ls` in the uploaded code folder
])
def test_hello_world_jobs_run_unchanged(v2_args: list[str], file: str, expected: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    job, err = _run(capsys, *v2_args, "job", "create", "--file", str(JOBS / file), "--stream")
    assert job["properties"]["status"] == "Completed"
    assert job["properties"]["computeId"].endswith("/computes/cpu-cluster")
    log = err.splitlines()
    for text in expected:
        assert text in log, err  # the job's own output lines, streamed on stderr
    assert "note:" not in err  # every field of these files is one the library sends


def test_sample_endpoint_and_blue_deployment_run_unchanged(v2_args: list[str], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    endpoint, err = _run(capsys, *v2_args, "online-endpoint", "create", "-f", str(SAMPLE / "endpoint.yml"))
    assert endpoint["name"] == "my-endpoint" and endpoint["properties"]["authMode"] == "Key"
    assert "create endpoint my-endpoint:" in err
    try:
        blue, err = _run(capsys, *v2_args, "online-deployment", "create", "-f", str(SAMPLE / "blue-deployment.yml"),
                         "--all-traffic")
        assert blue["name"] == "blue" and blue["properties"]["provisioningState"] == "Succeeded"
        assert blue["properties"]["instanceType"] == "Standard_DS2_v2"
        assert "model: registering my-endpoint-blue-model:" in err and "code: uploaded" in err
        assert "all traffic of my-endpoint to blue:" in err
        shown, _ = _run(capsys, *v2_args, "online-endpoint", "show", "-n", "my-endpoint")
        assert shown["properties"]["traffic"] == {"blue": 100}
        request = tmp_path / "sample-request.json"
        request.write_text(json.dumps({"data": [[1, 2, 3], [10, 20, 30]]}))
        scored, _ = _run(capsys, *v2_args, "online-endpoint", "invoke", "-n", "my-endpoint", "--request-file",
                         str(request))
        assert scored == [[3, 6, 9], [30, 60, 90]]  # the model folder's factor, read by init()
        assert main([*v2_args, "online-deployment", "get-logs", "-n", "blue", "-e", "my-endpoint",
                     "--container-type", "storage-initializer"]) == 0
        assert "Downloading model my-endpoint-blue-model:" in capsys.readouterr().out  # plain text, not JSON
    finally:
        assert main([*v2_args, "online-endpoint", "delete", "-n", "my-endpoint", "--yes"]) == 0
        capsys.readouterr()
