"""The conformance walkthrough at 2025-12-01, jobs and the run history they use: a tiny command job submitted
and waited for until Completed, its run details (log files), rundata, output URIs (the data service) and metrics
read back (a job's name is its run id), another job cancelled (its ``Location`` followed), listing and deleting."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.generated.emulator_world import TERMINAL_RUN, World, ok
from tests.generated.ml_world import SLEEP, V2, job, metric_batch

from .walk_common import follow, ml_env

METRIC = "accuracy"


def wait_job(http: httpx.Client, path: str, timeout: float = 120) -> dict[str, Any]:
    """GET a job (Jobs_Get) until its status is terminal."""
    deadline = time.monotonic() + timeout
    while True:
        found: dict[str, Any] = ok(http.get(path, params=V2)).json()
        if found["properties"]["status"] in TERMINAL_RUN:
            return found
        assert time.monotonic() < deadline, f"job still {found['properties']['status']}"
        time.sleep(0.2)


def walk_jobs(http: httpx.Client, w: World, seed: httpx.Client) -> None:
    """Every Jobs_* operation and the run-history reads of a job; ``seed`` (not validated) logs the job's metric,
    a write v2 jobs make from inside the run (mlflow) that no spec of ours declares."""
    e = ml_env(http, w)
    jobs = f"{w.ws_path}/jobs"
    name = job(e, "python -c \"print('walked')\"")  # Jobs_CreateOrUpdate, 201
    done = wait_job(http, f"{jobs}/{name}")
    assert done["properties"]["status"] == "Completed", done["properties"]
    _run_history(http, w, name, seed)
    sleeper = job(e, SLEEP)
    follow(http, ok(http.post(f"{jobs}/{sleeper}/cancel", params=V2), 200, 202))
    assert wait_job(http, f"{jobs}/{sleeper}")["properties"]["status"] == "Canceled"
    listed = ok(http.get(jobs, params={**V2, "jobType": "Command"})).json()["value"]
    assert {name, sleeper} <= {j["name"] for j in listed}
    follow(http, ok(http.delete(f"{jobs}/{name}", params=V2), 200, 202, 204))
    assert http.get(f"{jobs}/{name}", params=V2).status_code == 404


def _run_history(http: httpx.Client, w: World, run_id: str, seed: httpx.Client) -> None:
    history, metrics = f"/history/v1.0{w.ws_path}", f"/metric/v2.0{w.ws_path}/runs/{run_id}"
    details = ok(http.get(f"{history}/runs/{run_id}/details")).json()
    assert details["logFiles"], "the job's run details list no log files"
    asked = {"runId": run_id, "selectRunMetadata": True, "selectRunDefinition": True, "selectJobSpecification": True}
    asset_id = ok(http.post(f"{history}/rundata", json=asked)).json()["runMetadata"]["outputs"]["default"]["assetId"]
    resolve = {"values": [asset_id, asset_id.replace(run_id, "no_such_job")]}
    data = f"/data/v1.0{w.ws_path}/dataversion/batchGetResolvedUris"
    resolved = ok(http.post(data, params={"api-version": "1.5.0"}, json=resolve)).json()["values"]
    assert list(resolved) == [asset_id], "an unknown asset id is left out"
    ok(seed.post(f"{metrics}/batch", json=metric_batch(METRIC)))
    listed = ok(http.post(f"{metrics}/list", json={})).json()["value"]
    assert [m["metricKey"]["name"] for m in listed] == [METRIC]
    ok(http.post(f"{metrics}/full", json={"metricName": METRIC}))
    assert http.post(f"{metrics}/full", json={"metricName": "never-logged"}).status_code == 404
