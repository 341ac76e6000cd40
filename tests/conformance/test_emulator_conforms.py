"""Everything the emulator answers in a full walkthrough validates against specs/*.yaml (openapi-core).

One httpx client with a response hook (tests/tools/openapi_validation.SpecRecorder) drives the article's API
(``_drive``): resource groups, workspace LRO (Location and Azure-AsyncOperation), discovery, computes,
experiments, startrun, snapshotrun, runs, details, artifacts, models, services LRO (Operation-Location), keys,
token, scoring, cancel, deletes, and typical error answers (404s, a bad body); then the current API at 2025-12-01
(walk_assets, walk_jobs, walk_online: assets, code upload to the blob store, jobs and their run history, online
endpoints and deployments, the operation-status GETs). Each response is validated against the spec chosen by its
path prefix and api-version, and each accepted request too. The test fails listing every violation (operation,
status, field, message), and fails if the walkthrough missed an operation of the specs.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from azureml_rest._registry import GROUPS

from tests.generated.emulator_world import (
    ARM_API,
    DP_API,
    RG_API,
    World,
    build_world,
    compute_body,
    definition,
    make_zip,
    ok,
    poll_location,
    service_body,
    start_run,
    wait_operation,
    wait_run,
    workspace_body,
)
from tests.generated.support import spec_operations
from tests.tools.openapi_validation import SpecRecorder, spec_name

from .walk_assets import walk_assets, walk_side_by_side
from .walk_jobs import walk_jobs
from .walk_online import walk_online
from .walk_v1_sdk import walk_v1_sdk

# openapi-core warns once per oauth2 "implicit" scheme it cannot check; the bearer alternative is checked.
pytestmark = pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")


@pytest.fixture(scope="module")
def walkthrough(session_emulator: Any) -> Iterator[tuple[SpecRecorder, World]]:
    recorder = SpecRecorder()
    with httpx.Client(base_url=session_emulator.base_url, timeout=60, event_hooks=recorder.hooks()) as http:
        world = build_world(session_emulator, http)
        _drive(http, world)
        walk_assets(http, world)
        walk_side_by_side(http, world)
        # seeds writes no spec of ours declares (a job's metrics); only its reads are walked and validated
        with httpx.Client(base_url=session_emulator.base_url, timeout=60, headers=dict(http.headers)) as seed:
            walk_jobs(http, world, seed)
        walk_online(http, world)
        walk_v1_sdk(http, world)
    yield recorder, world


def recorder_hooks(http: httpx.Client) -> dict[str, list[Any]]:
    """The validating hooks of ``http``, for a one-off request without its Authorization header."""
    return {"request": list(http.event_hooks["request"]), "response": list(http.event_hooks["response"])}


def _poll_async(http: httpx.Client, url: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = ok(http.get(url)).json()
        if body["status"] not in ("InProgress", "Creating", "Updating", "Deleting", "Accepted"):
            return body
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _drive(http: httpx.Client, w: World) -> None:
    sub, arm_ws = w.sub, w.ws_path
    # --- management ---
    ok(http.get("/providers/Microsoft.MachineLearningServices/operations", params=ARM_API))
    ok(http.get(f"/subscriptions/{sub}/resourcegroups", params=RG_API))
    ok(http.get(f"/subscriptions/{sub}/resourcegroups/{w.rg}", params=RG_API))
    ok(http.get(f"/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/workspaces", params=ARM_API))
    ok(
        http.get(
            f"/subscriptions/{sub}/resourceGroups/{w.rg}/providers/Microsoft.MachineLearningServices/workspaces",
            params=ARM_API,
        )
    )
    ws = ok(http.get(arm_ws, params=ARM_API)).json()
    ok(http.patch(arm_ws, params=ARM_API, json={"properties": {"description": "walkthrough"}}))
    ok(http.post(f"{arm_ws}/listKeys", params=ARM_API))
    second_ws = (
        f"/subscriptions/{sub}/resourceGroups/{w.rg}/providers/Microsoft.MachineLearningServices/workspaces/walk-ws2"
    )
    created = ok(http.put(second_ws, params=ARM_API, json=workspace_body(sub, w.rg, w.location)))
    _poll_async(http, created.headers["Azure-AsyncOperation"])
    ok(poll_location(http, created.headers["Location"]), 200)
    # discovery (no Authorization, as the SDK fetched it)
    with httpx.Client(event_hooks=recorder_hooks(http), timeout=30) as anonymous:
        ok(anonymous.get(ws["properties"]["discoveryUrl"]))
    # computes
    c2 = f"{arm_ws}/computes/c2"
    put = ok(http.put(c2, params=ARM_API, json=compute_body(w.location, nodes=1)))
    if "Azure-AsyncOperation" in put.headers:
        _poll_async(http, put.headers["Azure-AsyncOperation"])
    ok(http.get(f"{arm_ws}/computes", params=ARM_API))
    ok(http.get(c2, params=ARM_API))
    ok(http.patch(c2, params=ARM_API, json={"properties": {"scaleSettings": {"maxNodeCount": 2, "minNodeCount": 0}}}))
    ok(http.post(f"{c2}/listKeys", params=ARM_API))
    ok(http.post(f"{c2}/listNodes", params=ARM_API))
    # --- history / execution ---
    exp = w.experiment
    ok(http.get(f"{w.history}/experiments", params=DP_API))
    ok(http.post(f"{w.history}/experiments:query", params=DP_API, json={"top": 5}))
    ok(http.get(f"{w.history}/experiments/{exp}", params=DP_API))
    ok(http.post(f"{w.history}/experiments/walk-{uuid.uuid4().hex[:4]}", params=DP_API))
    run_path = f"{w.history}/experiments/{exp}/runs/{w.run_id}"
    run = ok(http.get(run_path, params=DP_API)).json()
    ok(http.patch(run_path, params=DP_API, json={"description": "walked", "tags": {"k": "v"}}))
    details = ok(http.get(f"{run_path}/details", params=DP_API)).json()
    ok(http.get(f"{run_path}/children", params=DP_API))
    ok(http.post(f"{w.history}/experiments/{exp}/runs:query", params=DP_API, json={"top": 5}))
    ok(http.get(f"{run_path}/artifacts", params=DP_API))
    ok(http.get(f"{run_path}/artifacts/contentinfo", params={**DP_API, "path": "outputs/model.json"}))
    ok(http.get(f"{run_path}/artifacts/content", params={**DP_API, "path": "outputs/model.json"}))
    assert details["logFiles"], "run details list no log files"
    snap = ok(
        http.post(
            f"{w.execution}/experiments/{exp}/snapshotrun",
            params=DP_API,
            json={**definition("train.py"), "snapshotId": run["properties"]["ContentSnapshotId"]},
        )
    )
    wait_run(http, w.history, exp, snap.json()["runId"])
    sleeper = start_run(http, w.execution, exp, definition("s.py"), make_zip({"s.py": "import time\ntime.sleep(30)\n"}))
    ok(http.post(f"{w.execution}/experiments/{exp}/runId/{sleeper}/cancel", params=DP_API))
    wait_run(http, w.history, exp, sleeper)
    # --- model management ---
    ok(http.get(f"{w.mms}/models", params=DP_API))
    ok(http.get(f"{w.mms}/models/{w.model_id}", params=DP_API))
    extra = ok(
        http.post(
            f"{w.mms}/models",
            params=DP_API,
            json={
                "name": "walk-extra",
                "mimeType": "application/json",
                "url": f"aml://artifact/ExperimentRun/dcid.{w.run_id}/outputs/model.json",
            },
        )
    ).json()
    ok(
        http.patch(
            f"{w.mms}/models/{extra['id']}",
            params=DP_API,
            content=json.dumps([{"op": "replace", "path": "/description", "value": "d"}]),
            headers={"Content-Type": "application/json-patch+json"},
        )
    )
    ok(http.delete(f"{w.mms}/models/{extra['id']}", params=DP_API))
    ok(http.get(f"{w.mms}/services", params=DP_API))
    ok(http.get(f"{w.mms}/services/{w.service_id}", params=DP_API))
    ok(http.post(f"{w.mms}/services/{w.service_id}/listkeys", params=DP_API))
    ok(http.post(f"{w.mms}/services/{w.service_id}/token", params=DP_API))
    ok(
        http.patch(
            f"{w.mms}/services/{w.service_id}",
            params=DP_API,
            content=json.dumps([{"op": "replace", "path": "/description", "value": "walked"}]),
            headers={"Content-Type": "application/json-patch+json"},
        )
    )
    second = ok(
        http.post(f"{w.mms}/services", params=DP_API, json=service_body("walk-svc2", w.run_id, w.model_id)), 202
    )
    wait_operation(http, second.headers["Operation-Location"])
    ok(http.post(f"{w.mms}/services/walk-svc2/regenerateKeys", params=DP_API, json={"keyType": "Secondary"}))
    # --- scoring (key auth, as the article) ---
    scoring = {"Authorization": f"Bearer {w.service_key}"}
    ok(http.post(w.scoring_uri, json={"data": [[1, 2]]}, headers=scoring))
    ok(http.get(f"{w.scoring_base}/swagger.json", headers=scoring))
    # --- error answers must follow the specs' error shapes too ---
    missing = "nope-" + uuid.uuid4().hex[:4]
    assert http.get(f"{arm_ws[: arm_ws.rindex('/')]}/{missing}", params=ARM_API).status_code == 404
    assert http.get(f"{arm_ws}/computes/{missing}", params=ARM_API).status_code == 404
    assert http.get(f"/subscriptions/{sub}/resourcegroups/{missing}", params=RG_API).status_code == 404
    assert http.get(f"{w.history}/experiments/{exp}/runs/{missing}", params=DP_API).status_code == 404
    assert http.get(f"{w.mms}/models/{missing}:1", params=DP_API).status_code == 404
    assert http.get(f"{w.mms}/services/{missing}", params=DP_API).status_code == 404
    assert http.post(f"{w.mms}/models", params=DP_API, json={"name": "no-url"}).status_code == 400
    assert http.post(w.scoring_uri, json={"data": [[1]]}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    # --- deletes last ---
    ok(http.delete(f"{w.mms}/services/walk-svc2", params=DP_API))
    deleted = ok(http.delete(c2, params={**ARM_API, "underlyingResourceAction": "Delete"}))
    if "Azure-AsyncOperation" in deleted.headers:
        _poll_async(http, deleted.headers["Azure-AsyncOperation"])
    gone = ok(http.delete(second_ws, params=ARM_API))
    if "Location" in gone.headers:
        poll_location(http, gone.headers["Location"])
    tmp_rg = "walk-del-" + uuid.uuid4().hex[:4]
    ok(http.put(f"/subscriptions/{sub}/resourcegroups/{tmp_rg}", params=RG_API, json={"location": w.location}))
    ok(http.delete(f"/subscriptions/{sub}/resourcegroups/{tmp_rg}", params=RG_API))


def test_no_spec_violations(walkthrough: tuple[SpecRecorder, World]) -> None:
    recorder, _world = walkthrough
    assert len(recorder.checked) >= 80
    assert not recorder.violations, f"{len(recorder.violations)} violation(s):\n" + "\n".join(recorder.violations)


def test_walkthrough_covers_every_operation(walkthrough: tuple[SpecRecorder, World]) -> None:
    recorder, _world = walkthrough
    missed = sorted(key for key, op in spec_operations().items() if (op.group, op.operation_id) not in recorder.seen)
    assert not missed, f"operations the walkthrough never exercised: {missed}"


def test_side_by_side_api_versions_are_checked_against_their_specs(walkthrough: tuple[SpecRecorder, World]) -> None:
    recorder, _world = walkthrough
    info = GROUPS["machinelearning"]
    versions = [v for v in info.versions if v != info.api_version]
    if not versions:
        pytest.skip("machinelearning has no side-by-side api-version yet (specs/versions/)")
    for version in versions:
        spec = spec_name("machinelearning", version)
        walked = {op for name, op in recorder.seen if name == spec}
        assert {"Workspaces_Get", "Jobs_List", "OnlineEndpoints_List"} <= walked, (version, sorted(walked))


# Outside every spec: token endpoints, the emulator's own controls, and an online endpoint's scoring route (what
# it takes and answers is the user's scoring script's choice).
OUTSIDE_THE_SPECS = re.compile(r"^/_emulator/|/oauth2/|^/online/[^/]+/score$")


def test_only_token_emulator_and_scoring_paths_are_outside_the_specs(walkthrough: tuple[SpecRecorder, World]) -> None:
    recorder, _world = walkthrough
    assert any(seen.startswith("POST /online/") for seen in recorder.unspecified)
    for seen in recorder.unspecified:
        path = seen.split(" ", 1)[1]
        assert OUTSIDE_THE_SPECS.search(path), seen
