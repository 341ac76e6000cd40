"""The I/O-free half of v2 jobs (azureml_rest.job_spec): bodies, references, names, backoff, the log cursor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from azureml_rest import job_spec as spec

IDS = ("00000000-0000-4000-8000-0000000005b5", "rg", "ws")
WS = ("/subscriptions/00000000-0000-4000-8000-0000000005b5/resourceGroups/rg/providers/"
      "Microsoft.MachineLearningServices/workspaces/ws")


def test_command_job_body_carries_every_setting() -> None:
    body = spec.command_job_body(
        command="python a.py", environment_id="env", code_id="code", compute_id=f"{WS}/computes/c",
        inputs={"x": spec.input_body(spec.Input(value=3))}, outputs={"o": spec.output_body("uri_file")},
        environment_variables={"A": "1"}, instance_count=2, timeout=dt.timedelta(minutes=5),
        experiment_name="e", display_name="d", tags={"t": "v"})
    assert body == {"properties": {
        "jobType": "Command", "command": "python a.py", "environmentId": "env", "codeId": "code",
        "computeId": f"{WS}/computes/c", "inputs": {"x": {"jobInputType": "literal", "value": "3"}},
        "outputs": {"o": {"jobOutputType": "uri_file"}}, "environmentVariables": {"A": "1"},
        "resources": {"instanceCount": 2}, "limits": {"jobLimitsType": "Command", "timeout": "PT300S"},
        "experimentName": "e", "displayName": "d", "tags": {"t": "v"}}}
    minimal = spec.command_job_body(command="c", environment_id="e")["properties"]
    assert set(minimal) == {"jobType", "command", "environmentId", "inputs", "outputs", "environmentVariables"}


def test_inputs_literal_uri_and_local(tmp_path: Path) -> None:
    assert spec.input_body(spec.as_input(True)) == {"jobInputType": "literal", "value": "true"}
    assert spec.input_body(spec.Input(uri="azureml://datastores/d/paths/x/")) == {
        "jobInputType": "uri_folder", "uri": "azureml://datastores/d/paths/x/"}
    f = tmp_path / "f.csv"
    f.write_text("1")
    local = spec.Input(path=f, mode="Download")
    assert local.kind() == "uri_file" and spec.Input(path=tmp_path).kind() == "uri_folder"
    with pytest.raises(ValueError):
        spec.input_body(local)  # not uploaded yet
    assert spec.input_body(local, "azureml://x") == {"jobInputType": "uri_file", "uri": "azureml://x",
                                                      "mode": "Download"}
    with pytest.raises(ValueError):
        spec.Input(value=1, uri="u")
    with pytest.raises(ValueError):
        spec.Input(uri="u", type="literal")
    with pytest.raises(TypeError):
        spec.as_input(object())


def test_environment_references() -> None:
    assert spec.environment_id(IDS, "azureml:myenv:3") == f"{WS}/environments/myenv/versions/3"
    reg = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest"
    assert spec.environment_id(IDS, reg) == reg
    assert spec.environment_id(IDS, f"{WS}/environments/e/versions/1") == f"{WS}/environments/e/versions/1"
    for bad in ("myenv", "azureml:myenv", "azureml::1"):
        with pytest.raises(ValueError):
            spec.environment_id(IDS, bad)
    v1, body = spec.environment_version_body("python:3.11-slim")
    v2, _ = spec.environment_version_body("python:3.11-slim")
    assert v1 == v2 and len(v1) == 64 and body["properties"]["image"] == "python:3.11-slim"
    assert spec.environment_version_body("python:3.12-slim")[0] != v1


def test_names_and_backoff() -> None:
    a, b = spec.new_job_name(), spec.new_job_name("train")
    assert a != spec.new_job_name() and a.startswith("job_") and b.startswith("train_")
    waits = [spec.poll_interval(i, first=1, maximum=30) for i in range(8)]
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    assert spec.poll_interval(10_000) == 30.0
    assert spec.TERMINAL >= spec.FAILED and "Paused" not in spec.TERMINAL


def test_log_cursor_hands_out_whole_lines_once() -> None:
    c = spec.LogCursor()
    assert c.feed(b"one\ntw") == ["one"]
    assert c.offset == 6
    assert c.feed(b"o\r\nthr") == ["two"]
    assert c.feed(b"") == []
    assert c.flush() == ["thr"] and c.flush() == []
    assert c.feed(b"\xff\n") == ["\ufffd"]
