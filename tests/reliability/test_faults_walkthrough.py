"""The demo walkthrough (demo/walkthrough.py) against an emulator injecting faults.

About 20% of requests get a fault (fixed seed): 429 with ``Retry-After``/``retry-after-ms``, 503, a dropped
connection, or a slow answer. The walkthrough must complete with every step reported ``ok``, and its one
submission must have created exactly one run (counted through the run-history API).

Where faults are injected: every path EXCEPT the four non-idempotent POST endpoints the overlay deliberately
does not repeat (``retry.is_retry_safe``: model register ``POST .../models``, service create
``POST .../services``, ``POST .../regenerateKeys``, scoring ``POST .../score``; their GETs on the same paths are
spared too). What happens on those four is pinned by :func:`test_non_idempotent_posts_fail_typed_and_once`:
one attempt, a typed error, nothing created twice. See tests/reliability/README.md for the figures.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azureml_emulator.faults import FaultInjector
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import EMULATOR_ACCOUNT, AzureML
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import ServicePrincipalCredential
from azureml_rest.errors import ServerError, ThrottledError
from azureml_rest.retry import RetryPolicy
from azureml_rest.transport import ConnectionFailedError

from demo.connection import service_principal
from demo.settings import DemoSettings, emulator_ids
from demo.walkthrough import Walkthrough
from tests.emulator_fixture import EmulatorFactory
from tests.reliability.figures import Figures
from tests.security.env import RG as POP_RG
from tests.security.env import WS as POP_WS
from tests.security.env import populate

FAULT_RATE = 0.2
#: A seed whose first 35 draws (the walkthrough makes ~47 faultable requests) hold every kind at least twice.
FAULT_SEED = 95
KINDS = ("429", "503", "drop", "slow")
SLOW_SECONDS = 0.3
#: Path endings of the non-idempotent POSTs (lower-case); not faulted in the walkthrough run.
NOT_RETRY_SAFE = ("/models", "/services", "/regeneratekeys", "/score")
RG, WS, EXP = "faulty-rg", "faulty-ws", "faulty-exp"


class RetrySafeFaults(FaultInjector):
    """The emulator's injector, minus the endpoints whose POSTs the client must not repeat."""

    def choose(self, path: str, header: str | None = None) -> str | None:
        if header is None and path.lower().rstrip("/").endswith(NOT_RETRY_SAFE):
            return None
        return super().choose(path, header)


