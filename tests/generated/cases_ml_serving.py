"""test_every_operation's cases for the machinelearning group's jobs, online endpoints and deployments, and for
the run-history operations the current API's jobs use (a job's name is its run id)."""

from __future__ import annotations

from typing import Any

from azureml_history_client import models as hm
from azureml_history_client.api.data_versions import data_version_batch_get_resolved_uris
from azureml_history_client.api.run_metrics import run_metrics_get_full_fidelity, run_metrics_list
from azureml_history_client.api.runs import runs_get_details_by_run_id, runs_get_run_data
from azureml_machinelearning_client import models as ml
from azureml_machinelearning_client.api.jobs import jobs_cancel, jobs_create_or_update, jobs_delete, jobs_get, jobs_list
from azureml_machinelearning_client.api.online_deployments import (
    online_deployments_create_or_update,
    online_deployments_delete,
    online_deployments_get,
    online_deployments_get_logs,
    online_deployments_list,
    online_deployments_list_skus,
    online_deployments_update,
)
from azureml_machinelearning_client.api.online_endpoints import (
    online_endpoints_create_or_update,
    online_endpoints_delete,
    online_endpoints_get,
    online_endpoints_get_token,
    online_endpoints_list,
    online_endpoints_list_keys,
    online_endpoints_regenerate_keys,
    online_endpoints_update,
)

from .emulator_world import ok
from .ml_world import (
    SLEEP,
    deployment,
    deployment_body,
    endpoint,
    job,
    job_body,
    metric_batch,
    new_endpoint,
    shared_deployment,
    unique,
    w3,
    wait_status,
)
from .operation_cases import Env, case

# --- jobs ---------------------------------------------------------------------------------------------------


@case(jobs_list)
def _jobs(e: Env) -> Any:
    job(e)
    return jobs_list.sync_detailed(*w3(e), client=e.ml, job_type="Command"), {200}, ml.JobBaseResourceArmPaginatedResult


@case(jobs_get)
def _job_get(e: Env) -> Any:
    r = jobs_get.sync_detailed(*w3(e), job(e), client=e.ml)
    assert isinstance(r.parsed, ml.JobBase) and isinstance(r.parsed.properties.status, ml.JobStatus)
    return r, {200}, ml.JobBase


@case(jobs_create_or_update)
def _job_put(e: Env) -> Any:
    body = ml.JobBase.from_dict(job_body(e, "python -c \"print('created')\""))
    r = jobs_create_or_update.sync_detailed(*w3(e), unique("conf_job").replace("-", "_"), client=e.ml, body=body)
    return r, {201}, ml.JobBase


@case(jobs_cancel)
def _job_cancel(e: Env) -> Any:
    return jobs_cancel.sync_detailed(*w3(e), job(e, SLEEP), client=e.ml), {200, 202}, type(None)


@case(jobs_delete)
def _job_delete(e: Env) -> Any:
    return jobs_delete.sync_detailed(*w3(e), job(e), client=e.ml), {200, 202, 204}, type(None)


# --- online endpoints ---------------------------------------------------------------------------------------


@case(online_endpoints_list)
def _endpoints(e: Env) -> Any:
    endpoint(e)
    r = online_endpoints_list.sync_detailed(*w3(e), client=e.ml)
    return r, {200}, ml.OnlineEndpointTrackedResourceArmPaginatedResult


@case(online_endpoints_get)
def _endpoint_get(e: Env) -> Any:
    return online_endpoints_get.sync_detailed(*w3(e), endpoint(e), client=e.ml), {200}, ml.OnlineEndpoint


@case(online_endpoints_create_or_update)
def _endpoint_put(e: Env) -> Any:
    body = ml.OnlineEndpoint.from_dict({"location": e.w.location, "properties": {"authMode": "Key"}})
    r = online_endpoints_create_or_update.sync_detailed(*w3(e), unique("ep"), client=e.ml, body=body)
    assert "Azure-AsyncOperation" in r.headers
    return r, {201}, ml.OnlineEndpoint


@case(online_endpoints_update)
def _endpoint_patch(e: Env) -> Any:
    body = ml.PartialMinimalTrackedResourceWithIdentity.from_dict({"tags": {"conformance": "yes"}})
    r = online_endpoints_update.sync_detailed(*w3(e), endpoint(e), client=e.ml, body=body)
    return r, {200, 202}, (ml.OnlineEndpoint, type(None))


@case(online_endpoints_delete)
def _endpoint_delete(e: Env) -> Any:
    gone = new_endpoint(e)
    return online_endpoints_delete.sync_detailed(*w3(e), gone, client=e.ml), {200, 202, 204}, type(None)


@case(online_endpoints_list_keys)
def _endpoint_keys(e: Env) -> Any:
    return online_endpoints_list_keys.sync_detailed(*w3(e), endpoint(e), client=e.ml), {200}, ml.EndpointAuthKeys


@case(online_endpoints_regenerate_keys)
def _endpoint_regen(e: Env) -> Any:
    body = ml.RegenerateEndpointKeysRequest(key_type=ml.KeyType.SECONDARY)
    r = online_endpoints_regenerate_keys.sync_detailed(*w3(e), endpoint(e), client=e.ml, body=body)
    return r, {200, 202}, type(None)


