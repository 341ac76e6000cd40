"""Issue 14's walkthrough with azureml-core 1.61 (unchanged) against the emulator over TLS.

Workspace get/list; an AmlCompute created, waited for, read, listed and deleted; a ScriptRunConfig submitted on
both paths the SDK has (the default snapshot path: content service + blob uploads; the zip ``startrun`` path),
waited for with streamed output, its details, files, download and the experiment's runs; models registered from
the run and from a local file, listed, read and deleted; a service deployed through the model-management API,
read as a ``Webservice``, its keys, scoring, key regeneration and deletion. Each test starts from the session's
workspace (conftest.py ``v1``); the ones after submission share one completed run.
"""

from __future__ import annotations

import json
import stat
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.microsoft_v1.harness import RESOURCE_GROUP, WORKSPACE, V1World

pytestmark = pytest.mark.azureml_core


CLUSTER = "cpu-cluster"


@pytest.fixture(scope="session")
def cluster(v1: V1World) -> str:
    """The AmlCompute the runs go to."""
    from azureml.core.compute import AmlCompute, ComputeTarget

    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2)
    ComputeTarget.create(v1.workspace, CLUSTER, config).wait_for_completion()
    return CLUSTER


def _script_config(project: Path, cluster: str) -> Any:
    from azureml.core import Environment, ScriptRunConfig

    env = Environment("emulator-python")
    env.python.user_managed_dependencies = True
    env.python.interpreter_path = sys.executable
    return ScriptRunConfig(source_directory=str(project), script="train.py", compute_target=cluster, environment=env)


