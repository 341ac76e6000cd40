"""The article's own curl commands, run with the real curl binary against the emulator, in the article's order.

The commands are read from the article itself (``shared/seed/*.txt``, beside the clone) and run through bash with
only the hosts and the ``{placeholders}`` replaced. The article's text has shell/JSON slips; each is fixed here
minimally, asserted to be present first (so a changed article is noticed), and listed in ``FIXES``:

- a backslash-newline in the middle of a word (the article's line wraps) is joined: outside quotes bash does this
  anyway, inside single quotes (workspace PUT URL and JSON values) it would leave ``\\`` + newline in the request;
- the model DELETE block has ``curl`` alone on its first line (no ``\\``): bash would run ``curl`` without args;
- the scoring block lacks the closing ``'`` after its ``-d`` JSON;
- the workspace PUT JSON lacks the ``"`` before ``keyVault`` (the one JSON syntax error; specs/README.md,
  management.yaml: "Article create-workspace JSON").

Not fixed (the article's form is what is being tested): ``Authorization:Bearer`` without a space, the trailing
slash in ``/workspaces/?api-version=``, resource groups with ``api-version=2019-11-01``, ``userAccountCredentials``
at the top of the compute PUT body, ``applicationInsights`` without its leading ``/`` and ``"type": "systemAssigned"``
(specs/README.md, management.yaml: "Article vs official specs"), the run definition's PascalCase keys, and
``runDefinition.json`` as the uploaded file name (the article saves ``definition.json`` but uploads
``runDefinition.json``: we save it under the name the command uses). The article shows no command for discovery
("GET that URL"): ``curl <discoveryUrl>`` is run. What the article assumes exists is created through the
emulator's REST API between steps: the resource group and workspace before the first call, and (before the model
DELETE and the scoring call) a trained model, a second model to delete and a deployed service with its key.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.generated.emulator_world import (
    ARM_API,
    DP_API,
    ML,
    RG_API,
    SCORE,
    TRAIN,
    definition,
    make_zip,
    ok,
    service_body,
    start_run,
    wait_operation,
    wait_run,
    workspace_body,
)

SEED = Path(__file__).parents[2].parent / "shared" / "seed"
CURL = shutil.which("curl")

FIXES: list[str] = []  # what was changed in the article's text (filled while the commands are prepared)


def _article() -> str:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    return files[0].read_text(encoding="utf-8") if files else ""


def _blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, re.S)


def _curl_blocks(text: str) -> list[str]:
    """The runnable curl commands, in order (the ``curl -h "Authentication: ..." ...more args...`` aside is not
    a command: it illustrates the header, with two typos of its own; specs/README.md, Scoring: "Auth")."""
    return [b for b in _blocks(text) if b.lstrip().startswith("curl") and "...more args..." not in b]


def _fix(block: str, old: str, new: str, why: str) -> str:
    assert old in block, f"the article no longer has {old!r} ({why}): update this test"
    FIXES.append(why)
    return block.replace(old, new)


def _prepare(block: str, label: str) -> str:
    joined = re.sub(r"(?<=\S)\\\n", "", block)  # mid-word line wraps (see the module docstring)
    if joined != block:
        FIXES.append(f"{label}: joined the article's mid-word line wraps")
    if label == "model DELETE":
        joined = _fix(joined, "curl\n", "curl \\\n", "model DELETE: added the missing line continuation after `curl`")
    if label == "scoring":
        joined = _fix(joined, "] }\n", "] }'\n", "scoring: added the missing closing quote after the -d JSON")
    if label == "workspace PUT":
        joined = _fix(
            joined,
            '        keyVault" :',
            '        "keyVault" :',
            'workspace PUT: added the missing `"` before keyVault',
        )
    return joined.rstrip().rstrip("\\").rstrip()


@dataclass
class Step:
    label: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)  # the token step's body is a token: keep it out of assertion output

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Session:
    """Values substituted into the article's placeholders, and the results of the steps run so far."""

    emu: Any
    workdir: Path
    values: dict[str, str] = field(default_factory=dict, repr=False)  # holds the secret, token and key
    hosts: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list, repr=False)
    steps: list[Step] = field(default_factory=list)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def run(self, label: str, command: str) -> Step:
        """Run ``command`` (placeholders filled) through bash + curl; keep status, headers and body."""
        for literal, replacement in self.hosts.items():
            command = command.replace(literal, replacement)
        for name, value in self.values.items():
            command = command.replace("{" + name + "}", value)
        left = re.findall(r"\{(?:your|desired|regional|scoring|model|admin)[A-Za-z-]*\}", command)
        assert not left, f"{label}: placeholders not filled: {left}"
        out, hdr = self.workdir / f"{len(self.steps)}.body", self.workdir / f"{len(self.steps)}.headers"
        script = f"{command} -sS -o {out} -D {hdr} -w '%{{http_code}}'"
        done = subprocess.run(["bash", "-c", script], cwd=self.workdir, capture_output=True, text=True, timeout=120)
        code = done.returncode  # not `done.returncode` in the assert: pytest would print the command (a token)
        assert code == 0, f"{label}: curl failed ({code}): {self.redact(done.stderr)}"
        headers: dict[str, str] = {}
        for line in hdr.read_text().splitlines()[1:]:
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        step = Step(label, int(done.stdout.strip()[-3:]), headers, out.read_bytes())
        self.steps.append(step)
        return step

    def expect(self, step: Step, *statuses: int) -> Step:
        shown = self.redact(step.body[:500].decode(errors="replace"))
        assert step.status in statuses, f"article step {step.label!r}: HTTP {step.status}, expected {statuses}: {shown}"
        return step


