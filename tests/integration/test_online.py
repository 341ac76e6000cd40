"""Managed online endpoints and deployments through the library, over real HTTP against the emulator (sync):
a model registered from a local file, an environment, a code version holding a scoring script with init()/run(),
an endpoint and a deployment (both long-running), scoring with the key and the AML token, key rotation picked up
by the same scoring client, the deployment header, traffic, logs, delete; secrets never in reprs."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest
from azureml_rest.client import AzureML
from azureml_rest.errors import BadRequestError, NotFoundError
from azureml_rest.operations.environments import EnvironmentOperations
from azureml_rest.operations.jobs import CodeUploader
from azureml_rest.operations.models_v2 import ModelVersionOperations
from azureml_rest.operations.online_deployments import OnlineDeploymentOperations
from azureml_rest.operations.online_endpoints import OnlineEndpointOperations

SCORE_PY = """\
import json, os

def init():
    global factor
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "weights.json")) as fh:
        factor = json.load(fh)["factor"]
    print("init done, factor", factor, flush=True)

def run(raw_data):
    data = json.loads(raw_data)["data"]
    print("scoring", len(data), "rows", flush=True)
    return {"result": [x * factor for x in data], "label": os.environ.get("LABEL")}
"""
CONDA = "name: score\ndependencies:\n  - python=3.11\n"
IMAGE = "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py311-cpu-inference:latest"


def project(tmp_path: Path, factor: int) -> tuple[Path, Path]:
    """``(model file, code folder)``."""
    model = tmp_path / "weights.json"
    model.write_text(json.dumps({"factor": factor}))
    src = tmp_path / "src"
    src.mkdir()
    (src / "score.py").write_text(SCORE_PY)
    return model, src


def test_endpoint_lifecycle_with_key_and_token(ml: AzureML, workspace_names: tuple[str, str], tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="azureml_rest")
    ws = ml.workspace(*workspace_names)
    models, envs = ModelVersionOperations(ws), EnvironmentOperations(ws)
    endpoints, deployments = OnlineEndpointOperations(ws), OnlineDeploymentOperations(ws)
    model_file, src = project(tmp_path, factor=3)
    model = models.create("it-online-model", "1", model_file)
    assert model.properties.model_uri and "LocalUpload/" in str(model.properties.model_uri)
    env = envs.create("it-online-env", "1", image=IMAGE, conda_file=CONDA)
    code = CodeUploader(ws).upload(src).id

    name = "ep-" + uuid.uuid4().hex[:10]
    poller = endpoints.begin_create_or_update(name, auth_mode="Key")
    assert poller.strategy == "azure-async-operation"
    ep = poller.result(timeout=60)
    assert str(ep.properties.provisioning_state) == "Succeeded" and ep.properties.scoring_uri
    assert name in {e.name for e in endpoints.list()}

    dep = deployments.begin_create_or_update(name, "blue", model=model, code=code, scoring_script="score.py",
                                             environment=env, environment_variables={"LABEL": "blue"})
    blue = dep.result(timeout=120)
    assert str(blue.properties.provisioning_state) == "Succeeded"
    assert [d.name for d in deployments.list(name)] == ["blue"]

    # No traffic yet: only the deployment header routes.
    with pytest.raises(NotFoundError):
        endpoints.invoke(name, {"data": [1]})
    assert endpoints.invoke(name, {"data": [1, 2]}, deployment="blue") == {"result": [3, 6], "label": "blue"}
    endpoints.begin_set_traffic(name, {"blue": 100}).result(timeout=60)
    assert endpoints.get(name).properties.traffic.to_dict() == {"blue": 100}  # type: ignore[union-attr]

    keys = endpoints.keys(name)
    assert keys.primary_key and keys.primary_key not in repr(keys)
    with endpoints.scoring_client(name) as scorer:
        assert scorer.score({"data": [5]})["result"] == [15]
        endpoints.begin_regenerate_key(name, "Primary").result(timeout=60)
        new = endpoints.keys(name)
        assert new.primary_key != keys.primary_key
        # the same client: its 401 re-reads the keys and the request is sent again with the new one
        assert scorer.score({"data": [2]})["result"] == [6]

    logs = deployments.logs(name, "blue", tail=50)
    assert "init done, factor 3" in logs and "scoring" in logs
    assert "Downloading model" in deployments.logs(name, "blue", container_type="StorageInitializer")

    text = caplog.text + repr(keys) + str(keys) + repr(new)
    for secret in (keys.primary_key, keys.secondary_key, new.primary_key):
        assert secret and secret not in text

    endpoints.begin_delete(name).result(timeout=60)
    with pytest.raises(NotFoundError):
        endpoints.get(name)


def test_aml_token_endpoint(ml: AzureML, workspace_names: tuple[str, str], tmp_path: Path) -> None:
    ws = ml.workspace(*workspace_names)
    endpoints, deployments = OnlineEndpointOperations(ws), OnlineDeploymentOperations(ws)
    model_file, src = project(tmp_path, factor=2)
    model = ModelVersionOperations(ws).create("it-online-token-model", uuid.uuid4().hex[:6], model_file)
    name = "ep-" + uuid.uuid4().hex[:10]
    endpoints.begin_create_or_update(name, auth_mode="AMLToken").result(timeout=60)
    deployments.begin_create_or_update(name, "green", model=model.id, code=CodeUploader(ws).upload(src).id,
                                       scoring_script="score.py").result(timeout=120)
    endpoints.begin_set_traffic(name, {"green": 100}).result(timeout=60)
    token = endpoints.token(name)
    assert token.access_token and token.access_token not in repr(token)
    assert endpoints.invoke(name, {"data": [4]}, auth="token")["result"] == [8]
    with pytest.raises(BadRequestError, match="AMLToken"):  # an AMLToken endpoint has no keys to score with
        endpoints.invoke(name, {"data": [4]}, auth="key")
    endpoints.begin_delete(name).result(timeout=60)
