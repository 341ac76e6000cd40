"""Token lifetime: with 5-second tokens, a ~60 s run wait and bursts of 200 concurrent async calls keep working.

One :class:`ServicePrincipalCredential` serves both the sync facade (the run wait, polling with log streaming)
and the async facade (bursts of 200 concurrent calls, ARM and data plane): its cache is the one the emulator's
token counter measures. The rule under test (credentials/_token.py): a token living less than twice the refresh
window is refreshed once less than half its lifetime remains, one refresh in flight at a time. So over ``T``
seconds of steady traffic the emulator sees about ``T / (lifetime / 2)`` token requests: never one per call,
never an expired token used (no call fails).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from azureml_rest.client import EMULATOR_ACCOUNT, AsyncAzureML, AzureML
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import ServicePrincipalCredential

from tests.reliability.figures import Figures
from tests.reliability.procs import Emulator

LIFETIME = 5.0
RUN_SECONDS = 60
BURST = 200
BURST_EVERY = 4.0  # seconds between bursts: more than one burst per token lifetime
RG, WS, EXP = "tok-rg", "tok-ws", "sleepy"

SLEEPER = f"""import time
print("sleeping {RUN_SECONDS} s", flush=True)
for i in range({RUN_SECONDS}):
    time.sleep(1)
    print("tick", i, flush=True)
"""


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # A child process: sharing the test process's GIL, 200 concurrent calls queue for seconds, longer than a
    # 5-second token has left (see the 401 note below).
    with Emulator("--token-lifetime", str(LIFETIME)) as running:
        yield running


def _setup(ml: AzureML) -> None:
    ids = f"/subscriptions/{ml.subscription_id}/resourceGroups/{RG}/providers"
    ml.resource_groups.create_or_update(RG, "eastus")
    ml.workspaces.begin_create_or_update(
        RG, WS, location="eastus", storage_account=f"{ids}/Microsoft.Storage/storageAccounts/toksa",
        key_vault=f"{ids}/Microsoft.KeyVault/vaults/tokkv",
        application_insights=f"{ids}/Microsoft.Insights/components/tokai").result(timeout=30)


async def _bursts(aml: AsyncAzureML, run_id: str, done: threading.Event, stats: dict[str, int]) -> None:
    ws = aml.workspace(RG, WS)
    await ws.discovery()

    async def one(i: int) -> None:
        if i % 2:
            await aml.resource_groups.get(RG)
        else:
            await ws.v1.runs.get(EXP, run_id)
        stats["calls"] += 1

    while True:
        t0 = time.monotonic()
        async with asyncio.TaskGroup() as tg:  # any failure fails the test
            for i in range(BURST):
                tg.create_task(one(i))
        stats["bursts"] += 1
        if done.is_set():
            return
        await asyncio.sleep(max(0.0, BURST_EVERY - (time.monotonic() - t0)))


@pytest.mark.slow
@pytest.mark.serial
def test_short_tokens_survive_a_long_wait_and_bursts(emu: Emulator, tmp_path: Path, figures: Figures) -> None:
    cloud = Cloud.emulator(emu.base_url)
    http = HttpConfig()
    cred = ServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                      EMULATOR_ACCOUNT["client_secret"], cloud=cloud, http_config=http)
    invalidations = [0]
    real_invalidate = cred.invalidate

    def counting_invalidate(*scopes: str, token: str | None = None) -> None:  # BearerTokenAuth, after a 401
        invalidations[0] += 1
        real_invalidate(*scopes, token=token)

    cred.invalidate = counting_invalidate  # type: ignore[method-assign]
    project = tmp_path / "project"
    project.mkdir()
    (project / "sleeper.py").write_text(SLEEPER)
    with AzureML(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud, http=http) as ml:
        _setup(ml)
        ws = ml.workspace(RG, WS)
        run_id = ws.v1.runs.submit(EXP, project, script="sleeper.py", target="local")
        log: list[str] = []
        stats = {"calls": 0, "bursts": 0}
        done = threading.Event()

        def wait() -> Any:
            try:
                return ws.v1.runs.wait(EXP, run_id, timeout=RUN_SECONDS * 3, log_sink=log.append)
            finally:
                done.set()

        async def main() -> Any:
            aml = AsyncAzureML(cred, EMULATOR_ACCOUNT["subscription_id"], cloud=cloud, http=http)
            try:
                async with asyncio.TaskGroup() as tg:
                    waiter = tg.create_task(anyio.to_thread.run_sync(wait))
                    tg.create_task(_bursts(aml, run_id, done, stats))
                return waiter.result()
            finally:
                await aml.aclose()

        tokens_before = int(emu.stats().get("token", 0))
        started = time.monotonic()
        run = asyncio.run(main())
        elapsed = time.monotonic() - started
        tokens = int(emu.stats().get("token", 0)) - tokens_before
    cred.close()

    assert str(run.status) == "Completed"
    assert "tick 59" in "".join(log)
    assert elapsed >= RUN_SECONDS - 1
    # Refreshed at half-life: about elapsed / 2.5 token requests (+1 for the first, +1 at a boundary), plus one
    # per 401: a request that got its token and then queued for a connection longer than the token had left
    # is refused once, and the auth flow fetches a new token and sends it again (counted as invalidations).
    upper = elapsed / (LIFETIME / 2) + 2 + invalidations[0]
    lower = elapsed / LIFETIME - 1  # at least one per expiry, or calls would have failed with expired tokens
    figures.set("token_lifetime_seconds", LIFETIME)
    figures.set("token_elapsed_seconds", round(elapsed, 1))
    figures.set("token_requests", tokens)
    figures.set("token_calls_made", stats["calls"])
    figures.set("token_bursts_of_200", stats["bursts"])
    figures.set("token_refetches_after_401", invalidations[0])
    assert stats["bursts"] >= RUN_SECONDS / BURST_EVERY - 2 and stats["calls"] == stats["bursts"] * BURST
    assert lower <= tokens <= upper, f"{tokens} token requests in {elapsed:.1f} s (expected {lower:.0f}..{upper:.0f})"
    assert tokens * 20 < stats["calls"], "tokens are being fetched per call"