@pytest.fixture
def faulty_emulator(emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    # In-process whatever the mode: the test swaps the emulator's own FaultInjector for a subclass.
    with emulator_factory(mode="inprocess", lro_delay=0.3) as emu:
        emu.ctx.faults = RetrySafeFaults(rate=FAULT_RATE, kinds=KINDS, seed=FAULT_SEED)
        emu.ctx.faults.slow_seconds = SLOW_SECONDS
        yield emu


def _patient_http() -> HttpConfig:
    # 9 attempts per request: P(every attempt faulted) = 0.2**9 ≈ 5e-7, so ~250 requests cannot plausibly lose
    # one to bad luck; short backoffs keep the test quick (429s still wait their retry-after-ms).
    return HttpConfig(retry=RetryPolicy(max_retries=8, backoff_factor=0.05, max_backoff=0.5), trust_env=False)


def _count_runs(ws: Any, experiment: str) -> int:
    return sum(1 for _ in ws.v1.runs.list(experiment))


def test_walkthrough_completes_under_faults(faulty_emulator: RunningEmulator, tmp_path: Path,
                                            figures: Figures) -> None:
    emu = faulty_emulator
    cloud = Cloud.emulator(emu.base_url)
    conn = service_principal("a faulty emulator", cloud, EMULATOR_ACCOUNT["subscription_id"],
                             EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                             EMULATOR_ACCOUNT["client_secret"], http=_patient_http())
    ids = emulator_ids(EMULATOR_ACCOUNT["subscription_id"], RG)
    settings = DemoSettings(azure=False, resource_group=RG, workspace=WS, location="eastus", experiment=EXP,
                            compute="cpu-compute", lro_delay=0.3, keep=False, storage_account=ids["storage_account"],
                            key_vault=ids["key_vault"], application_insights=ids["application_insights"],
                            container_registry=ids["container_registry"])
    out, err = io.StringIO(), io.StringIO()
    walk = Walkthrough(settings, conn, out, err)
    runs_seen: list[int] = []

    def counting(fn: Callable[[], None]) -> Callable[[], None]:
        def step() -> None:
            assert walk.state.ws is not None
            runs_seen.append(_count_runs(walk.state.ws, EXP))  # before the workspace (and its runs) go
            fn()
        return step

    names = [name for name, _ in walk.steps]
    assert names[-1] == "delete the workspace" and "submit hello.py" in names
    walk.steps[-1] = (names[-1], counting(walk.steps[-1][1]))
    rc = walk.run()
    text = out.getvalue()
    counters = dict(emu.ctx.counters)
    faults = {k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("faults:")}
    report: dict[str, Any] = {"exit_status": rc, "steps": len(names), "steps_ok": text.count("\n      ok ("),
              "requests": counters.get("requests", 0), "faults_injected": counters.get("faults", 0),
              "faults_by_kind": faults, "runs_created_by_one_submission": runs_seen[0] if runs_seen else None,
              "fault_rate": FAULT_RATE, "fault_seed": FAULT_SEED}
    (tmp_path / "faults-walkthrough.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))  # also in the JSON above and in the terminal summary (-s not needed)
    figures.set("faults_walkthrough", report)
    figures.set("faults_injected", report["faults_injected"])
    figures.set("faults_survived", report["faults_injected"] if rc == 0 else 0)

    assert rc == 0, f"walkthrough failed under faults:\n{text[-3000:]}\n{err.getvalue()[-3000:]}"
    assert f"demo succeeded: {len(names)} steps" in text
    for number, name in enumerate(names, start=1):
        assert f"[{number:2d}/{len(names)}] {name}\n" in text, f"step {name!r} not reported"
    assert report["steps_ok"] == len(names), "a step did not report ok"
    assert runs_seen == [1], f"one submission created {runs_seen} runs"
    assert report["faults_injected"] > 0 and all(faults.get(k, 0) > 0 for k in KINDS), faults
    assert json.loads((tmp_path / "faults-walkthrough.json").read_text())["faults_injected"] > 0


@pytest.fixture(scope="module")
def populated(session_emulator_factory: EmulatorFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # In-process whatever the mode: exact request counts (a subprocess's /_emulator/stats read counts itself).
    with session_emulator_factory(mode="inprocess", lro_delay=0.1) as emu:  # stopped at the module's end
        yield populate(emu, tmp_path_factory.mktemp("faults-env"))


@pytest.mark.parametrize("kind", ["429", "503", "drop"])
def test_non_idempotent_posts_fail_typed_and_once(populated: Any, kind: str, figures: Figures) -> None:
    """A fault on model register is not retried: exactly one attempt reaches the emulator, the caller gets a
    typed error (429: ThrottledError with the server's retry_after; 503: ServerError) or, for a dropped
    connection, ConnectionFailedError (typed, with may_have_been_applied: a POST that is not retry-safe is not
    repeated), and no model is created."""
    emu = populated.emu
    cloud = Cloud.emulator(emu.base_url)
    with AzureML.for_emulator(emu.base_url) as ml:
        before = len(list(ml.workspace(POP_RG, POP_WS).v1.models.list()))
    # Only the data-plane requests carry the fault header: the credential has its own clean HTTP settings and
    # fetches its token first; explicit endpoints skip discovery.
    cred = ServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                      EMULATOR_ACCOUNT["client_secret"], cloud=cloud)
    cred.get_token(cloud.arm_scope)
    faulty = AzureML(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud,
                     http=HttpConfig(headers={"x-emulator-fault": kind}, trust_env=False))
    requests_before = emu.ctx.counters["requests"]
    expected: tuple[type[BaseException], ...] = {
        "429": (ThrottledError,), "503": (ServerError,), "drop": (ConnectionFailedError,)}[kind]
    with faulty, pytest.raises(expected) as info:
        faulty.workspace(POP_RG, POP_WS, endpoints={"api": emu.base_url}).v1.models.register(
            f"once-{kind}", f"aml://artifact/ExperimentRun/dcid.{populated.run_id}/outputs/model.json")
    attempts = emu.ctx.counters["requests"] - requests_before
    if kind == "429":
        assert isinstance(info.value, ThrottledError) and info.value.retry_after is not None
    with AzureML.for_emulator(emu.base_url) as ml:
        after = len(list(ml.workspace(POP_RG, POP_WS).v1.models.list()))
    figures.record("non_idempotent_post_faults", kind, f"{type(info.value).__name__}, {attempts} attempt(s)")
    assert attempts == 1, f"{kind}: model register was sent {attempts} times"
    assert after == before, "a model was created by a refused request"
