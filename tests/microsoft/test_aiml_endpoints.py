"""azure-ai-ml 1.35 against the emulator: a managed online endpoint and deployment (both long-running), its keys,
a scoring call answered by the deployed script, and the endpoint's deletion."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.microsoft import aiml_harness
from tests.microsoft.aiml_projects import IMAGE, MODEL_TEXT, Projects

pytestmark = list(aiml_harness.MARKS)


def test_online_endpoint_deploy_keys_invoke_delete(ml_client: Any, projects: Projects, tmp_path: Path) -> None:
    from azure.ai.ml.entities import (
        CodeConfiguration,
        Environment,
        ManagedOnlineDeployment,
        ManagedOnlineEndpoint,
        Model,
    )
    from azure.core.exceptions import ResourceNotFoundError

    suffix = uuid.uuid4().hex[:8]
    model = ml_client.models.create_or_update(Model(name=f"aiml-score-{suffix}", path=str(projects.model_file)))

    endpoint = ManagedOnlineEndpoint(name=f"aiml-ep-{suffix}", auth_mode="key")
    created = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    assert created.name == endpoint.name
    assert created.provisioning_state == "Succeeded"
    assert created.scoring_uri

    deployment = ManagedOnlineDeployment(
        name="blue",
        endpoint_name=endpoint.name,
        model=f"azureml:{model.name}:{model.version}",
        code_configuration=CodeConfiguration(code=str(projects.score), scoring_script="score.py"),
        environment=Environment(image=IMAGE),
        instance_type="Standard_DS3_v2",
        instance_count=1,
    )
    deployed = ml_client.online_deployments.begin_create_or_update(deployment).result()
    assert (deployed.name, deployed.provisioning_state) == ("blue", "Succeeded")

    endpoint.traffic = {"blue": 100}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    assert ml_client.online_endpoints.get(endpoint.name).traffic == {"blue": 100}

    keys = ml_client.online_endpoints.get_keys(endpoint.name)
    assert keys.primary_key and keys.secondary_key and keys.primary_key != keys.secondary_key

    request = tmp_path / "request.json"
    request.write_text(json.dumps({"data": [1, 2, 3]}))
    answer = {"model": MODEL_TEXT, "sum": 6}
    assert json.loads(ml_client.online_endpoints.invoke(endpoint.name, request_file=str(request))) == answer
    by_name = ml_client.online_endpoints.invoke(endpoint.name, request_file=str(request), deployment_name="blue")
    assert json.loads(by_name) == answer

    ml_client.online_endpoints.begin_delete(name=endpoint.name).result()
    with pytest.raises(ResourceNotFoundError):
        ml_client.online_endpoints.get(endpoint.name)
