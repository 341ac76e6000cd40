"""test_every_operation's cases for the machinelearning group (api-version 2025-12-01): workspaces, computes, ARM
polling, datastores, and code, environment and model assets. Each case calls its generated function once over
real HTTP against the emulator; prerequisites come from ``ml_world`` (plain httpx)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from azureml_machinelearning_client import models as ml
from azureml_machinelearning_client.api.async_operations import async_operations_get, operation_results_get
from azureml_machinelearning_client.api.codes import (
    code_containers_create_or_update,
    code_containers_delete,
    code_containers_get,
    code_containers_list,
    code_versions_create_or_get_start_pending_upload,
    code_versions_create_or_update,
    code_versions_delete,
    code_versions_get,
    code_versions_list,
)
from azureml_machinelearning_client.api.computes import (
    compute_create_or_update,
    compute_delete,
    compute_get,
    compute_list,
)
from azureml_machinelearning_client.api.datastores import (
    datastores_create_or_update,
    datastores_delete,
    datastores_get,
    datastores_list,
    datastores_list_secrets,
)
from azureml_machinelearning_client.api.environments import (
    environment_containers_create_or_update,
    environment_containers_delete,
    environment_containers_get,
    environment_containers_list,
    environment_versions_create_or_update,
    environment_versions_delete,
    environment_versions_get,
    environment_versions_list,
)
from azureml_machinelearning_client.api.models import (
    model_containers_create_or_update,
    model_containers_delete,
    model_containers_get,
    model_containers_list,
    model_versions_create_or_update,
    model_versions_delete,
    model_versions_get,
    model_versions_list,
)
from azureml_machinelearning_client.api.workspaces import (
    workspaces_get,
    workspaces_list_by_resource_group,
    workspaces_list_by_subscription,
)

from .emulator_world import ok
from .ml_world import code, compute_body, datastore_props, environment, job, model, unique, upload, v2, w3
from .operation_cases import Env, case

# --- workspaces and computes --------------------------------------------------------------------------------


@case(workspaces_list_by_subscription)
def _ws_list_sub(e: Env) -> Any:
    return workspaces_list_by_subscription.sync_detailed(e.w.sub, client=e.ml), {200}, ml.WorkspaceListResult


@case(workspaces_list_by_resource_group)
def _ws_list_rg(e: Env) -> Any:
    r = workspaces_list_by_resource_group.sync_detailed(e.w.sub, e.w.rg, client=e.ml)
    return r, {200}, ml.WorkspaceListResult


@case(workspaces_get)
def _ws_get(e: Env) -> Any:
    return workspaces_get.sync_detailed(*w3(e), client=e.ml), {200}, ml.Workspace


@case(compute_list)
def _compute_list(e: Env) -> Any:
    return compute_list.sync_detailed(*w3(e), client=e.ml), {200}, ml.PaginatedComputeResourcesList


@case(compute_get)
def _compute_get(e: Env) -> Any:
    r = compute_get.sync_detailed(*w3(e), e.w.compute, client=e.ml)
    assert isinstance(r.parsed, ml.ComputeResource) and isinstance(r.parsed.properties, ml.Compute)
    return r, {200}, ml.ComputeResource


def _compute_body(e: Env) -> ml.ComputeResource:
    return ml.ComputeResource.from_dict(compute_body(e.w.location))


@case(compute_create_or_update)
def _compute_put(e: Env) -> Any:
    r = compute_create_or_update.sync_detailed(*w3(e), "c" + uuid.uuid4().hex[:8], client=e.ml, body=_compute_body(e))
    return r, {200, 201}, ml.ComputeResource


@case(compute_delete)
def _compute_delete(e: Env) -> Any:
    name = "d" + uuid.uuid4().hex[:8]
    ok(v2(e, "PUT", f"/computes/{name}", _compute_body(e).to_dict()))
    action = ml.UnderlyingResourceAction.DELETE
    r = compute_delete.sync_detailed(*w3(e), name, client=e.ml, underlying_resource_action=action)
    return r, {200, 202, 204}, type(None)


@case(async_operations_get)
def _async_op(e: Env) -> Any:
    created = ok(v2(e, "PUT", f"/computes/a{uuid.uuid4().hex[:8]}", _compute_body(e).to_dict()))
    parts = httpx.URL(created.headers["Azure-AsyncOperation"]).path.split("/")
    r = async_operations_get.sync_detailed(parts[2], parts[parts.index("locations") + 1], parts[-1], client=e.ml)
    return r, {200}, ml.AsyncOperationStatus


@case(operation_results_get)
def _op_result(e: Env) -> Any:
    name = job(e, 'python -c "import time; time.sleep(30)"')
    cancel = ok(v2(e, "POST", f"/jobs/{name}/cancel"))
    parts = httpx.URL(cancel.headers["Location"]).path.split("/")
    r = operation_results_get.sync_detailed(parts[2], parts[parts.index("locations") + 1], parts[-1], client=e.ml)
    return r, {200, 202, 204}, None


# --- datastores ---------------------------------------------------------------------------------------------


def _datastore_body(e: Env) -> ml.Datastore:
    return ml.Datastore.from_dict({"properties": datastore_props("conf")})


@case(datastores_list)
def _ds_list(e: Env) -> Any:
    r = datastores_list.sync_detailed(*w3(e), client=e.ml, is_default=True)
    return r, {200}, ml.DatastoreResourceArmPaginatedResult


@case(datastores_get)
def _ds_get(e: Env) -> Any:
    return datastores_get.sync_detailed(*w3(e), "workspaceblobstore", client=e.ml), {200}, ml.Datastore


@case(datastores_create_or_update)
def _ds_put(e: Env) -> Any:
    r = datastores_create_or_update.sync_detailed(
        *w3(e), unique("ds").replace("-", "_"), client=e.ml, body=_datastore_body(e), skip_validation=True
    )
    return r, {200, 201}, ml.Datastore


@case(datastores_delete)
def _ds_delete(e: Env) -> Any:
    name = unique("ds").replace("-", "_")
    ok(v2(e, "PUT", f"/datastores/{name}", _datastore_body(e).to_dict()))
    return datastores_delete.sync_detailed(*w3(e), name, client=e.ml), {200, 204}, type(None)


@case(datastores_list_secrets)
def _ds_secrets(e: Env) -> Any:
    body = ml.SecretExpiry(expirable_secret=True, expire_after_hours=1)
    r = datastores_list_secrets.sync_detailed(*w3(e), "workspaceblobstore", client=e.ml, body=body)
    return r, {200}, ml.DatastoreSecrets


# --- code, environment and model assets ---------------------------------------------------------------------


@case(code_containers_list)
def _code_containers(e: Env) -> Any:
    code(e)
    return code_containers_list.sync_detailed(*w3(e), client=e.ml), {200}, ml.CodeContainerResourceArmPaginatedResult


@case(code_containers_get)
def _code_container(e: Env) -> Any:
    return code_containers_get.sync_detailed(*w3(e), code(e)[0], client=e.ml), {200}, ml.CodeContainer


@case(code_containers_create_or_update)
def _code_container_put(e: Env) -> Any:
    body = ml.CodeContainer.from_dict({"properties": {"description": "conformance"}})
    r = code_containers_create_or_update.sync_detailed(*w3(e), unique("conf-cc"), client=e.ml, body=body)
    return r, {200, 201}, ml.CodeContainer


@case(code_versions_list)
def _code_versions(e: Env) -> Any:
    r = code_versions_list.sync_detailed(*w3(e), code(e)[0], client=e.ml, hash_="0" * 64, hash_version="202208")
    return r, {200}, ml.CodeVersionResourceArmPaginatedResult


@case(code_versions_get)
def _code_version(e: Env) -> Any:
    return code_versions_get.sync_detailed(*w3(e), code(e)[0], "1", client=e.ml), {200}, ml.CodeVersion


@case(code_versions_create_or_update)
def _code_version_put(e: Env) -> Any:
    folder = upload(e, {"src/hello.py": "print('hi')\n"})
    body = ml.CodeVersion.from_dict({"properties": {"codeUri": folder + "/src", "isAnonymous": True}})
    r = code_versions_create_or_update.sync_detailed(*w3(e), unique("conf-code"), "1", client=e.ml, body=body)
    return r, {200, 201}, ml.CodeVersion


@case(code_versions_create_or_get_start_pending_upload)
def _pending_upload(e: Env) -> Any:
    body = ml.PendingUploadRequestDto(pending_upload_type=ml.PendingUploadType.TEMPORARYBLOBREFERENCE)
    r = code_versions_create_or_get_start_pending_upload.sync_detailed(
        *w3(e), unique("conf-code"), "1", client=e.ml, body=body
    )
    return r, {200}, ml.PendingUploadResponseDto


@case(environment_containers_list)
def _env_containers(e: Env) -> Any:
    environment(e)
    r = environment_containers_list.sync_detailed(*w3(e), client=e.ml)
    return r, {200}, ml.EnvironmentContainerResourceArmPaginatedResult


@case(environment_containers_get)
def _env_container(e: Env) -> Any:
    return environment_containers_get.sync_detailed(*w3(e), environment(e), client=e.ml), {200}, ml.EnvironmentContainer


@case(environment_containers_create_or_update)
def _env_container_put(e: Env) -> Any:
    body = ml.EnvironmentContainer.from_dict({"properties": {"description": "conformance"}})
    r = environment_containers_create_or_update.sync_detailed(*w3(e), unique("conf-ec"), client=e.ml, body=body)
    return r, {200, 201}, ml.EnvironmentContainer


@case(environment_versions_list)
def _env_versions(e: Env) -> Any:
    r = environment_versions_list.sync_detailed(*w3(e), environment(e), client=e.ml)
    return r, {200}, ml.EnvironmentVersionResourceArmPaginatedResult


@case(environment_versions_get)
def _env_version(e: Env) -> Any:
    r = environment_versions_get.sync_detailed(*w3(e), environment(e), "1", client=e.ml)
    return r, {200}, ml.EnvironmentVersion


@case(environment_versions_create_or_update)
def _env_version_put(e: Env) -> Any:
    body = ml.EnvironmentVersion.from_dict({"properties": {"image": "python:3.11-slim", "isAnonymous": True}})
    r = environment_versions_create_or_update.sync_detailed(*w3(e), unique("conf-env"), "1", client=e.ml, body=body)
    return r, {200, 201}, ml.EnvironmentVersion


@case(model_containers_list)
def _model_containers(e: Env) -> Any:
    model(e)
    return model_containers_list.sync_detailed(*w3(e), client=e.ml), {200}, ml.ModelContainerResourceArmPaginatedResult


@case(model_containers_get)
def _model_container(e: Env) -> Any:
    return model_containers_get.sync_detailed(*w3(e), model(e)[0], client=e.ml), {200}, ml.ModelContainer


@case(model_containers_create_or_update)
def _model_container_put(e: Env) -> Any:
    body = ml.ModelContainer.from_dict({"properties": {"description": "conformance"}})
    r = model_containers_create_or_update.sync_detailed(*w3(e), unique("conf-mc"), client=e.ml, body=body)
    return r, {200, 201}, ml.ModelContainer


@case(model_versions_list)
def _model_versions(e: Env) -> Any:
    r = model_versions_list.sync_detailed(*w3(e), model(e)[0], client=e.ml, order_by="createdtime desc", top=1)
    return r, {200}, ml.ModelVersionResourceArmPaginatedResult


@case(model_versions_get)
def _model_version(e: Env) -> Any:
    return model_versions_get.sync_detailed(*w3(e), model(e)[0], "1", client=e.ml), {200}, ml.ModelVersion


@case(model_versions_create_or_update)
def _model_version_put(e: Env) -> Any:
    uri = "azureml://datastores/workspaceblobstore/paths/conformance/model/"
    body = ml.ModelVersion.from_dict({"properties": {"modelType": "custom_model", "modelUri": uri}})
    r = model_versions_create_or_update.sync_detailed(*w3(e), unique("conf-model"), "1", client=e.ml, body=body)
    return r, {200, 201}, ml.ModelVersion


# --- asset deletes: 200 when something was deleted, 204 when there was nothing (never long-running) -----------


def _deleted_then_absent(delete: Any, e: Env, *names: str) -> Any:
    r = delete.sync_detailed(*w3(e), *names, client=e.ml)
    again = delete.sync_detailed(*w3(e), *names, client=e.ml)
    assert again.status_code == 204, f"a second delete answered {again.status_code}"
    return r, {200}, type(None)


@case(code_containers_delete)
def _code_container_delete(e: Env) -> Any:
    name = unique("conf-cdel")
    ok(v2(e, "PUT", f"/codes/{name}", {"properties": {"description": "to delete"}}))
    return _deleted_then_absent(code_containers_delete, e, name)


@case(code_versions_delete)
def _code_version_delete(e: Env) -> Any:
    name = unique("conf-cvdel")
    ok(v2(e, "PUT", f"/codes/{name}/versions/1", {"properties": {"codeUri": upload(e, {"a.py": "pass\n"})}}))
    return _deleted_then_absent(code_versions_delete, e, name, "1")


@case(environment_containers_delete)
def _env_container_delete(e: Env) -> Any:
    name = unique("conf-edel")
    ok(v2(e, "PUT", f"/environments/{name}", {"properties": {"description": "to delete"}}))
    return _deleted_then_absent(environment_containers_delete, e, name)


@case(environment_versions_delete)
def _env_version_delete(e: Env) -> Any:
    name = unique("conf-evdel")
    ok(v2(e, "PUT", f"/environments/{name}/versions/1", {"properties": {"image": "python:3.11-slim"}}))
    return _deleted_then_absent(environment_versions_delete, e, name, "1")


@case(model_containers_delete)
def _model_container_delete(e: Env) -> Any:
    name = unique("conf-mdel")
    ok(v2(e, "PUT", f"/models/{name}", {"properties": {"description": "to delete"}}))
    return _deleted_then_absent(model_containers_delete, e, name)


@case(model_versions_delete)
def _model_version_delete(e: Env) -> Any:
    name = unique("conf-mvdel")
    uri = "azureml://datastores/workspaceblobstore/paths/conformance/model/"
    ok(v2(e, "PUT", f"/models/{name}/versions/1", {"properties": {"modelType": "custom_model", "modelUri": uri}}))
    return _deleted_then_absent(model_versions_delete, e, name, "1")
