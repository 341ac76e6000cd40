"""The conformance walkthrough, what azureml-core (the v1 SDK) calls besides the article's API: the experiment
and its run by experiment id, the metrics ingest wait, the project content (snapshot) service with a file put to
the blob store through its SAS by plain httpx Put Blob, the artifact service, and model-management assets (a
model registered from one with ``aml://asset/{id}``, as azureml-core registers every model)."""

from __future__ import annotations

import hashlib
import uuid

import httpx

from tests.generated.emulator_world import ARM_API, DP_API, RG_API, World, ok, path_style

WORKSPACES = {"$filter": "resourceType eq 'Microsoft.MachineLearningServices/workspaces'"}

ORIGIN = "ExperimentRun"
PUT_BLOB = {"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06"}


def walk_v1_sdk(http: httpx.Client, w: World) -> None:
    """Every azureml-core addition to specs/history.yaml, specs/modelmanagement.yaml and specs/management.yaml."""
    _by_experiment_id(http, w)
    _snapshot(http, w)
    _artifacts(http, w)
    _assets(http, w)
    _arm(http, w)


def _by_experiment_id(http: httpx.Client, w: World) -> None:
    experiment = ok(http.get(f"{w.history}/experiments/{w.experiment}", params=DP_API)).json()
    by_id = f"{w.history}/experimentids/{experiment['experimentId']}"
    ok(http.get(by_id, params=DP_API))
    ok(http.get(f"{by_id}/runs/{w.run_id}", params=DP_API))
    ok(http.patch(f"{by_id}/runs/{w.run_id}", params=DP_API, json={"tags": {"walked": "by experiment id"}}))
    ok(http.get(f"{w.history}/experiments/{w.experiment}/runs/{w.run_id}/metricsingest/wait", params=DP_API))


def _snapshot(http: httpx.Client, w: World) -> None:
    """The latest snapshot (none yet), blob URIs for one file, the file put, the snapshot made, then read back."""
    latest, snapshots = f"/content/v1.0{w.ws_path}/snapshots/latest/metadata", f"/content/v2.0{w.ws_path}/snapshots"
    assert ok(http.get(latest, params=DP_API)).json()["id"] is None
    data = b"print('snapshot')\n"
    node = ok(http.post(f"{snapshots}/getblob", params=DP_API, json={"FileNames": ["hello.py"]})).json()
    blob_uri = str(node["fileNodes"][0]["blobUri"])
    ok(httpx.put(path_style(w.base_url, blob_uri), content=data, headers=PUT_BLOB, timeout=60), 201)
    file = {"name": "hello.py", "type": "File", "hash": hashlib.sha256(data).hexdigest(), "timestamp": 0}
    revision = {"FullName": "hello.py", "BlobUri": blob_uri, "FileSize": len(data)}
    body = {
        "ParentSnapshotId": None,
        "DirTreeNode": {"name": "", "type": "Directory", "children": {"hello.py": file}},
        "FileRevisionList": {"FileNodes": [revision]},
    }
    snapshot_id = str(uuid.uuid4())
    ok(http.post(f"{snapshots}/{snapshot_id}", params=DP_API, json=body))
    assert ok(http.get(latest, params=DP_API)).json()["id"] == snapshot_id


def _artifacts(http: httpx.Client, w: World) -> None:
    """The run's artifacts; a path is one segment with its '/' encoded, as azureml-core's client sends it."""
    base, container = f"/artifact/v2.0{w.ws_path}/artifacts", f"dcid.{w.run_id}"
    model_json = "outputs%2Fmodel.json"
    listed = ok(http.get(f"{base}/{ORIGIN}/{container}", params=DP_API)).json()["value"]
    assert "outputs/model.json" in {a["path"] for a in listed}
    ok(http.get(f"{base}/contentinfo/{ORIGIN}/{container}/{model_json}", params=DP_API))
    ok(http.get(f"{base}/prefix/contentinfo/{ORIGIN}/{container}/outputs", params=DP_API))
    ok(http.get(f"{base}/content/{ORIGIN}/{container}/{model_json}", params=DP_API))
    empty = {"paths": [{"path": f"outputs/walk-{uuid.uuid4().hex[:6]}.txt"}]}
    ok(http.post(f"{base}/batch/metadata/{ORIGIN}/{container}", params=DP_API, json=empty))


def _assets(http: httpx.Client, w: World) -> None:
    prefix = {"prefix": f"{ORIGIN}/dcid.{w.run_id}/outputs/"}
    asset = ok(http.post(f"{w.mms}/assets", params=DP_API, json={"name": "walk-asset", "artifacts": [prefix]}))
    asset_id = asset.json()["id"]
    ok(http.get(f"{w.mms}/assets", params=DP_API))
    ok(http.get(f"{w.mms}/assets/{asset_id}", params=DP_API))
    model = {"name": "walk-asset-model", "url": f"aml://asset/{asset_id}", "mimeType": "application/json"}
    registered = ok(http.post(f"{w.mms}/models", params=DP_API, json=model)).json()
    ok(http.delete(f"{w.mms}/models/{registered['id']}", params=DP_API))
    ok(http.delete(f"{w.mms}/assets/{asset_id}", params=DP_API), 200)
    ok(http.delete(f"{w.mms}/assets/{asset_id}", params=DP_API), 204)


def _arm(http: httpx.Client, w: World) -> None:
    """ARM's generic resource listing (Workspace.list), its cloud metadata, the regional host's compute reads."""
    ok(http.get(f"/subscriptions/{w.sub}/resources", params={**RG_API, **WORKSPACES}))
    ok(http.get(f"/subscriptions/{w.sub}/resourceGroups/{w.rg}/resources", params={**RG_API, **WORKSPACES}))
    ok(http.get("/metadata/endpoints", params={"api-version": "2019-05-01"}))
    ok(http.get(f"/rp/workspaces{w.ws_path}/computes", params=ARM_API))
    ok(http.get(f"/rp/workspaces{w.ws_path}/computes/{w.compute}", params=ARM_API))
