"""5. Paging: every run of an experiment (``runs:query`` + ``continuationToken``) and every registered model
(``nextLink``) through the overlay's pagers vs raw httpx following the same pages (server's default page
size, 100, on both sides). 10,000 runs and 10,000 models (``--quick`` 300 of each), seeded first through the
same API (seeding time reported in the notes). Overlay and raw alternate, 5 rounds; medians. Goal: <= 1.10x
raw (same as a single call). The typed pager parses every item into the generated models, raw httpx hands back
dicts: the "raw httpx + generated Run.from_dict" row is the floor for any typed pager.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from ._context import Context, StaticTokenCredential
from ._emulator import SUBSCRIPTION, EmulatorProcess, emulator
from ._results import Result
from ._seed import EXPERIMENT, RG, WS, create_workspace, models_url, seed_models, seed_runs, ws_path
from ._stats import median

NAME = "paging"
GOAL = 1.10


def _raw_runs(c: httpx.Client, emu: EmulatorProcess) -> int:
    url = f"{emu.base_url}/history/v1.0{ws_path()}/experiments/{EXPERIMENT}/runs:query"
    count, body = 0, dict[str, Any]()
    while True:
        page = c.post(url, json=body, params={"api-version": "2019-11-01"}).json()
        count += len(page.get("value") or [])
        token = page.get("continuationToken")
        if not token:
            return count
        body = {"continuationToken": token}


def _raw_runs_parsed(c: httpx.Client, emu: EmulatorProcess) -> int:
    """Raw httpx pages, each item turned into the generated ``Run`` model (the parsing the pager does)."""
    from azureml_history_client.models.run import Run

    url = f"{emu.base_url}/history/v1.0{ws_path()}/experiments/{EXPERIMENT}/runs:query"
    count, body = 0, dict[str, Any]()
    while True:
        page = c.post(url, json=body, params={"api-version": "2019-11-01"}).json()
        count += len([Run.from_dict(d) for d in page.get("value") or []])
        token = page.get("continuationToken")
        if not token:
            return count
        body = {"continuationToken": token}


def _raw_models(c: httpx.Client, emu: EmulatorProcess) -> int:
    page = c.get(models_url(emu), params={"api-version": "2019-11-01"}).json()
    count = len(page.get("value") or [])
    while page.get("nextLink"):
        page = c.get(page["nextLink"]).json()
        count += len(page.get("value") or [])
    return count


def run(ctx: Context) -> list[Result]:
    n = 300 if ctx.quick else 10_000
    n_models = 300 if ctx.quick else 10_000
    reps = 1 if ctx.quick else 5  # each listing now takes 2-3 s; single listings vary by +-15%
    from azureml_rest.client import AzureML
    from azureml_rest.clouds import Cloud

    with emulator() as emu:
        create_workspace(emu)
        token = emu.token()
        seed_r = seed_runs(emu, token, n)
        ctx.log(f"paging: seeded {n} runs in {seed_r:.1f} s")
        seed_m = seed_models(emu, token, n_models)
        ctx.log(f"paging: seeded {n_models} models in {seed_m:.1f} s")
        credential: Any = StaticTokenCredential(token)
        ml = AzureML(credential, SUBSCRIPTION, cloud=Cloud.emulator(emu.base_url))
        ws = ml.workspace(RG, WS)
        raw = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=120, trust_env=False)
        fns: dict[str, Callable[[], int]] = {
            "ours_runs": lambda: sum(1 for _ in ws.v1.runs.list(EXPERIMENT)),
            "raw_runs": lambda: _raw_runs(raw, emu),
            "raw_runs_parsed": lambda: _raw_runs_parsed(raw, emu),
            "ours_models": lambda: sum(1 for _ in ws.v1.models.list()),
            "raw_models": lambda: _raw_models(raw, emu),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for k, fn in fns.items():  # warm-up, and every path sees every item
            got, want = fn(), (n_models if "models" in k else n)
            if got != want:
                raise RuntimeError(f"paging {k}: expected {want} items, got {got}")
        for rep in range(reps):
            names = list(fns) if rep % 2 == 0 else list(reversed(fns))
            for k in names:
                t0 = time.perf_counter()
                fns[k]()
                times[k].append(time.perf_counter() - t0)
        raw.close()
        ml.close()
    t = {k: median(v) for k, v in times.items()}
    seeding = f"seeding took {seed_r:.0f} s (runs, PATCH) and {seed_m:.0f} s (models, POST), 16 in flight"
    return [
        Result(f"paging.{n} runs (overlay pager vs raw httpx)", t["ours_runs"], t["raw_runs"], "s",
               f"<= {GOAL:.2f}x", t["ours_runs"] <= GOAL * t["raw_runs"], note=f"median of {reps}; {seeding}"),
        Result(f"paging.{n} runs (raw httpx + generated Run.from_dict vs raw httpx)", t["raw_runs_parsed"],
               t["raw_runs"], "s", note="the generated models' parsing alone: the floor for any typed pager"),
        Result(f"paging.{n_models} models (overlay pager vs raw httpx)", t["ours_models"], t["raw_models"], "s",
               f"<= {GOAL:.2f}x", t["ours_models"] <= GOAL * t["raw_models"]),
    ]
