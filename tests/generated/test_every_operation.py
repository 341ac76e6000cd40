"""Every generated operation function, called once over real HTTP against the emulator.

Plain generated clients only (``AuthenticatedClient`` with a token from the emulator's v1 token endpoint; the
discovery client unauthenticated; the scoring client with the service key), never the overlay. Each case checks the
HTTP status and the parsed type. ``test_every_module_has_a_case`` walks each package's ``api/`` folder, so a new
operation without a case fails the suite.

Prerequisites (workspace, compute, a completed run, a model, a deployed service) come from
``emulator_world.build_world`` (plain httpx); destructive cases create their own target first, also with httpx.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from . import cases_machinelearning, cases_ml_serving, cases_v1_sdk  # noqa: F401  # register the other cases
from .emulator_world import (
    ARM_API,
    DP_API,
    build_world,
    compute_body,
    definition,
    make_zip,
    ok,
    poll_location,
    service_body,
    wait_operation,
    wait_run,
    workspace_body,
)
from .ml_world import w3
from .operation_cases import CASES, Env, case
from .support import GROUPS, api_modules
from .test_versioned_packages import VERSIONED

mgmt = pytest.importorskip("azureml_management_client")
from azureml_discovery_client import Client as DiscoveryClient  # noqa: E402
from azureml_discovery_client.api.discovery import discovery_get  # noqa: E402
from azureml_discovery_client.models import DiscoveryDocument  # noqa: E402
from azureml_execution_client import AuthenticatedClient as ExecutionClient  # noqa: E402
from azureml_execution_client.api.runs import (  # noqa: E402
    runs_cancel_run_with_uri,
    runs_start_run,
    runs_start_snapshot_run,
)
from azureml_execution_client.models import RunDefinition, StartRunRequest, StartRunResult  # noqa: E402
from azureml_execution_client.types import File  # noqa: E402
from azureml_history_client import AuthenticatedClient as HistoryClient  # noqa: E402
from azureml_history_client import models as hm  # noqa: E402
from azureml_history_client.api.experiments import (  # noqa: E402
    experiments_create,
    experiments_get,
    experiments_get_by_query,
    experiments_list,
)
from azureml_history_client.api.run_artifacts import (  # noqa: E402
    run_artifacts_get_content,
    run_artifacts_get_content_information,
    run_artifacts_list,
)
from azureml_history_client.api.runs import (  # noqa: E402
    runs_get,
    runs_get_by_query,
    runs_get_child,
    runs_get_details,
    runs_patch,
)
from azureml_history_client.types import File as HistoryFile  # noqa: E402
from azureml_machinelearning_client import AuthenticatedClient as MachineLearningClient  # noqa: E402
from azureml_management_client import AuthenticatedClient as ManagementClient  # noqa: E402
from azureml_management_client import models as am  # noqa: E402
from azureml_management_client.api.async_operations import async_operations_get, operation_results_get  # noqa: E402
from azureml_management_client.api.computes import (  # noqa: E402
    machine_learning_compute_create_or_update,
    machine_learning_compute_delete,
    machine_learning_compute_get,
    machine_learning_compute_list_by_workspace,
    machine_learning_compute_list_keys,
    machine_learning_compute_list_nodes,
    machine_learning_compute_update,
)
from azureml_management_client.api.operations import operations_list  # noqa: E402
from azureml_management_client.api.resource_groups import (  # noqa: E402
    resource_groups_create_or_update,
    resource_groups_delete,
    resource_groups_get,
    resource_groups_list,
)
from azureml_management_client.api.workspaces import (  # noqa: E402
    workspaces_create_or_update,
    workspaces_delete,
    workspaces_get,
    workspaces_list_by_resource_group,
    workspaces_list_by_subscription,
    workspaces_list_keys,
    workspaces_update,
)
from azureml_modelmanagement_client import AuthenticatedClient as MmsClient  # noqa: E402
from azureml_modelmanagement_client import models as mm  # noqa: E402
from azureml_modelmanagement_client.api.models import (  # noqa: E402
    ml_models_delete,
    ml_models_list_query,
    ml_models_patch,
    ml_models_query_by_id,
    ml_models_register,
)
from azureml_modelmanagement_client.api.operations import operations_get  # noqa: E402
from azureml_modelmanagement_client.api.services import (  # noqa: E402
    services_create,
    services_delete,
    services_get_service_token,
    services_list_query,
    services_list_service_keys,
    services_patch,
    services_query_by_id,
    services_regenerate_service_keys,
)
from azureml_scoring_client import AuthenticatedClient as ScoringClient  # noqa: E402
from azureml_scoring_client.api.scoring import scoring_get_swagger, scoring_score  # noqa: E402
from azureml_scoring_client.models import SwaggerDocument  # noqa: E402


@pytest.fixture(scope="module")
def env(session_emulator: Any) -> Iterator[Env]:
    world = build_world(session_emulator)
    base, token = world.base_url, world.token
    raw = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=httpx.Timeout(60))
    t = httpx.Timeout(60)
    env = Env(
        world,
        arm=ManagementClient(base_url=base, token=token, timeout=t),
        disco=DiscoveryClient(base_url=base, timeout=t),
        hist=HistoryClient(base_url=base, token=token, timeout=t),
        exe=ExecutionClient(base_url=base, token=token, timeout=t),
        mms=MmsClient(base_url=base, token=token, timeout=t),
        score=ScoringClient(base_url=world.scoring_base, token=world.service_key, timeout=t),
        ml=MachineLearningClient(base_url=base, token=token, timeout=t),
        raw=raw,
    )
    yield env
    raw.close()
    for client in (env.arm, env.disco, env.hist, env.exe, env.mms, env.score, env.ml):
        client.get_httpx_client().close()


def _new_group(e: Env) -> str:
    rg = "conf-tmp-" + uuid.uuid4().hex[:6]
    ok(
        e.raw.put(
            f"/subscriptions/{e.w.sub}/resourcegroups/{rg}",
            params={"api-version": "2019-10-01"},
            json={"location": e.w.location},
        )
    )
    return rg


def _new_workspace(e: Env) -> tuple[str, str, httpx.Response]:
    rg = _new_group(e)
    ws = "conf-tmpws-" + uuid.uuid4().hex[:6]
    path = f"/subscriptions/{e.w.sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}"
    created = ok(e.raw.put(path, params=ARM_API, json=workspace_body(e.w.sub, rg, e.w.location)))
    return rg, ws, created


def _op_parts(url: str) -> tuple[str, str, str]:
    """(subscription, location, operation id) of an ARM operationsStatus / operationResults URL."""
    parts = urlsplit(url).path.split("/")
    return parts[2], parts[parts.index("locations") + 1], parts[-1]


# --- management ---------------------------------------------------------------------------------------------


@case(resource_groups_list)
def _rg_list(e: Env) -> Any:
    return resource_groups_list.sync_detailed(e.w.sub, client=e.arm), {200}, am.ResourceGroupListResult


@case(resource_groups_get)
def _rg_get(e: Env) -> Any:
    return resource_groups_get.sync_detailed(e.w.sub, e.w.rg, client=e.arm), {200}, am.ResourceGroup


@case(resource_groups_create_or_update)
def _rg_put(e: Env) -> Any:
    body = am.ResourceGroup(location=e.w.location)
    r = resource_groups_create_or_update.sync_detailed(
        e.w.sub, "conf-put-" + uuid.uuid4().hex[:6], client=e.arm, body=body
    )
    return r, {201}, am.ResourceGroup


@case(resource_groups_delete)
def _rg_delete(e: Env) -> Any:
    return resource_groups_delete.sync_detailed(e.w.sub, _new_group(e), client=e.arm), {200, 202}, type(None)


@case(workspaces_list_by_subscription)
def _ws_list_sub(e: Env) -> Any:
    return workspaces_list_by_subscription.sync_detailed(e.w.sub, client=e.arm), {200}, am.WorkspaceListResult


@case(workspaces_list_by_resource_group)
def _ws_list_rg(e: Env) -> Any:
    r = workspaces_list_by_resource_group.sync_detailed(e.w.sub, e.w.rg, client=e.arm)
    return r, {200}, am.WorkspaceListResult


@case(workspaces_get)
def _ws_get(e: Env) -> Any:
    return workspaces_get.sync_detailed(e.w.sub, e.w.rg, e.w.ws, client=e.arm), {200}, am.Workspace


@case(workspaces_create_or_update)
def _ws_put(e: Env) -> Any:
    rg = _new_group(e)
    body = am.Workspace.from_dict(workspace_body(e.w.sub, rg, e.w.location))
    r = workspaces_create_or_update.sync_detailed(e.w.sub, rg, "conf-put-ws", client=e.arm, body=body)
    assert "Location" in r.headers and "Azure-AsyncOperation" in r.headers
    return r, {202}, am.Workspace


@case(workspaces_update)
def _ws_patch(e: Env) -> Any:
    body = am.WorkspaceUpdateParameters.from_dict({"properties": {"description": "patched by conformance"}})
    r = workspaces_update.sync_detailed(e.w.sub, e.w.rg, e.w.ws, client=e.arm, body=body)
    assert isinstance(r.parsed, am.Workspace) and isinstance(r.parsed.properties, am.WorkspaceProperties)
    assert r.parsed.properties.description == "patched by conformance"
    return r, {200}, am.Workspace


@case(workspaces_delete)
def _ws_delete(e: Env) -> Any:
    rg, ws, created = _new_workspace(e)
    ok(poll_location(e.raw, created.headers["Location"]), 200)
    return workspaces_delete.sync_detailed(e.w.sub, rg, ws, client=e.arm), {200, 202, 204}, type(None)


@case(workspaces_list_keys)
def _ws_keys(e: Env) -> Any:
    return workspaces_list_keys.sync_detailed(e.w.sub, e.w.rg, e.w.ws, client=e.arm), {200}, am.ListWorkspaceKeysResult


@case(async_operations_get)
def _async_op(e: Env) -> Any:
    _rg, _ws, created = _new_workspace(e)
    sub, location, op_id = _op_parts(created.headers["Azure-AsyncOperation"])
    r = async_operations_get.sync_detailed(sub, location, op_id, client=e.arm)
    return r, {200}, am.AsyncOperationStatus


@case(operation_results_get)
def _op_result(e: Env) -> Any:
    _rg, _ws, created = _new_workspace(e)
    sub, location, op_id = _op_parts(created.headers["Location"])
    deadline = time.monotonic() + 30
    while True:  # 202 while running, then 200 with the workspace
        r = operation_results_get.sync_detailed(sub, location, op_id, client=e.arm)
        if r.status_code != 202 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return r, {200}, None  # the final body is the resource; the spec types it as free JSON


@case(operations_list)
def _operations(e: Env) -> Any:
    return operations_list.sync_detailed(client=e.arm), {200}, am.OperationListResult


@case(machine_learning_compute_list_by_workspace)
def _compute_list(e: Env) -> Any:
    r = machine_learning_compute_list_by_workspace.sync_detailed(e.w.sub, e.w.rg, e.w.ws, client=e.arm)
    return r, {200}, am.PaginatedComputeResourcesList


@case(machine_learning_compute_get)
def _compute_get(e: Env) -> Any:
    r = machine_learning_compute_get.sync_detailed(e.w.sub, e.w.rg, e.w.ws, e.w.compute, client=e.arm)
    return r, {200}, am.ComputeResource


@case(machine_learning_compute_create_or_update)
def _compute_put(e: Env) -> Any:
    body = am.ComputeResource.from_dict(compute_body(e.w.location, nodes=1))
    r = machine_learning_compute_create_or_update.sync_detailed(
        e.w.sub, e.w.rg, e.w.ws, "conf-c1", client=e.arm, body=body
    )
    return r, {200, 201}, am.ComputeResource


@case(machine_learning_compute_update)
def _compute_patch(e: Env) -> Any:
    body = am.ClusterUpdateParameters.from_dict(
        {"properties": {"scaleSettings": {"maxNodeCount": 3, "minNodeCount": 0}}}
    )
    r = machine_learning_compute_update.sync_detailed(e.w.sub, e.w.rg, e.w.ws, e.w.compute, client=e.arm, body=body)
    return r, {200}, am.ComputeResource


@case(machine_learning_compute_delete)
def _compute_delete(e: Env) -> Any:
    name = "conf-del-" + uuid.uuid4().hex[:4]
    ok(e.raw.put(f"{e.w.ws_path}/computes/{name}", params=ARM_API, json=compute_body(e.w.location, nodes=1)))
    r = machine_learning_compute_delete.sync_detailed(
        e.w.sub, e.w.rg, e.w.ws, name, client=e.arm, underlying_resource_action=am.UnderlyingResourceAction.DELETE
    )
    return r, {200, 202}, type(None)


@case(machine_learning_compute_list_keys)
def _compute_keys(e: Env) -> Any:
    r = machine_learning_compute_list_keys.sync_detailed(e.w.sub, e.w.rg, e.w.ws, e.w.compute, client=e.arm)
    return r, {200}, am.ComputeSecrets


@case(machine_learning_compute_list_nodes)
def _compute_nodes(e: Env) -> Any:
    r = machine_learning_compute_list_nodes.sync_detailed(e.w.sub, e.w.rg, e.w.ws, e.w.compute, client=e.arm)
    return r, {200}, am.AmlComputeNodesInformation


# --- discovery ----------------------------------------------------------------------------------------------


@case(discovery_get)
def _discovery(e: Env) -> Any:
    r = discovery_get.sync_detailed(client=e.disco)  # no Authorization header, as the SDK fetched it
    assert isinstance(r.parsed, DiscoveryDocument) and r.parsed.api == e.w.base_url
    return r, {200}, DiscoveryDocument


# --- history ------------------------------------------------------------------------------------------------


@case(experiments_list)
def _exp_list(e: Env) -> Any:
    return experiments_list.sync_detailed(*w3(e), client=e.hist), {200}, hm.PaginatedExperimentList


@case(experiments_get_by_query)
def _exp_query(e: Env) -> Any:
    body = hm.QueryParams.from_dict({"top": 10})
    return experiments_get_by_query.sync_detailed(*w3(e), client=e.hist, body=body), {200}, hm.PaginatedExperimentList


@case(experiments_get)
def _exp_get(e: Env) -> Any:
    return experiments_get.sync_detailed(*w3(e), e.w.experiment, client=e.hist), {200}, hm.Experiment


@case(experiments_create)
def _exp_create(e: Env) -> Any:
    name = "conf-new-" + uuid.uuid4().hex[:6]
    return experiments_create.sync_detailed(*w3(e), name, client=e.hist), {200}, hm.Experiment


@case(runs_get)
def _run_get(e: Env) -> Any:
    r = runs_get.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist)
    assert isinstance(r.parsed, hm.Run) and r.parsed.status == "Completed"
    return r, {200}, hm.Run


@case(runs_patch)
def _run_patch(e: Env) -> Any:
    body = hm.CreateRun.from_dict({"description": "patched", "tags": {"conformance": "yes"}})
    r = runs_patch.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist, body=body)
    return r, {200}, hm.Run


@case(runs_get_details)
def _run_details(e: Env) -> Any:
    r = runs_get_details.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist)
    return r, {200}, hm.RunDetails


@case(runs_get_child)
def _run_children(e: Env) -> Any:
    r = runs_get_child.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist)
    return r, {200}, hm.PaginatedRunList


@case(runs_get_by_query)
def _run_query(e: Env) -> Any:
    body = hm.QueryParams.from_dict({"top": 5})
    r = runs_get_by_query.sync_detailed(*w3(e), e.w.experiment, client=e.hist, body=body)
    return r, {200}, hm.PaginatedRunList


@case(run_artifacts_list)
def _artifacts(e: Env) -> Any:
    r = run_artifacts_list.sync_detailed(*w3(e), e.w.experiment, e.w.run_id, client=e.hist)
    return r, {200}, hm.PaginatedArtifactList


@case(run_artifacts_get_content_information)
def _artifact_info(e: Env) -> Any:
    r = run_artifacts_get_content_information.sync_detailed(
        *w3(e), e.w.experiment, e.w.run_id, client=e.hist, path="outputs/model.json"
    )
    return r, {200}, hm.ArtifactContentInformation


@case(run_artifacts_get_content)
def _artifact_content(e: Env) -> Any:
    r = run_artifacts_get_content.sync_detailed(
        *w3(e), e.w.experiment, e.w.run_id, client=e.hist, path="outputs/model.json"
    )
    assert isinstance(r.parsed, HistoryFile) and json.loads(r.parsed.payload.read()) == {"w": 3}
    return r, {200}, HistoryFile


# --- execution ----------------------------------------------------------------------------------------------


@case(runs_start_run)
def _start_run(e: Env) -> Any:
    body = StartRunRequest(
        run_definition_file=File(
            io.BytesIO(json.dumps(definition("hello.py")).encode()), "definition.json", "application/json"
        ),
        project_zip_file=File(io.BytesIO(make_zip({"hello.py": "print('hi')\n"})), "train.zip", "application/zip"),
    )
    return runs_start_run.sync_detailed(*w3(e), e.w.experiment, client=e.exe, body=body), {200}, StartRunResult


@case(runs_start_snapshot_run)
def _snapshot_run(e: Env) -> Any:
    run = ok(e.raw.get(f"{e.w.history}/experiments/{e.w.experiment}/runs/{e.w.run_id}", params=DP_API)).json()
    snapshot_id = run["properties"]["ContentSnapshotId"]
    body = RunDefinition.from_dict({**definition("train.py"), "snapshotId": snapshot_id})
    r = runs_start_snapshot_run.sync_detailed(*w3(e), e.w.experiment, client=e.exe, body=body)
    if isinstance(r.parsed, StartRunResult):
        assert wait_run(e.raw, e.w.history, e.w.experiment, r.parsed.run_id)["status"] == "Completed"
    return r, {200}, StartRunResult


@case(runs_cancel_run_with_uri)
def _cancel(e: Env) -> Any:
    long_run = make_zip({"sleep.py": "import time\ntime.sleep(30)\n"})
    started = ok(
        e.raw.post(
            f"{e.w.execution}/experiments/{e.w.experiment}/startrun",
            params=DP_API,
            files={
                "projectZipFile": ("p.zip", long_run, "application/zip"),
                "runDefinitionFile": ("d.json", json.dumps(definition("sleep.py")).encode(), "application/json"),
            },
        )
    ).json()["runId"]
    r = runs_cancel_run_with_uri.sync_detailed(*w3(e), e.w.experiment, started, client=e.exe)
    assert wait_run(e.raw, e.w.history, e.w.experiment, started)["status"] == "Canceled"
    return r, {200}, StartRunResult


# --- model management ---------------------------------------------------------------------------------------


def _register(e: Env) -> str:
    body = {
        "name": "conf-m-" + uuid.uuid4().hex[:6],
        "mimeType": "application/json",
        "url": f"aml://artifact/ExperimentRun/dcid.{e.w.run_id}/outputs/model.json",
    }
    return str(ok(e.raw.post(f"{e.w.mms}/models", params=DP_API, json=body)).json()["id"])


@case(ml_models_list_query)
def _models(e: Env) -> Any:
    return ml_models_list_query.sync_detailed(*w3(e), client=e.mms), {200}, mm.PaginatedModelList


@case(ml_models_register)
def _model_register(e: Env) -> Any:
    body = mm.Model.from_dict(
        {
            "name": "conf-reg",
            "mimeType": "application/json",
            "url": f"aml://artifact/ExperimentRun/dcid.{e.w.run_id}/outputs/model.json",
        }
    )
    return ml_models_register.sync_detailed(*w3(e), client=e.mms, body=body), {200}, mm.Model


@case(ml_models_query_by_id)
def _model_get(e: Env) -> Any:
    return ml_models_query_by_id.sync_detailed(*w3(e), e.w.model_id, client=e.mms), {200}, mm.Model


@case(ml_models_patch)
def _model_patch(e: Env) -> Any:
    body = [mm.JsonPatchOperation.from_dict({"op": "replace", "path": "/description", "value": "patched"})]
    r = ml_models_patch.sync_detailed(*w3(e), _register(e), client=e.mms, body=body)
    assert isinstance(r.parsed, mm.Model) and r.parsed.description == "patched"
    return r, {200}, mm.Model


@case(ml_models_delete)
def _model_delete(e: Env) -> Any:
    return ml_models_delete.sync_detailed(*w3(e), _register(e), client=e.mms), {200, 204}, type(None)


def _deploy(e: Env) -> tuple[str, str]:
    """(service id, Operation-Location) of a new service, deployed to the end."""
    name = "conf-s-" + uuid.uuid4().hex[:6]
    created = ok(
        e.raw.post(f"{e.w.mms}/services", params=DP_API, json=service_body(name, e.w.run_id, e.w.model_id)), 202
    )
    location = created.headers["Operation-Location"]
    assert wait_operation(e.raw, location)["state"] == "Succeeded"
    return name, location


@case(services_create)
def _svc_create(e: Env) -> Any:
    body = mm.CreateServiceRequest.from_dict(
        service_body("conf-create-" + uuid.uuid4().hex[:4], e.w.run_id, e.w.model_id)
    )
    r = services_create.sync_detailed(*w3(e), client=e.mms, body=body)
    assert r.headers.get("Operation-Location")
    assert wait_operation(e.raw, r.headers["Operation-Location"])["state"] == "Succeeded"
    return r, {202}, type(None)


@case(operations_get)
def _mms_operation(e: Env) -> Any:
    _name, location = _deploy(e)
    op_id = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
    return operations_get.sync_detailed(*w3(e), op_id, client=e.mms), {200}, mm.AsyncOperationStatus


@case(services_list_query)
def _svc_list(e: Env) -> Any:
    return services_list_query.sync_detailed(*w3(e), client=e.mms), {200}, mm.PaginatedServiceList


@case(services_query_by_id)
def _svc_get(e: Env) -> Any:
    r = services_query_by_id.sync_detailed(*w3(e), e.w.service_id, client=e.mms)
    assert isinstance(r.parsed, mm.ServiceResponse) and r.parsed.state == "Healthy"
    return r, {200}, mm.ServiceResponse


@case(services_patch)
def _svc_patch(e: Env) -> Any:
    body = [mm.JsonPatchOperation.from_dict({"op": "replace", "path": "/description", "value": "patched"})]
    return services_patch.sync_detailed(*w3(e), e.w.service_id, client=e.mms, body=body), {200, 202}, type(None)


@case(services_delete)
def _svc_delete(e: Env) -> Any:
    name, _location = _deploy(e)
    return services_delete.sync_detailed(*w3(e), name, client=e.mms), {200, 202, 204}, type(None)


@case(services_list_service_keys)
def _svc_keys(e: Env) -> Any:
    return services_list_service_keys.sync_detailed(*w3(e), e.w.service_id, client=e.mms), {200}, mm.AuthKeys


@case(services_regenerate_service_keys)
def _svc_regen(e: Env) -> Any:
    name, _location = _deploy(e)  # its own service: regenerating the world's primary key would break scoring
    body = mm.RegenerateServiceKeysRequest.from_dict({"keyType": "Secondary"})
    r = services_regenerate_service_keys.sync_detailed(*w3(e), name, client=e.mms, body=body)
    return r, {200, 202}, (mm.AuthKeys, type(None))


@case(services_get_service_token)
def _svc_token(e: Env) -> Any:
    return services_get_service_token.sync_detailed(*w3(e), e.w.service_id, client=e.mms), {201}, mm.AuthToken


# --- scoring ------------------------------------------------------------------------------------------------


@case(scoring_score)
def _score(e: Env) -> Any:
    r = scoring_score.sync_detailed(client=e.score, body={"data": [[1, 2, 3]]})
    assert r.parsed == [18]  # sum(row) * w, with w = 3 from the trained model.json
    return r, {200}, list


@case(scoring_get_swagger)
def _swagger(e: Env) -> Any:
    return scoring_get_swagger.sync_detailed(client=e.score), {200}, SwaggerDocument


# --- the tests ----------------------------------------------------------------------------------------------


def _all_modules() -> list[str]:
    return sorted(m.__name__ for _spec, package in GROUPS.values() for m in api_modules(package))


def test_every_module_has_a_case() -> None:
    modules = _all_modules()
    assert len(modules) >= 50
    missing = sorted(set(modules) - set(CASES))
    assert not missing, f"generated operations without a case in {__name__}: {missing}"
    stale = sorted(set(CASES) - set(modules))
    assert not stale, f"cases for modules that no longer exist: {stale}"


@pytest.mark.parametrize("module_name", sorted(CASES))
def test_operation(module_name: str, env: Env) -> None:
    response, statuses, expected = CASES[module_name](env)
    detail = response.content[:300] if response.status_code >= 400 else b""
    assert response.status_code in statuses, f"{module_name}: {response.status_code} not in {statuses}: {detail!r}"
    if expected is not None:
        assert isinstance(response.parsed, expected), f"{module_name}: parsed {type(response.parsed).__name__}"


def test_no_generated_package_without_cases() -> None:
    # A package added under generated/ (e.g. a second management api-version) must get cases here too.
    generated = Path(__file__).resolve().parents[2] / "generated"
    packages = sorted(p.parent.parent.name for p in generated.glob("*/api/__init__.py"))
    known = sorted(package for _spec, package in GROUPS.values())
    # Side-by-side api-versions (specs/versions/) are exercised by test_versioned_packages.py.
    unknown = sorted(set(packages) - set(known) - set(VERSIONED))
    assert not unknown, f"generated packages with no cases in {__name__}: {unknown}"
