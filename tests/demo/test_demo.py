"""``python -m demo``: the article's walkthrough end to end, its failure line, its options, and where its HTTP
display comes from (the library's ``HttpConfig.on_event`` hook, not log records)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from azureml_rest import HttpConfig, HttpEvent
from azureml_rest.cli import main as cli_main

from demo.command import EXIT_USAGE, main
from demo.connection import hooked
from demo.display import HttpCalls
from demo.walkthrough import EXIT_FAILED

ROOT = Path(__file__).resolve().parents[2]
STEPS = [
    "get a token", "resource groups", "create the workspace", "follow discovery", "list experiments and models",
    "create the compute", "submit hello.py", "stream the log and wait", "register the model", "deploy the service",
    "list the service keys", "score with the key", "rotate the key and score again", "delete the service",
    "delete the model", "delete the compute", "delete the workspace",
]


@pytest.mark.slow
def test_demo_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lro-delay", "0.1"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert re.search(r"^demo succeeded: 17 steps in \d+\.\d s$", out, re.MULTILINE), out[-2000:]
    headers = re.findall(r"^\[\s*(\d+)/17\] (.+)$", out, re.MULTILINE)
    assert [name for _n, name in headers] == STEPS
    # The main HTTP call of each step, reported by the library's on_event hook.
    for call in ("POST /{tenant}/oauth2/v2.0/token -> 200", "PUT /{ws} -> 202", "GET /discovery -> 200",
                 "PUT /{ws}/computes/cpu-compute -> 201", "/experiments/my-first-experiment/startrun -> 200",
                 "POST /modelmanagement/v1.0/{ws}/services -> 202", "/regenerateKeys -> 202",
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
    assert main(["--lro-delay", "0.05", "--compute-name", "bad name!"]) == EXIT_FAILED
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[-1].startswith("demo FAILED at step 6 (create the compute): ")
    assert "HTTP 400" in lines[-1] and "\n" not in lines[-1]
    assert "cleanup: deleted the workspace" in captured.err
    assert "demo succeeded" not in captured.out


def test_demo_azure_refuses_without_settings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--azure"]) == EXIT_USAGE
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
    assert main(["--azure", "-g", "rg", "--key-vault", "/subscriptions/sub/kv"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "AZURE_" not in err and "--location" not in err and "--key-vault" not in err
    assert "--storage-account" in err and "--application-insights" in err


def test_demo_azure_and_endpoint_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--azure", "--endpoint", "http://127.0.0.1:1"]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == "error: --azure and --endpoint exclude each other"


@pytest.fixture
def logging_off() -> Iterator[None]:
    """No log record reaches any handler, whatever a logger's level (so nothing can be read from logs)."""
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def test_http_calls_come_from_the_hook_with_logging_off(url: str, logging_off: None,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Same steps through --endpoint (the session's emulator), in its own resource group; --keep skips deletes.
    assert main(["--endpoint", url, "-g", "demo-elsewhere", "--keep"]) == 0
    out = capsys.readouterr().out
    assert f"against the emulator at {url}" in out
    assert re.search(r"^demo succeeded: 13 steps in \d+\.\d s$", out, re.MULTILINE)
    # With every log record dropped, each step still lists its calls: they come from HttpConfig.on_event.
    blocks = re.split(r"^\[\s*\d+/13\] .+$", out, flags=re.MULTILINE)[1:]
    assert len(blocks) == 13
    for block in blocks:
        assert re.search(r"^      (GET|PUT|POST|PATCH|DELETE) /\S* -> \d{3}", block, re.MULTILINE), block
    assert "POST /{tenant}/oauth2/v2.0/token -> 200" in out  # the credential's requests too
    assert cli_main(["--endpoint", url, "-g", "demo-elsewhere", "-w", "azureml-rest-demo", "service", "show",
                     "demo-service"]) == 0  # kept


def test_hooked_config_keeps_the_callers_own_hook() -> None:
    seen: list[HttpEvent] = []
    calls = HttpCalls()
    cfg = hooked(HttpConfig(on_event=seen.append), calls)
    event = HttpEvent(method="GET", url="http://127.0.0.1:1/a?api-version=1", status_code=200, elapsed=0.01,
                      attempt=1, request_id="r1", error=None)
    failed = HttpEvent(method="GET", url="http://127.0.0.1:1/a", status_code=None, elapsed=0.01, attempt=2,
                       request_id="r1", error="ConnectError")
    assert cfg.on_event is not None
    for e in (event, event, failed):
        cfg.on_event(e)
    assert seen == [event, event, failed]
    assert [(c.method, c.path, c.outcome, c.count) for c in calls.take()] == [
        ("GET", "/a", "200", 2), ("GET", "/a", "ConnectError", 1)]
    assert calls.take() == []


def test_python_m_demo_help_from_the_repository_root() -> None:
    env_path = ":".join(str(ROOT / p) for p in ("overlays", "generated", "emulator"))
    proc = subprocess.run([sys.executable, "-m", "demo", "--help"], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m demo") and "--azure" in proc.stdout