LABELS = [
    "token",
    "resource groups list",
    "workspaces list",
    "experiments list",
    "models list",
    "computes list",
    "compute PUT",
    "startrun",
    "run GET",
    "model DELETE",
    "scoring",
    "workspace PUT",
]


@pytest.fixture
def session(session_emulator: Any, tmp_path: Path) -> Iterator[Session]:
    if not _article():
        pytest.skip(f"the article is absent: {SEED}")
    if CURL is None:
        pytest.skip("no curl binary on PATH")
    emu = session_emulator
    cfg = emu.config
    suffix = uuid.uuid4().hex[:6]
    s = Session(emu, tmp_path)
    s.hosts = {
        "https://login.microsoftonline.com": emu.base_url,
        "https://management.azure.com/subscriptions": f"{emu.base_url}/subscriptions",
    }
    s.values = {
        "your-tenant-id": cfg.tenant_id,
        "your-client-id": cfg.client_id,
        "your-client-secret": cfg.client_secret,
        "your-subscription-id": cfg.subscription_id,
        "your-resource-group": f"article-rg-{suffix}",
        "your-workspace-name": f"article-ws-{suffix}",
        "your-compute-name": "cpu-compute",
        "your-azure-location": cfg.location,
        "adminUserName": "azureuser",
        "adminUserPassword": "Article-Pa55word",
        "your-experiment-name": f"article-exp-{suffix}",
        "desired-region": cfg.location,
        "your-new-workspace-name": f"article-new-{suffix}",
        "your-workspace-friendly-name": "Article workspace",
        "your-workspace-description": "created by the article curl command",
        "your-registry-name": f"cr{suffix}",
        "your-keyvault-name": f"kv{suffix}",
        "your-application-insights-name": f"ai{suffix}",
        "your-storage-account-name": f"st{suffix}",
        "model-specific-data-structure": "[1, 2, 3]",
    }
    s.values["your-experiment-names"] = s.values["your-experiment-name"]  # the run GET's spelling
    s.secrets = [cfg.client_secret]
    yield s


def _article_files(text: str, workdir: Path) -> None:
    """train.zip (the article's hello.py) and runDefinition.json (its definition.json) in the working folder."""
    hello = next(b for b in _blocks(text) if b.startswith("# hello.py"))
    doc = next(b for b in _blocks(text) if '"Configuration"' in b)
    json.loads(doc)  # the article's definition.json is valid JSON as printed
    (workdir / "runDefinition.json").write_text(doc)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.py", hello)
    (workdir / "train.zip").write_bytes(buf.getvalue())


def _api(s: Session) -> httpx.Client:
    return httpx.Client(
        base_url=s.emu.base_url, timeout=60, headers={"Authorization": f"Bearer {s.values['your-access-token']}"}
    )