@case(online_endpoints_get_token)
def _endpoint_token(e: Env) -> Any:
    r = online_endpoints_get_token.sync_detailed(*w3(e), endpoint(e, "AMLToken"), client=e.ml)
    return r, {200}, ml.EndpointAuthToken


# --- online deployments -------------------------------------------------------------------------------------


@case(online_deployments_list)
def _deployments(e: Env) -> Any:
    ep, _d = shared_deployment(e)
    r = online_deployments_list.sync_detailed(*w3(e), ep, client=e.ml)
    return r, {200}, ml.OnlineDeploymentTrackedResourceArmPaginatedResult


@case(online_deployments_get)
def _deployment_get(e: Env) -> Any:
    r = online_deployments_get.sync_detailed(*w3(e), *shared_deployment(e), client=e.ml)
    return r, {200}, ml.OnlineDeployment


@case(online_deployments_create_or_update)
def _deployment_put(e: Env) -> Any:
    body = ml.OnlineDeployment.from_dict(deployment_body(e))
    r = online_deployments_create_or_update.sync_detailed(*w3(e), endpoint(e), unique("d"), client=e.ml, body=body)
    if r.status_code == 201:
        assert wait_status(e.raw, r.headers["Azure-AsyncOperation"])["status"] == "Succeeded"
    return r, {201}, ml.OnlineDeployment


@case(online_deployments_update)
def _deployment_patch(e: Env) -> Any:
    body = ml.PartialMinimalTrackedResourceWithSku.from_dict({"tags": {"conformance": "yes"}})
    r = online_deployments_update.sync_detailed(*w3(e), *shared_deployment(e), client=e.ml, body=body)
    return r, {200, 202}, (ml.OnlineDeployment, type(None))


@case(online_deployments_delete)
def _deployment_delete(e: Env) -> Any:
    ep = endpoint(e)
    gone = deployment(e, ep)
    return online_deployments_delete.sync_detailed(*w3(e), ep, gone, client=e.ml), {200, 202, 204}, type(None)


@case(online_deployments_get_logs)
def _deployment_logs(e: Env) -> Any:
    body = ml.DeploymentLogsRequest(container_type=ml.ContainerType.INFERENCESERVER, tail=20)
    r = online_deployments_get_logs.sync_detailed(*w3(e), *shared_deployment(e), client=e.ml, body=body)
    return r, {200}, ml.DeploymentLogs


@case(online_deployments_list_skus)
def _deployment_skus(e: Env) -> Any:
    r = online_deployments_list_skus.sync_detailed(*w3(e), *shared_deployment(e), client=e.ml)
    return r, {200}, ml.SkuResourceArmPaginatedResult


# --- run history as the current API's jobs use it -----------------------------------------------------------


@case(runs_get_details_by_run_id)
def _run_details(e: Env) -> Any:
    r = runs_get_details_by_run_id.sync_detailed(*w3(e), e.w.run_id, client=e.hist)
    return r, {200}, hm.RunDetails


@case(runs_get_run_data)
def _run_data(e: Env) -> Any:
    body = hm.GetRunDataRequest(run_id=e.w.run_id, select_run_metadata=True, select_run_definition=True)
    return runs_get_run_data.sync_detailed(*w3(e), client=e.hist, body=body), {200}, hm.GetRunDataResult


@case(run_metrics_list)
def _metrics(e: Env) -> Any:
    r = run_metrics_list.sync_detailed(*w3(e), e.w.run_id, client=e.hist, body=hm.ListMetrics())
    return r, {200}, hm.PaginatedMetricDefinitionList


@case(run_metrics_get_full_fidelity)
def _metric(e: Env) -> Any:
    logged = metric_batch("accuracy")
    ok(e.raw.post(f"/metric/v2.0{e.w.ws_path}/runs/{e.w.run_id}/batch", params={"api-version": "v1.0"}, json=logged))
    body = hm.RetrieveFullFidelityMetricRequest(metric_name="accuracy")
    r = run_metrics_get_full_fidelity.sync_detailed(*w3(e), e.w.run_id, client=e.hist, body=body)
    return r, {200}, hm.MetricV2


@case(data_version_batch_get_resolved_uris)
def _resolved_uris(e: Env) -> Any:
    name = job(e)
    asked = {"runId": name, "selectRunMetadata": True}
    data = ok(e.raw.post(f"/history/v1.0{e.w.ws_path}/rundata", params={"api-version": "v1.0"}, json=asked)).json()
    asset_id = data["runMetadata"]["outputs"]["default"]["assetId"]
    unknown = asset_id.replace(name, "no_such_job")
    body = hm.BatchGetResolvedUris(values=[asset_id, unknown])
    r = data_version_batch_get_resolved_uris.sync_detailed(*w3(e), client=e.hist, body=body)
    assert isinstance(r.parsed, hm.BatchDataUriResponse) and isinstance(r.parsed.values, hm.ResolvedDataUris)
    assert set(r.parsed.values.additional_keys) == {asset_id}, "an unknown asset id is left out"
    found = r.parsed.values[asset_id]
    assert str(found.uri).startswith(f"azureml://subscriptions/{e.w.sub}/") and found.type_ == "uri_folder"
    return r, {200}, hm.BatchDataUriResponse
