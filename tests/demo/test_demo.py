"""``python -m demo``: the article's walkthrough end to end, its failure line, its options, and where its HTTP
display comes from (the library's ``HttpConfig.on_event`` hook, not log records)."""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from azureml_rest import HttpConfig, HttpEvent
from azureml_rest.cli import main as cli_main

from demo.command import EXIT_USAGE, build_parser, main
from demo.connection import hooked
from demo.display import HttpCalls
from demo.walkthrough import EXIT_FAILED
from demo.walkthrough_v2 import PROJECT_V2_DIR, PROJECT_V2_FILES

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = [
    "get a token", "resource groups", "create the workspace", "follow discovery", "list experiments and models",
    "create the compute", "submit hello.py", "stream the log and wait", "register the model", "deploy the service",
    "list the service keys", "score with the key", "rotate the key and score again", "delete the service",
    "delete the model",
]
CURRENT = [
    "upload the code", "submit train.py", "stream the log and wait", "register the model from the job output",
    "create the endpoint", "create the deployment", "score with the key", "regenerate the key and score again",
    "delete the endpoint",
]
FINAL = ["delete the compute", "delete the workspace"]
STEPS = ARTICLE + CURRENT + FINAL


def md5_lines() -> list[str]:
    """What train.py prints about each file of its code folder, computed from the local project."""
    return [f"code file {n}: {len(b)} bytes, md5 {hashlib.md5(b, usedforsecurity=False).hexdigest()}"
            for n, b in sorted((n, (PROJECT_V2_DIR / n).read_bytes()) for n in PROJECT_V2_FILES)]


def block(out: str, name: str) -> str:
    """The lines a step printed (from its header to the next header or the final line)."""
    m = re.search(rf"^\[\s*\d+/\d+\] {re.escape(name)}\n(.*?)(?=^\[|^-- |^demo )", out, re.MULTILINE | re.DOTALL)
    assert m, f"step {name!r} not found"
    return m.group(1)


@pytest.mark.slow
def test_demo_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lro-delay", "0.1"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert re.search(r"^demo succeeded: 26 steps \(17 of the article, 9 on the current API\) in \d+\.\d s$", out,
                     re.MULTILINE), out[-2000:]
    headers = re.findall(r"^\[\s*(\d+)/26\] (.+)$", out, re.MULTILINE)
    assert [name for _n, name in headers] == STEPS
    assert [int(n) for n, _name in headers] == list(range(1, 27))
    # Two parts, each introduced by its heading, the article's first.
    first, second = re.findall(r"^-- (.+)$", out, re.MULTILINE)
    assert "the article, on the v1 API" in first and "the current API" in second
    assert out.index("-- the same story") < out.index("] upload the code")
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
    check_current_api_steps(out)


