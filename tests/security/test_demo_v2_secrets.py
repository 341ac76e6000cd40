"""The whole demo, the current API's part included, at DEBUG logging leaks no account key, SAS signature, endpoint
key or token.

Everything is captured: every log record of every logger (the root logger at DEBUG, formatted with exception
text), what the walkthrough prints (stdout and stderr), the reprs and strs of what the v2 part holds and reads (its
state, the job, the code version, keys, the scoring client, the endpoint), and the text and repr of errors the
library raises around secrets: a wrong endpoint key, and the job's log SAS URL moved to a foreign host (refused
before any request). The needles are collected first-hand: every token the emulator's signer issued, every HMAC
the blob store computed (SAS and SharedKey signatures), the workspace storage account's key, every endpoint key
``listKeys`` returned (before and after the rotation), the development secret, plus any JWT shape, ``sig=`` value
or ``SharedKey`` signature (tests/security/secret_scan.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from azureml_emulator.blobstore import accounts
from azureml_emulator.blobstore import sas as emulator_sas
from azureml_emulator.server import RunningEmulator
from azureml_rest import ScoringClient
from azureml_rest.client import EMULATOR_ACCOUNT
from azureml_rest.config import HttpConfig
from azureml_rest.errors import AuthenticationError, UntrustedHostError
from azureml_rest.operations.jobs import BlobContainerClient
from azureml_rest.operations.online_endpoints import OnlineEndpointOperations

from demo.connection import emulator_connection
from demo.settings import DemoSettings, emulator_ids
from demo.walkthrough import Walkthrough
from demo.walkthrough_v2 import STEPS, CurrentApiPart, CurrentApiSettings
from tests.emulator_fixture import EmulatorFactory
from tests.reliability.figures import Figures
from tests.security.secret_scan import Capture, find_leaks, root_debug

RG, WS = "secrets-v2-rg", "secrets-v2-ws"
ACCOUNT = "azuremlrestdemo"  # emulator_ids' storage account: the workspace's blob store


@pytest.fixture(scope="module")
def emu(session_emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    # In-process whatever the mode: the test wraps the emulator's token signer and blob-store signing.
    with session_emulator_factory(mode="inprocess", lro_delay=0.1) as running:  # stopped at the module's end
        yield running


@pytest.fixture(scope="module")
def scan(emu: RunningEmulator) -> Iterator[dict[str, Any]]:
    """Runs the whole demo once at DEBUG; ``{"text", "needles", "records", "steps_ok", "steps"}``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch, contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        yield _run_demo(emu, monkeypatch, stdout, stderr)


def _record(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, sink: set[str],
            pick: Any = lambda r: (r,)) -> None:
    real = getattr(owner, name)

    def recording(*a: Any, **kw: Any) -> Any:
        result = real(*a, **kw)
        sink.update(str(v) for v in pick(result) if v)
        return result

    monkeypatch.setattr(owner, name, recording)


def _probe_step(walk: Walkthrough, part: CurrentApiPart, texts: list[str], needles: dict[str, set[str]]) -> Any:
    """Runs before the endpoint is deleted: reprs of what the part holds, and two errors around secrets."""

    def probe() -> None:
        ws = walk._ws()
        st, ep = part.state, part.s.endpoint
        assert st.job is not None
        texts.extend([repr(st), repr(part.s), repr(ws.jobs), repr(ws.online_endpoints), repr(st.scoring),
                      str(ws.online_endpoints.get(ep)), repr(ws.online_endpoints.keys(ep)),
                      str(ws.online_endpoints.keys(ep)), repr(ws.jobs.get(st.job)), repr(st.code)])
        details = ws.jobs.run_details(st.job).to_dict()
        log_url = next(u for k, u in (details.get("logFiles") or {}).items() if k.endswith("std_log.txt"))
        sig = dict(parse_qsl(urlsplit(log_url).query)).get("sig", "")
        assert sig, "the log URL carries no SAS: the probe would be meaningless"
        needles.setdefault("SAS signature", set()).add(sig)
        failures: list[BaseException] = []
        uri = str(ws.online_endpoints.get(ep).properties.scoring_uri)
        with ScoringClient.from_uri(uri, key="wrong-" + sig[:8], http=walk.conn.http) as wrong:
            try:
                wrong.score({"data": [[1, 2, 3, 4]]})
            except AuthenticationError as exc:
                failures.append(exc)
        parts = urlsplit(log_url)
        foreign = parts._replace(scheme="https", netloc="storage.evil.example").geturl()
        try:
            BlobContainerClient.from_sas_url(ws, foreign)
        except UntrustedHostError as exc:
            failures.append(exc)
        assert len(failures) == 2, failures
        for failure in failures:
            texts.extend([str(failure), repr(failure)])
            logging.getLogger("tests.security").error("expected failure", exc_info=failure)

    return probe


