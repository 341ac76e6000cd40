"""test_every_operation's cases for the routes added for azureml-core (issue 14): model-management assets; run
history's experiment-id routes, metrics ingest wait, the content (snapshot) service and the artifact service;
ARM's generic resource listing and cloud metadata, and the regional compute reads."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from azureml_history_client import models as hm
from azureml_history_client.api.artifacts import (
    artifacts_batch_create_empty,
    artifacts_download,
    artifacts_get_content_information,
    artifacts_list_content_information_by_prefix,
    artifacts_list_in_container,
)
from azureml_history_client.api.experiments import experiments_get_by_id
from azureml_history_client.api.run_metrics import run_metrics_wait_on_ingest
from azureml_history_client.api.runs import runs_get_by_experiment_id, runs_patch_by_experiment_id
from azureml_history_client.api.snapshots import (
    snapshots_create,
    snapshots_get_blob_uris,
    snapshots_get_latest_metadata,
)
from azureml_history_client.types import File
from azureml_management_client import models as am
from azureml_management_client.api.computes import regional_compute_get, regional_compute_list_by_workspace
from azureml_management_client.api.resources import (
    metadata_get_endpoints,
    resources_list,
    resources_list_by_resource_group,
)
from azureml_modelmanagement_client import models as mm
from azureml_modelmanagement_client.api.assets import (
    assets_create,
    assets_delete,
    assets_list_query,
    assets_query_by_id,
)

from .emulator_world import DP_API, ok, path_style
from .ml_world import w3
from .operation_cases import Env, case


def _asset(e: Env) -> str:
    """A new asset of the world's run's model file (made with httpx, as set-up)."""
    body = {"name": "conf-a-" + uuid.uuid4().hex[:6],
            "artifacts": [{"prefix": f"ExperimentRun/dcid.{e.w.run_id}/outputs/model.json"}]}  # fmt: skip
    return str(ok(e.raw.post(f"{e.w.mms}/assets", params=DP_API, json=body)).json()["id"])


@case(assets_create)
def _asset_create(e: Env) -> Any:
    prefix = f"ExperimentRun/dcid.{e.w.run_id}/outputs"
    body = mm.Asset.from_dict({"name": "conf-a-" + uuid.uuid4().hex[:6], "artifacts": [{"prefix": prefix}]})
    return assets_create.sync_detailed(*w3(e), client=e.mms, body=body), {200}, mm.Asset


@case(assets_list_query)
def _asset_list(e: Env) -> Any:
    _asset(e)
    return assets_list_query.sync_detailed(*w3(e), client=e.mms), {200}, mm.PaginatedAssetList


@case(assets_query_by_id)
def _asset_get(e: Env) -> Any:
    return assets_query_by_id.sync_detailed(*w3(e), _asset(e), client=e.mms), {200}, mm.Asset


@case(assets_delete)
def _asset_delete(e: Env) -> Any:
    return assets_delete.sync_detailed(*w3(e), _asset(e), client=e.mms), {200, 204}, type(None)


# --- run history's additions: experiment ids, metrics ingest, snapshots, artifacts ---------------------------


def _experiment_id(e: Env) -> str:
    return str(ok(e.raw.get(f"{e.w.history}/experiments/{e.w.experiment}", params=DP_API)).json()["experimentId"])


@case(experiments_get_by_id)
def _exp_by_id(e: Env) -> Any:
    return experiments_get_by_id.sync_detailed(*w3(e), _experiment_id(e), client=e.hist), {200}, hm.Experiment


@case(runs_get_by_experiment_id)
def _run_by_exp_id(e: Env) -> Any:
    r = runs_get_by_experiment_id.sync_detailed(*w3(e), _experiment_id(e), e.w.run_id, client=e.hist)
    return r, {200}, hm.Run


@case(runs_patch_by_experiment_id)
def _run_patch_by_exp_id(e: Env) -> Any:
    body = hm.CreateRun.from_dict({"runId": e.w.run_id, "tags": {"by": "experiment id"}})
    r = runs_patch_by_experiment_id.sync_detailed(*w3(e), _experiment_id(e), e.w.run_id, client=e.hist, body=body)
    return r, {200}, hm.Run


@case(run_metrics_wait_on_ingest)
def _metrics_wait(e: Env) -> Any:
    r = run_metrics_wait_on_ingest.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist)
    return r, {200}, hm.RunMetricsWaitOnIngestResponse200


@case(snapshots_get_latest_metadata)
def _snap_latest(e: Env) -> Any:
    return snapshots_get_latest_metadata.sync_detailed(*w3(e), client=e.hist), {200}, hm.SnapshotMetadata


@case(snapshots_get_blob_uris)
def _snap_blobs(e: Env) -> Any:
    body = hm.SnapshotFileNames.from_dict({"FileNames": ["train.py"]})
    return snapshots_get_blob_uris.sync_detailed(*w3(e), client=e.hist, body=body), {200}, hm.SnapshotBlobUris


@case(snapshots_create)
def _snap_create(e: Env) -> Any:
    uris = ok(e.raw.post(f"{_content(e)}/snapshots/getblob", params=DP_API, json={"FileNames": ["train.py"]}))
    uri = uris.json()["fileNodes"][0]["blobUri"]
    # The URL is virtual-hosted ({account}.blob.core.localhost); the same SAS works path-style on the port.
    put = httpx.put(path_style(e.w.base_url, uri), content=b"print('snapshot')\n",
                    headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201, put.text
    leaf = {"name": "train.py", "type": "File", "hash": "f", "timestamp": "t", "children": {}}
    tree = {"name": "", "type": "Directory", "hash": "h", "timestamp": "t", "children": {"train.py": leaf}}
    body = hm.CreateSnapshot.from_dict({"ParentSnapshotId": None, "DirTreeNode": tree, "FileRevisionList": {
        "FileNodes": [{"FullName": "train.py", "BlobUri": uri, "FileSize": 18}]}})  # fmt: skip
    r = snapshots_create.sync_detailed(*w3(e), str(uuid.uuid4()), client=e.hist, body=body)
    return r, {200}, hm.SnapshotMetadata


def _content(e: Env) -> str:
    return e.w.history.replace("/history/v1.0", "/content/v2.0", 1)


def _oc(e: Env) -> tuple[str, str, str, str, str]:
    return (*w3(e), "ExperimentRun", f"dcid.{e.w.run_id}")


@case(artifacts_list_in_container)
def _art_list(e: Env) -> Any:
    return artifacts_list_in_container.sync_detailed(*_oc(e), client=e.hist), {200}, hm.PaginatedArtifactList


@case(artifacts_get_content_information)
def _art_info(e: Env) -> Any:
    r = artifacts_get_content_information.sync_detailed(*_oc(e), "outputs/model.json", client=e.hist)
    return r, {200}, hm.ArtifactContentInformation


@case(artifacts_list_content_information_by_prefix)
def _art_prefix(e: Env) -> Any:
    r = artifacts_list_content_information_by_prefix.sync_detailed(*_oc(e), "outputs", client=e.hist)
    return r, {200}, hm.PaginatedArtifactContentInformationList


@case(artifacts_download)
def _art_download(e: Env) -> Any:
    return artifacts_download.sync_detailed(*_oc(e), "outputs/model.json", client=e.hist), {200}, File


@case(artifacts_batch_create_empty)
def _art_batch(e: Env) -> Any:
    body = hm.BatchArtifactCreateCommand.from_dict({"paths": [{"path": "model.txt"}]})
    r = artifacts_batch_create_empty.sync_detailed(*w3(e), "LocalUpload", uuid.uuid4().hex, client=e.hist, body=body)
    return r, {200}, hm.BatchArtifactContentInformation


# --- management additions: generic resource listing, ARM's cloud metadata, the regional compute reads ---------

WORKSPACES = "resourceType eq 'Microsoft.MachineLearningServices/workspaces'"


@case(resources_list)
def _resources(e: Env) -> Any:
    return resources_list.sync_detailed(e.w.sub, client=e.arm, filter_=WORKSPACES), {200}, am.ResourceListResult


@case(resources_list_by_resource_group)
def _resources_rg(e: Env) -> Any:
    r = resources_list_by_resource_group.sync_detailed(e.w.sub, e.w.rg, client=e.arm, filter_=WORKSPACES)
    return r, {200}, am.ResourceListResult


@case(metadata_get_endpoints)
def _metadata(e: Env) -> Any:
    return metadata_get_endpoints.sync_detailed(client=e.arm), {200}, list


@case(regional_compute_get)
def _rp_compute(e: Env) -> Any:
    r = regional_compute_get.sync_detailed(*w3(e), e.w.compute, client=e.arm)
    return r, {200}, am.ComputeResource


@case(regional_compute_list_by_workspace)
def _rp_computes(e: Env) -> Any:
    r = regional_compute_list_by_workspace.sync_detailed(*w3(e), client=e.arm)
    return r, {200}, am.PaginatedComputeResourcesList
