"""The async twin of test_online.py: model from a local file, environment, endpoint + deployment (long-running),
invoke with the key and through the deployment header, key rotation picked up by the same scoring client, logs,
delete; and an AMLToken endpoint scored with its token."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from azureml_rest.client import AsyncAzureML
from azureml_rest.errors import NotFoundError
from azureml_rest.operations.environments import AsyncEnvironmentOperations
from azureml_rest.operations.jobs import AsyncCodeUploader
from azureml_rest.operations.models_v2 import AsyncModelVersionOperations
from azureml_rest.operations.online_deployments import AsyncOnlineDeploymentOperations
from azureml_rest.operations.online_endpoints import AsyncOnlineEndpointOperations

from tests.integration.test_online import CONDA, IMAGE, project

pytestmark = pytest.mark.anyio


async def test_endpoint_lifecycle_async(emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        endpoints, deployments = AsyncOnlineEndpointOperations(ws), AsyncOnlineDeploymentOperations(ws)
        model_file, src = project(tmp_path, factor=5)
        model = await AsyncModelVersionOperations(ws).create("it-online-model-async", "1", model_file)
        env = await AsyncEnvironmentOperations(ws).create("it-online-env-async", "1", image=IMAGE, conda_file=CONDA)
        code = (await AsyncCodeUploader(ws).upload(src)).id

        name = "ep-" + uuid.uuid4().hex[:10]
        ep = await (await endpoints.begin_create_or_update(name)).result(timeout=60)
        assert str(ep.properties.auth_mode) == "Key" and ep.properties.scoring_uri
        assert name in {e.name async for e in endpoints.list()}
        poller = await deployments.begin_create_or_update(name, "blue", model=model, code=code,
                                                          scoring_script="score.py", environment=env.id,
                                                          environment_variables={"LABEL": "async"})
        assert poller.strategy == "azure-async-operation"
        blue = await poller.result(timeout=120)
        assert str(blue.properties.provisioning_state) == "Succeeded"

        answer = await endpoints.invoke(name, {"data": [1]}, deployment="blue")
        assert answer == {"result": [5], "label": "async"}
        await (await endpoints.begin_set_traffic(name, {"blue": 100})).result(timeout=60)
        keys = await endpoints.keys(name)
        async with await endpoints.scoring_client(name) as scorer:
            assert (await scorer.score({"data": [2]}))["result"] == [10]
            await (await endpoints.begin_regenerate_key(name, "Primary")).result(timeout=60)
            assert (await endpoints.keys(name)).primary_key != keys.primary_key
            assert (await scorer.score({"data": [3]}))["result"] == [15]  # same client, new key

        assert "init done, factor 5" in await deployments.logs(name, "blue")
        await (await endpoints.begin_set_traffic(name, {"blue": 0})).result(timeout=60)
        await (await deployments.begin_delete(name, "blue")).result(timeout=60)
        with pytest.raises(NotFoundError):
            await deployments.get(name, "blue")
        await (await endpoints.begin_delete(name)).result(timeout=60)
        with pytest.raises(NotFoundError):
            await endpoints.get(name)


async def test_aml_token_endpoint_async(emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        endpoints, deployments = AsyncOnlineEndpointOperations(ws), AsyncOnlineDeploymentOperations(ws)
        model_file, src = project(tmp_path, factor=7)
        model = await AsyncModelVersionOperations(ws).create("it-online-token-async", uuid.uuid4().hex[:6],
                                                             model_file)
        name = "ep-" + uuid.uuid4().hex[:10]
        await (await endpoints.begin_create_or_update(name, auth_mode="AMLToken")).result(timeout=60)
        await (await deployments.begin_create_or_update(name, "green", model=model.id,
                                                        code=(await AsyncCodeUploader(ws).upload(src)).id,
                                                        scoring_script="score.py")).result(timeout=120)
        await (await endpoints.begin_set_traffic(name, {"green": 100})).result(timeout=60)
        token = await endpoints.token(name)
        assert token.access_token and token.access_token not in repr(token) + str(token)
        assert (await endpoints.invoke(name, {"data": [1]}, auth="token"))["result"] == [7]
        await (await endpoints.begin_delete(name)).result(timeout=60)