def test_article_commands_in_order(session: Session) -> None:
    s = session
    text = _article()
    blocks = _curl_blocks(text)
    assert len(blocks) == len(LABELS), f"the article has {len(blocks)} curl commands, expected {len(LABELS)}"
    commands = dict(zip(LABELS, [_prepare(b, label) for b, label in zip(blocks, LABELS, strict=True)], strict=True))
    _article_files(text, s.workdir)
    v = s.values

    token = s.expect(s.run("token", commands["token"]), 200).json()
    assert token["token_type"] == "Bearer" and token["resource"] == "https://management.azure.com/"
    v["your-access-token"] = token["access_token"]
    s.secrets.append(token["access_token"])

    # The article starts from an existing resource group and workspace (its prerequisites).
    sub, rg, ws = v["your-subscription-id"], v["your-resource-group"], v["your-workspace-name"]
    with _api(s) as api:
        ok(
            api.put(
                f"/subscriptions/{sub}/resourcegroups/{rg}", params=RG_API, json={"location": s.emu.config.location}
            )
        )
        ws_path = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ML}/workspaces/{ws}"
        created = ok(api.put(ws_path, params=ARM_API, json=workspace_body(sub, rg, s.emu.config.location)))
        if created.status_code == 202:
            _wait_location(api, created.headers["location"])

    groups = s.expect(s.run("resource groups list", commands["resource groups list"]), 200).json()
    assert rg in [g["name"] for g in groups["value"]]
    workspaces = s.expect(s.run("workspaces list", commands["workspaces list"]), 200).json()
    mine = [w for w in workspaces["value"] if w["name"] == ws]
    assert mine, "the workspace is not in the list"
    discovery_url = mine[0]["properties"]["discoveryUrl"]
    discovery = s.expect(s.run("discovery", f"curl {discovery_url}"), 200).json()
    s.hosts["https://{regional-api-server}"] = discovery["api"].rstrip("/")

    experiments = s.expect(s.run("experiments list", commands["experiments list"]), 200).json()
    assert "value" in experiments
    assert "value" in s.expect(s.run("models list", commands["models list"]), 200).json()
    assert "value" in s.expect(s.run("computes list", commands["computes list"]), 200).json()
    compute = s.expect(s.run("compute PUT", commands["compute PUT"]), 201).json()
    assert compute["properties"]["computeType"] == "AmlCompute"

    started = s.expect(s.run("startrun", commands["startrun"]), 200).json()
    v["your-run-id"] = started["runId"]
    deadline = time.monotonic() + 90
    while True:  # the article monitors the run with the same GET
        run = s.expect(s.run("run GET", commands["run GET"]), 200).json()
        if run["status"] in ("Completed", "Failed", "Canceled") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert run["status"] == "Completed", run
    with _api(s) as api:
        _assert_hello_in_log(api, s, started["runId"])
        # What the rest of the article assumes exists: a model (to delete) and a deployed service with its key.
        model_to_delete, scoring_uri, key = _model_and_service(api, s)
    v["your-model-id"] = model_to_delete
    s.hosts["https://{scoring-uri}"] = scoring_uri
    v["your-key"] = key
    s.secrets.append(key)

    s.expect(s.run("model DELETE", commands["model DELETE"]), 200, 204)
    with _api(s) as api:
        mms = f"/modelmanagement/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/{ML}/workspaces/{ws}"
        assert api.get(f"{mms}/models/{model_to_delete}", params=DP_API).status_code == 404
    scored = s.expect(s.run("scoring", commands["scoring"]), 200).json()
    assert scored == [(1 + 2 + 3) * 3], scored  # score.py: sum(row) * w, with w = 3 from the trained model.json
    new_ws = s.expect(s.run("workspace PUT", commands["workspace PUT"]), 202)
    assert new_ws.headers.get("location"), "the article promises a Location header"
    with _api(s) as api:
        final = _wait_location(api, new_ws.headers["location"])
        assert final.status_code == 200 and final.json()["name"] == v["your-new-workspace-name"]

    assert any("keyVault" in f for f in FIXES)  # the fixes applied are the documented ones
    assert [st.label for st in s.steps if st.label != "run GET"] == [
        *LABELS[:3],
        "discovery",
        *LABELS[3:8],
        *LABELS[9:],
    ]


def _wait_location(api: httpx.Client, url: str) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        r = api.get(url)
        if r.status_code != 202 or time.monotonic() > deadline:
            return r
        time.sleep(0.05)


def _assert_hello_in_log(api: httpx.Client, s: Session, run_id: str) -> None:
    v = s.values
    hist = (
        f"/history/v1.0/subscriptions/{v['your-subscription-id']}/resourceGroups/{v['your-resource-group']}"
        f"/providers/{ML}/workspaces/{v['your-workspace-name']}"
    )
    details = ok(api.get(f"{hist}/experiments/{v['your-experiment-name']}/runs/{run_id}/details", params=DP_API)).json()
    logs = [url for name, url in details["logFiles"].items() if name.endswith("70_driver_log.txt")]
    assert logs and "Hello, REST!" in httpx.get(logs[0], timeout=30).text


def _model_and_service(api: httpx.Client, s: Session) -> tuple[str, str, str]:
    """(id of a model to delete, scoringUri, primary key) after training, registering and deploying via the API."""
    v = s.values
    ws = (
        f"/subscriptions/{v['your-subscription-id']}/resourceGroups/{v['your-resource-group']}"
        f"/providers/{ML}/workspaces/{v['your-workspace-name']}"
    )
    exp = v["your-experiment-name"]
    run_id = start_run(
        api, f"/execution/v1.0{ws}", exp, definition("train.py"), make_zip({"train.py": TRAIN, "score.py": SCORE})
    )
    assert wait_run(api, f"/history/v1.0{ws}", exp, run_id)["status"] == "Completed"
    mms = f"/modelmanagement/v1.0{ws}"
    url = f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/model.json"
    served = ok(
        api.post(
            f"{mms}/models", params=DP_API, json={"name": "article-served", "url": url, "mimeType": "application/json"}
        )
    ).json()
    doomed = ok(
        api.post(
            f"{mms}/models", params=DP_API, json={"name": "article-doomed", "url": url, "mimeType": "application/json"}
        )
    ).json()
    created = ok(
        api.post(f"{mms}/services", params=DP_API, json=service_body("article-svc", run_id, served["id"])), 202
    )
    assert wait_operation(api, created.headers["Operation-Location"])["state"] == "Succeeded"
    service = ok(api.get(f"{mms}/services/article-svc", params=DP_API)).json()
    keys = ok(api.post(f"{mms}/services/article-svc/listkeys", params=DP_API)).json()
    return str(doomed["id"]), str(service["scoringUri"]), str(keys["primaryKey"])
