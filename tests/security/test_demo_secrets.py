"""The demo walkthrough at DEBUG logging leaks no client secret, access token, service key or SAS signature.

Everything is captured: every log record of every logger (the root logger at DEBUG, formatted with exception
text), what the walkthrough prints (stdout and stderr), the text and repr of errors the library raises for bad
credentials and keys, and the reprs of the objects the walkthrough holds. The needles are collected first-hand:
every token the emulator's signer issued, every key ``listkeys``/``regenerateKeys`` returned, the development
secret, plus any JWT-shaped string and any 64-hex ``sig=`` value.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import EMULATOR_ACCOUNT
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import ServicePrincipalCredential
from azureml_rest.errors import AzureMLError
from azureml_rest.operations.scoring import ScoringClient
from azureml_rest.operations.services import ServiceOperations

from demo.connection import emulator_connection
from demo.settings import DemoSettings, emulator_ids
from demo.walkthrough import Walkthrough
from tests.emulator_fixture import EmulatorFactory
from tests.reliability.figures import Figures
from tests.security.secret_scan import JWT_RE, Capture, root_debug

SECRET = EMULATOR_ACCOUNT["client_secret"]
SIG_RE = re.compile(r"sig=[0-9a-f]{64}")


@pytest.fixture(scope="module")
def emu(session_emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    # In-process whatever the mode: a test wraps the emulator's token signer (emu.ctx.signer).
    with session_emulator_factory(mode="inprocess", lro_delay=0.2) as running:  # stopped at the module's end
        yield running


@pytest.fixture(scope="module")
def scan(emu: RunningEmulator) -> Iterator[dict[str, Any]]:
    """Runs the demo once at DEBUG and returns ``{"text", "issued", "keys", "records"}``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch, contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        yield _run_demo(emu, monkeypatch, stdout, stderr)


def _run_demo(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch, stdout: io.StringIO,
              stderr: io.StringIO) -> dict[str, Any]:
    issued: list[str] = []
    real_issue = emu.ctx.signer.issue

    def recording_issue(claims: dict[str, Any]) -> str:
        tok = real_issue(claims)
        issued.append(tok)
        return tok

    monkeypatch.setattr(emu.ctx.signer, "issue", recording_issue)
    keys: list[str] = []
    for name in ("keys", "regenerate_key"):
        real = getattr(ServiceOperations, name)

        def recording(self: Any, *a: Any, _real: Any = real, **kw: Any) -> Any:
            result = _real(self, *a, **kw)
            keys.extend(k for k in (result.primary_key, result.secondary_key) if k)
            return result

        monkeypatch.setattr(ServiceOperations, name, recording)

    capture = Capture()
    texts: list[str] = []
    with root_debug(capture):
        cloud = Cloud.emulator(emu.base_url)
        # The demo's connection: its HttpConfig carries the demo's on_event hook (what the walkthrough prints).
        conn = emulator_connection(emu.base_url, label="the emulator", http=HttpConfig(trust_env=False))
        cred, http = conn.credential, conn.http
        rg = "secrets-rg"
        ids = emulator_ids(EMULATOR_ACCOUNT["subscription_id"], rg)
        settings = DemoSettings(azure=False, resource_group=rg, workspace="secrets-ws", location="eastus",
                                experiment="secrets-exp", compute="cpu-compute", lro_delay=0.2, keep=True,
                                storage_account=ids["storage_account"], key_vault=ids["key_vault"],
                                application_insights=ids["application_insights"],
                                container_registry=ids["container_registry"], debug=True)
        out, err = io.StringIO(), io.StringIO()
        walk = Walkthrough(settings, conn, out, err)
        # keep=True leaves the service up so the reprs below and the error cases can use it
        walk_close = walk._close
        monkeypatch.setattr(walk, "_close", lambda: None)
        rc = walk.run()
        texts += [out.getvalue(), err.getvalue(), repr(walk.state), repr(conn), repr(cred), repr(settings)]
        assert rc == 0, out.getvalue()[-2000:] + err.getvalue()[-2000:]
        st = walk.state
        ws = st.ws
        assert ws is not None
        texts += [repr(st.ml), repr(ws), repr(st.scoring), str(ws.v1.services.get(str(st.service_id)))]
        texts.append(repr(ws.v1.services.keys(str(st.service_id))))
        # errors the library raises around secrets: their text and repr must not carry them either
        bad_tenant = ServicePrincipalCredential("00000000-0000-4000-8000-0000000000ff", EMULATOR_ACCOUNT["client_id"],
                                                SECRET, cloud=cloud, http_config=http)
        failures: list[BaseException] = []
        try:
            bad_tenant.get_token(cloud.arm_scope)
        except AzureMLError as exc:
            failures.append(exc)
        scoring_uri = str(ws.v1.services.get(str(st.service_id)).scoring_uri)
        with ScoringClient.from_uri(scoring_uri, key=keys[0] + "-wrong", http=http) as wrong:
            try:
                wrong.score({"data": [[1, 2, 3, 4]]})
            except AzureMLError as exc:
                failures.append(exc)
        assert len(failures) == 2, failures
        for failure in failures:
            texts += [str(failure), repr(failure)]
            logging.getLogger("tests.security").error("expected failure", exc_info=failure)
        walk_close()
        cred.close()
    texts += [stdout.getvalue(), stderr.getvalue(), *capture.parts]
    return {"text": "\n".join(texts), "issued": set(issued), "keys": set(keys), "records": len(capture.parts)}


def test_demo_at_debug_leaks_no_secret_token_or_key(scan: dict[str, Any], figures: Figures) -> None:
    everything: str = scan["text"]
    assert scan["issued"] and scan["keys"], "nothing collected: the scan would be meaningless"
    assert scan["records"] > 100 and "azureml_rest.transport" in everything
    leaks: list[str] = []
    if SECRET in everything:
        leaks.append("client secret")
    leaks += [f"issued token {t[:10]}..." for t in scan["issued"] if t in everything]
    leaks += [f"service key {k[:3]}..." for k in scan["keys"] if k in everything]
    leaks += [f"JWT-shaped {m.group(0)[:10]}..." for m in JWT_RE.finditer(everything)]
    figures.set("demo_scan_tokens_issued", len(scan["issued"]))
    figures.set("demo_scan_keys_seen", len(scan["keys"]))
    figures.set("demo_scan_log_records", scan["records"])
    figures.set("demo_scan_chars", len(everything))
    figures.set("demo_scan_leaks", len(leaks))
    assert not leaks, leaks


def test_demo_at_debug_leaks_no_sas_signature(scan: dict[str, Any], figures: Figures) -> None:
    found = [m.group(0)[:12] + "..." for m in SIG_RE.finditer(scan["text"])]
    figures.set("demo_scan_sas_signatures_in_logs", len(found))
    assert not found, found
