"""1. Per call, warm connections: workspace GET, run GET and the current API's job GET through the overlay (and
its generated client) vs raw ``httpx.Client.get(...).json()``; the same workspace GET through
azure-mgmt-machinelearningservices.

All clients hold keep-alive connections to one emulator process and send the same bearer token. Calls are
interleaved (order rotated every round) and the median per call is compared.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from azureml_machinelearning_client import API_VERSION as V2_API  # the current API's (group machinelearning)

from ._context import Context, StaticTokenCredential
from ._emulator import SUBSCRIPTION, EmulatorProcess, emulator
from ._results import Result, skipped
from ._seed import EXPERIMENT, RG, WS, create_workspace, run_url, seed_runs, ws_path
from ._stats import interleaved, median, paired_ratio

NAME = "percall"
GOAL = 1.10
RUN_ID = "bench-run-000000"


def _overlay(emu: EmulatorProcess, token: str) -> tuple[Any, Any]:
    from azureml_rest.client import AzureML
    from azureml_rest.clouds import Cloud

    ml = AzureML(StaticTokenCredential(token), SUBSCRIPTION, cloud=Cloud.emulator(emu.base_url))
    return ml, ml.workspace(RG, WS)


def _mgmt_client(emu: EmulatorProcess, token: str) -> Any:
    try:
        from azure.mgmt.machinelearningservices import MachineLearningServicesMgmtClient
    except ImportError:
        return None
    credential: Any = StaticTokenCredential(token)
    return MachineLearningServicesMgmtClient(credential, SUBSCRIPTION, base_url=emu.base_url,
                                             api_version="2019-11-01")


def _parse_cost(doc: dict[str, Any], n: int = 2000) -> float:
    """Milliseconds of CPU per ``Run.from_dict`` of one run document (median of 5 batches)."""
    from azureml_history_client.models.run import Run

    batches = []
    for _ in range(5):
        c0 = time.thread_time()
        for _ in range(n):
            Run.from_dict(doc)
        batches.append((time.thread_time() - c0) / n * 1000)
    return median(batches)


def run(ctx: Context) -> list[Result]:
    rounds = 40 if ctx.quick else 300
    with emulator() as emu:
        create_workspace(emu)
        token = emu.token()
        seed_runs(emu, token, 1)
        ml, ws = _overlay(emu, token)
        ws_url = f"{emu.base_url}{ws_path()}"
        raw = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60, trust_env=False)
        mgmt = _mgmt_client(emu, token)
        from azureml_management_client import Client as MgmtGenClient
        from azureml_management_client.api.workspaces import workspaces_get

        job = ws.jobs.submit("python -c pass", image="python:3.11-slim", experiment_name="bench-v2",
                             name="bench-v2-job")
        job_url = f"{emu.base_url}{ws_path()}/jobs/{job.name}"
        bare = MgmtGenClient(base_url=emu.base_url, headers={"Authorization": f"Bearer {token}"})
        fns: dict[str, Any] = {
            "raw_ws": lambda: raw.get(ws_url, params={"api-version": "2019-11-01"}).json(),
            "ours_ws": ws.get,
            "gen_ws": lambda: workspaces_get.sync(SUBSCRIPTION, RG, WS, client=bare),
            "raw_run": lambda: raw.get(run_url(emu, RUN_ID), params={"api-version": "2019-11-01"}).json(),
            "ours_run": lambda: ws.v1.runs.get(EXPERIMENT, RUN_ID),
            "raw_job": lambda: raw.get(job_url, params={"api-version": V2_API}).json(),
            "ours_job": lambda: ws.jobs.get("bench-v2-job"),
        }
        if mgmt is not None:
            fns["mgmt_ws"] = lambda: mgmt.workspaces.get(RG, WS, enforce_https=False)
        for fn in fns.values():  # every path works before anything is timed
            assert fn() is not None
        ctx.log(f"percall: {rounds} interleaved rounds of {len(fns)} calls")
        wall, cpu = interleaved(fns, rounds)
        t = {k: median(v) * 1000 for k, v in wall.items()}
        c = {k: median(v) * 1000 for k, v in cpu.items()}
        paired = {k: paired_ratio(wall[f"ours_{k}"], wall[f"raw_{k}"]) for k in ("ws", "run", "job")}
        emu_doc = raw.get(run_url(emu, RUN_ID), params={"api-version": "2019-11-01"}).json()
        raw.close()
        ml.close()
        bare.get_httpx_client().close()
    note = (f"median of {rounds} interleaved calls, warm keep-alive; median of per-round ratios "
            f"{paired['ws']:.2f}x")
    out = [
        Result("percall.workspace_get (overlay vs raw httpx)", t["ours_ws"], t["raw_ws"], "ms", f"<= {GOAL:.2f}x",
               t["ours_ws"] <= GOAL * t["raw_ws"], note=note),
        Result("percall.run_get (overlay vs raw httpx)", t["ours_run"], t["raw_run"], "ms", f"<= {GOAL:.2f}x",
               t["ours_run"] <= GOAL * t["raw_run"], note=f"median of per-round ratios {paired['run']:.2f}x"),
        Result("percall.job_get (v2 ws.jobs.get vs raw httpx)", t["ours_job"], t["raw_job"], "ms",
               f"<= {GOAL:.2f}x", t["ours_job"] <= GOAL * t["raw_job"],
               note=f"the current API (api-version {V2_API}); median of per-round ratios {paired['job']:.2f}x"),
        Result("percall.job_get client CPU (v2 overlay vs raw httpx)", c["ours_job"], c["raw_job"], "ms"),
        Result("percall.workspace_get client CPU (overlay vs raw httpx)", c["ours_ws"], c["raw_ws"], "ms",
               note="this thread's CPU per call: the client's own cost without the server's"),
        Result("percall.workspace_get client CPU (generated client alone vs raw httpx)", c["gen_ws"], c["raw_ws"],
               "ms", note="the overlay's own share is the overlay row minus this one"),
        Result("percall.run_get client CPU (overlay vs raw httpx)", c["ours_run"], c["raw_run"], "ms"),
        Result("percall.run_get client CPU (generated Run.from_dict alone)", _parse_cost(emu_doc), None, "ms",
               note="part of the overlay's figure above: the generated model's parsing"),
        Result("percall.workspace_get (generated client alone vs raw)", t["gen_ws"], t["raw_ws"], "ms",
               note="the generated layer without the overlay: where the time goes"),
    ]
    if "mgmt_ws" in t:
        out.append(Result("percall.workspace_get (azure-mgmt-machinelearningservices vs raw)", t["mgmt_ws"],
                          t["raw_ws"], "ms", "expected ~2x", None))
    else:
        out.append(skipped("percall.workspace_get (azure-mgmt-machinelearningservices vs raw)",
                           "azure-mgmt-machinelearningservices not installed"))
    return out
