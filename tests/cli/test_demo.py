"""``azureml-rest demo``: the article's walkthrough end to end against the embedded emulator."""

from __future__ import annotations

import re

import pytest
from azureml_rest.cli import main
from azureml_rest.cli._app import EXIT_ERROR, EXIT_USAGE

STEPS = [
    "get a token", "resource groups", "create the workspace", "follow discovery", "list experiments and models",
    "create the compute", "submit hello.py", "stream the log and wait", "register the model", "deploy the service",
    "list the service keys", "score with the key", "rotate the key and score again", "delete the service",
    "delete the model", "delete the compute", "delete the workspace",
]


@pytest.mark.slow
def test_demo_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--lro-delay", "0.1"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert re.search(r"^demo succeeded: 17 steps in \d+\.\d s$", out, re.MULTILINE), out[-2000:]
    headers = re.findall(r"^\[\s*(\d+)/17\] (.+)$", out, re.MULTILINE)
    assert [name for _n, name in headers] == STEPS
    # The main HTTP call of each step, read from the library's request log.
    for call in ("POST /{tenant}/oauth2/v2.0/token -> 200", "PUT /{ws} -> 202", "GET /discovery -> 200",
                 "PUT /{ws}/computes/cpu-compute -> 201", "/experiments/my-first-experiment/startrun -> 200",
                 "POST /modelmanagement/v1.0/{ws}/services -> 202", "/regenerateKeys -> 200",
                 "DELETE /{ws} -> 202"):
        assert call in out
    assert "| Hello, REST!" in out  # streamed driver log
    assert "old key refused: 401 Unauthorized" in out
    assert "same client, new key picked up: {'data': [[1, 2, 3, 4], [0, 0, 0, 0]]} -> [6.5, 1.0]" in out
    assert "aml://artifact/ExperimentRun/dcid.my-first-experiment_" in out
    assert "emulator-dev-secret" not in out + captured.err  # no secret, token or key is printed
    assert "FAILED" not in out + captured.err


def test_demo_failure_is_one_line_and_cleans_up(capsys: pytest.CaptureFixture[str]) -> None:
    # An invalid compute name makes step 6 fail; the workspace created in step 3 is deleted again.
    assert main(["demo", "--lro-delay", "0.05", "--compute-name", "bad name!"]) == EXIT_ERROR
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[-1].startswith("demo FAILED at step 6 (create the compute): ")
    assert "cleanup: deleted the workspace" in captured.err
    assert "demo succeeded" not in captured.out


def test_demo_azure_refuses_without_settings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--azure"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: demo --azure needs: ")
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID",
                 "--resource-group", "--location", "--storage-account", "--key-vault", "--application-insights"):
        assert name in err
    assert "--container-registry" not in err  # optional


def test_demo_azure_names_only_what_is_missing(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in (("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "c"), ("AZURE_CLIENT_SECRET", "s"),
                        ("AZURE_SUBSCRIPTION_ID", "sub"), ("AZUREML_LOCATION", "eastus")):
        monkeypatch.setenv(name, value)
    assert main(["demo", "--azure", "-g", "rg", "--key-vault", "/subscriptions/sub/kv"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "AZURE_" not in err and "--location" not in err and "--key-vault" not in err
    assert "--storage-account" in err and "--application-insights" in err


def test_demo_against_a_running_emulator(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Same steps through --endpoint (the session's emulator), in its own resource group; --keep skips deletes.
    assert main(["--endpoint", url, "-g", "demo-elsewhere", "demo", "--keep"]) == 0
    out = capsys.readouterr().out
    assert f"against the emulator at {url}" in out
    assert re.search(r"^demo succeeded: 13 steps in \d+\.\d s$", out, re.MULTILINE)
    assert main(["--endpoint", url, "-g", "demo-elsewhere", "-w", "azureml-rest-demo", "service", "show",
                 "demo-service"]) == 0  # kept