def _project(tmp_path: Path, v1: V1World) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("train.py", "score.py"):
        (project / name).write_text((v1.project / name).read_text(encoding="utf-8"), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def completed_run(v1: V1World, cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One run submitted the SDK's default way (snapshot), waited for; its interpreter is a marked wrapper."""
    from azureml.core import Experiment

    tmp = tmp_path_factory.mktemp("v1-run")
    project = _project(tmp, v1)
    # interpreterPath with userManagedDependencies: the run must use exactly this interpreter.
    wrapper = tmp / "marked-python"
    wrapper.write_text(f'#!/bin/sh\nV1_INTERPRETER_MARK=wrapper exec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    config = _script_config(project, cluster)
    config.run_config.environment.python.interpreter_path = str(wrapper)
    run = Experiment(v1.workspace, "v1-snapshot").submit(config)
    run.wait_for_completion(show_output=True)
    return run


def test_workspace_get_and_list(v1: V1World) -> None:
    from azureml.core import Workspace

    sub = v1.emulator.config.subscription_id
    ws = Workspace.get(WORKSPACE, auth=v1.auth, subscription_id=sub, resource_group=RESOURCE_GROUP)
    assert ws.name == WORKSPACE and ws.location == "eastus"
    assert list(Workspace.list(sub, auth=v1.auth)) == [WORKSPACE]  # generic resource listing
    assert list(Workspace.list(sub, auth=v1.auth, resource_group=RESOURCE_GROUP)) == [WORKSPACE]


def test_amlcompute_create_wait_get_list_delete(v1: V1World) -> None:
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.exceptions import ComputeTargetException

    name = "cpu-" + uuid.uuid4().hex[:6]
    # vm_priority 'dedicated' as the SDK spells it; the PUT goes to '//subscriptions/...'
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=1)
    target = ComputeTarget.create(v1.workspace, name, config)
    target.wait_for_completion(show_output=True)
    assert target.provisioning_state == "Succeeded"
    got = ComputeTarget(v1.workspace, name)  # the regional /rp/workspaces route
    assert isinstance(got, AmlCompute) and got.vm_priority == "Dedicated" and got.vm_size == "STANDARD_D2_V2"
    assert name in [c.name for c in ComputeTarget.list(v1.workspace)]
    got.delete()  # DELETE with underlyingResourceAction=delete (ARM: 202 + Azure-AsyncOperation)
    for _ in range(100):
        try:
            ComputeTarget(v1.workspace, name)
        except ComputeTargetException:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"compute {name} still there after delete")


def test_snapshot_run_details_files_download_runs(v1: V1World, completed_run: Any, tmp_path: Path) -> None:
    from azureml.core import Experiment

    run = completed_run
    details = run.get_details()
    assert details["status"] == "Completed"
    assert details["properties"]["ContentSnapshotId"]  # made by the content service
    names = run.get_file_names()
    assert {"azureml-logs/70_driver_log.txt", "outputs/model.txt", "outputs/score.py"} <= set(names)
    target = tmp_path / "model.txt"
    run.download_file("outputs/model.txt", str(target))
    assert target.read_text(encoding="utf-8") == "weights-v1"
    log = tmp_path / "driver.txt"
    run.download_file("azureml-logs/70_driver_log.txt", str(log))
    text = log.read_text(encoding="utf-8")
    assert f"hello from run {run.id} of experiment v1-snapshot" in text  # Run.get_context() inside the script
    assert "interpreter mark: wrapper" in text  # interpreterPath was used
    assert [r.id for r in Experiment(v1.workspace, "v1-snapshot").get_runs()] == [run.id]
    assert "v1-snapshot" in [e.name for e in Experiment.list(v1.workspace)]


def test_metrics_logged_in_the_script_reach_get_metrics(completed_run: Any) -> None:
    assert completed_run.get_metrics() == {"accuracy": 0.91, "loss": 0.25}


def test_zip_startrun_path(v1: V1World, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from azureml.core import Experiment

    # The SDK's own switch for its other submission path (azureml/_execution/_commands.py _start_internal).
    monkeypatch.setenv("AML_FORCE_EXECUTE_WITH_ZIP", "1")
    run = Experiment(v1.workspace, "v1-zip").submit(_script_config(_project(tmp_path, v1), cluster))
    run.wait_for_completion(show_output=False)
    assert run.get_status() == "Completed"
    assert "outputs/model.txt" in run.get_file_names()


def test_models_register_list_get_delete(
    v1: V1World, completed_run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azureml.core.model import Model

    from_run = completed_run.register_model(model_name="v1-model", model_path="outputs/model.txt")
    assert from_run.name == "v1-model" and from_run.url.startswith("aml://asset/")
    monkeypatch.chdir(tmp_path)  # Model.register uploads only paths under the working directory
    (tmp_path / "local.txt").write_text("local weights", encoding="utf-8")
    local = Model.register(v1.workspace, model_path="local.txt", model_name="v1-local")  # artifact upload
    ids = {m.id for m in Model.list(v1.workspace)}
    assert {from_run.id, local.id} <= ids
    assert Model(v1.workspace, "v1-local").id == local.id
    local.delete()
    assert local.id not in {m.id for m in Model.list(v1.workspace)}


def test_webservice_keys_run_regen_delete(v1: V1World, completed_run: Any) -> None:
    from azureml.core.webservice import Webservice

    model = completed_run.register_model(model_name="v1-served", model_path="outputs/model.txt")
    mms = v1.workspace.service_context._get_modelmanagement_url()  # the discovery document's modelmanagement
    scope = v1.workspace.service_context._get_workspace_scope()
    body = {
        "name": "v1-svc",
        "computeType": "ACI",
        "environmentImageRequest": {
            "driverProgram": "score.py",
            "assets": [{"id": "score", "mimeType": "application/x-python",
                        "url": f"aml://artifact/ExperimentRun/dcid.{completed_run.id}/outputs/score.py"}],
            "modelIds": [model.id],
        },
        "containerResourceRequirements": {"cpu": 0.1, "memoryInGB": 0.5},
    }  # fmt: skip
    created = requests.post(f"{mms}/modelmanagement/v1.0{scope}/services", json=body,
                            headers=v1.auth.get_authentication_header(), timeout=30)
    assert created.status_code == 202 and "Operation-Location" in created.headers
    service = Webservice(v1.workspace, "v1-svc")
    for _ in range(300):
        service.update_deployment_state()
        if service.state != "Transitioning":
            break
        time.sleep(0.1)
    assert service.state == "Healthy", service.get_logs()
    primary, secondary = service.get_keys()
    assert primary and secondary and primary != secondary
    assert service.run(json.dumps({"data": [1, 2]})) == {"echo": [1, 2], "model": "weights-v1"}
    service.regen_key("Primary")  # 202 + Operation-Location, polled by the SDK
    new_primary, new_secondary = service.get_keys()
    assert new_primary != primary and new_secondary == secondary
    assert service.run(json.dumps({"data": [3]}))["echo"] == [3]  # the SDK scores with the new key
    service.delete()
    assert "v1-svc" not in [s.name for s in Webservice.list(v1.workspace)]