def _run_demo(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch, stdout: io.StringIO,
              stderr: io.StringIO) -> dict[str, Any]:
    needles: dict[str, set[str]] = {"issued token": set(), "blob-store signature": set(), "endpoint key": set()}
    _record(monkeypatch, emu.ctx.signer, "issue", needles["issued token"])
    _record(monkeypatch, emulator_sas, "sign", needles["blob-store signature"])  # every SAS the store hands out
    _record(monkeypatch, OnlineEndpointOperations, "keys", needles["endpoint key"],
            lambda r: (r.primary_key, r.secondary_key))
    needles["account key"] = {accounts.account_key(emu.ctx, ACCOUNT)}

    capture = Capture()
    texts: list[str] = []
    with root_debug(capture):
        conn = emulator_connection(emu.base_url, label="the emulator", http=HttpConfig(trust_env=False))
        ids = emulator_ids(EMULATOR_ACCOUNT["subscription_id"], RG)
        settings = DemoSettings(azure=False, resource_group=RG, workspace=WS, location="eastus",
                                experiment="secrets-v2-exp", compute="cpu-compute", lro_delay=0.1, keep=False,
                                storage_account=ids["storage_account"], key_vault=ids["key_vault"],
                                application_insights=ids["application_insights"],
                                container_registry=ids["container_registry"], debug=True)
        parts: list[CurrentApiPart] = []

        def make(walk: Walkthrough) -> CurrentApiPart:
            parts.append(CurrentApiPart(walk, CurrentApiSettings(poll_first=0.1, poll_max=0.5)))
            return parts[0]

        out, err = io.StringIO(), io.StringIO()
        walk = Walkthrough(settings, conn, out, err, parts=[make])
        names = [n for n, _ in walk.steps]
        at = names.index("delete the endpoint")
        walk.steps.insert(at, ("secret probes", _probe_step(walk, parts[0], texts, needles)))
        rc = walk.run()
        texts += [out.getvalue(), err.getvalue(), repr(walk.state), repr(conn), repr(conn.credential),
                  repr(settings)]
        steps_ok = out.getvalue().count("\n      ok (")
        assert rc == 0, out.getvalue()[-3000:] + err.getvalue()[-3000:]
    texts += [stdout.getvalue(), stderr.getvalue(), *capture.parts]
    return {"text": "\n".join(texts), "needles": needles, "records": len(capture.parts), "steps_ok": steps_ok,
            "steps": len(walk.steps)}


def test_whole_demo_at_debug_leaks_no_key_signature_or_token(scan: dict[str, Any], figures: Figures) -> None:
    everything: str = scan["text"]
    needles: dict[str, set[str]] = scan["needles"]
    assert scan["steps_ok"] == scan["steps"]
    # the scan means something: the v2 part ran, and every kind of secret was handed out and used
    for step in STEPS:
        assert f"] {step}\n" in everything
    for kind in ("issued token", "blob-store signature", "endpoint key", "SAS signature", "account key"):
        assert needles.get(kind), f"no {kind} collected"
    assert len(needles["endpoint key"]) >= 3, "the rotation's new key was not seen"  # primary, secondary, new
    assert scan["records"] > 200 and "azureml_rest.transport" in everything
    assert "sig=REDACTED" in everything  # SAS URLs were logged, redacted
    leaks = find_leaks(everything, needles)
    for key, n in (("log_records", scan["records"]), ("chars", len(everything)),
                   ("tokens_issued", len(needles["issued token"])),
                   ("blob_signatures", len(needles["blob-store signature"])),
                   ("endpoint_keys", len(needles["endpoint key"])), ("leaks", len(leaks))):
        figures.set(f"demo_v2_scan_{key}", n)
    assert not leaks, leaks