def check_current_api_steps(out: str) -> None:
    """The v2 steps: the calls each makes, the job's log, the scores before and after the key rotation."""
    out = out[out.index("-- the same story on the current API"):]  # step names repeat the article's
    upload = block(out, "upload the code")
    assert re.search(r"POST /\{ws\}/codes/\S+/versions/1/startPendingUpload -> 200", upload)
    for name in PROJECT_V2_FILES:
        assert re.search(rf"PUT /\S+/LocalUpload/\S+/project_v2/{re.escape(name)} -> 201", upload), upload
    assert re.search(r"PUT /\{ws\}/codes/\S+/versions/1 -> 201", upload)
    submit = block(out, "submit train.py")
    assert "startPendingUpload" not in submit and "LocalUpload" not in submit  # found by its hash, not sent twice
    assert re.search(r"PUT /\{ws\}/jobs/job_\w+ -> 201", submit) and "on cpu-compute" in submit
    log = block(out, "stream the log and wait")
    for line in md5_lines():  # the job read back the bytes that were uploaded
        assert f"| {line}" in log, log
    assert '| trained on 400 rows; wrote model.json: {"bias": 0.5, "weights": [0.1, 0.2, 0.3, 0.4]}' in log
    assert "status Completed" in log and "std_log.txt -> 206" in log
    register = block(out, "register the model from the job output")
    assert re.search(r"model demo-model-v2:\d{14} from azureml://jobs/job_\w+/outputs/model/paths/model.json",
                     register)
    endpoint = block(out, "create the endpoint")
    assert re.search(r"PUT /\{ws\}/onlineEndpoints/rest-demo-[0-9a-f]{8} -> 201", endpoint)
    assert "Succeeded; scoringUri http://127.0.0.1:" in endpoint
    deployment = block(out, "create the deployment")
    assert re.search(r"PUT /\{ws\}/onlineEndpoints/rest-demo-[0-9a-f]{8}/deployments/blue -> 201", deployment)
    assert "deployment blue: Succeeded" in deployment and "traffic: blue 100%" in deployment
    assert "scored with the primary key: {'data': [[1, 2, 3, 4], [0, 0, 0, 0]]} -> [3.5, 0.5]" in out
    rotate = block(out, "regenerate the key and score again")
    assert "/regenerateKeys -> 202" in rotate
    # the same client: one 401 with the old key, the keys read again, then 200 with the new one
    assert re.search(r"POST /online/rest-demo-[0-9a-f]{8}/score -> 401\n", rotate), rotate
    assert re.search(r"POST /online/rest-demo-[0-9a-f]{8}/score -> 200\n", rotate)
    assert "same client, new key picked up: {'data': [[1, 2, 3, 4], [0, 0, 0, 0]]} -> [3.5, 0.5]" in rotate
    assert re.search(r"DELETE /\{ws\}/onlineEndpoints/rest-demo-[0-9a-f]{8} -> 202", block(out, "delete the endpoint"))


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
    assert re.search(r"^demo succeeded: 21 steps \(13 of the article, 8 on the current API\) in \d+\.\d s$", out,
                     re.MULTILINE)
    # With every log record dropped, each step still lists its calls: they come from HttpConfig.on_event.
    blocks = re.split(r"^\[\s*\d+/21\] .+$", out, flags=re.MULTILINE)[1:]
    assert len(blocks) == 21
    for block in blocks:
        assert re.search(r"^      (GET|PUT|POST|PATCH|DELETE) /\S* -> \d{3}", block, re.MULTILINE), block
    assert "POST /{tenant}/oauth2/v2.0/token -> 200" in out  # the credential's requests too
    assert cli_main(["--endpoint", url, "-g", "demo-elsewhere", "-w", "azureml-rest-demo", "service", "show",
                     "demo-service"]) == 0  # kept
    assert "delete the endpoint" not in out  # --keep leaves the endpoint too


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


def test_demo_current_api_failure_is_one_line_and_cleans_up(capsys: pytest.CaptureFixture[str]) -> None:
    # An invalid endpoint name makes the current API's "create the endpoint" fail (step 20 of 26); the article's
    # compute and workspace, still up for the current API's part, are deleted again.
    assert main(["--lro-delay", "0.05", "--endpoint-name", "bad name!"]) == EXIT_FAILED
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[-1].startswith("demo FAILED at step 20 (create the endpoint): "), lines[-1]
    assert "HTTP 400" in lines[-1]
    assert "cleanup: deleted the compute" in captured.err and "cleanup: deleted the workspace" in captured.err
    assert "cleanup: could not" not in captured.err
    assert "[19/26] register the model from the job output" in captured.out


def test_demo_options_of_the_current_api() -> None:
    args = build_parser().parse_args([])
    assert args.job_image.startswith("mcr.microsoft.com/azureml/")
    assert args.deployment_image.startswith("mcr.microsoft.com/azureml/") and args.instance_type == "Standard_DS3_v2"
    assert args.endpoint_name is None and not args.article_only
    help_text = build_parser().format_help()
    for flag in ("--job-image", "--deployment-image", "--instance-type", "--endpoint-name", "--article-only"):
        assert flag in help_text


def test_demo_article_only(capsys: pytest.CaptureFixture[str]) -> None:
    # Its own embedded emulator: a kept demo-service of another test would hold the service name.
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # every warning, each time: the demo's v1 calls use ws.v1.<group> only
        assert main(["--lro-delay", "0.05", "--article-only"]) == 0
    assert [str(w.message) for w in seen if "legacy v1 API" in str(w.message)] == []
    out = capsys.readouterr().out
    assert re.search(r"^demo succeeded: 17 steps in \d+\.\d s$", out, re.MULTILINE)
    assert [name for _n, name in re.findall(r"^\[\s*(\d+)/17\] (.+)$", out, re.MULTILINE)] == ARTICLE + FINAL
    assert "current API" not in out
