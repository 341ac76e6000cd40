"""Model versions and environments of the current API through the library, over real HTTP against the emulator:
a model from a local file and from a local folder (uploaded to the default datastore; test_online.py's
deployments read such an upload back in init()) and from a job output URI; get, lazy list across pages,
archive; environments from an image and a conda file (text or path). Sync and async."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import NotFoundError
from azureml_rest.operations.environments import AsyncEnvironmentOperations, EnvironmentOperations
from azureml_rest.operations.models_v2 import AsyncModelVersionOperations, ModelVersionOperations

CONDA = "name: env\ndependencies:\n  - python=3.11\n  - pip:\n    - numpy\n"


def test_model_versions_sync(ml: AzureML, workspace_names: tuple[str, str], tmp_path: Path) -> None:
    ws = ml.workspace(*workspace_names)
    models = ModelVersionOperations(ws)
    name = "it-mv-" + uuid.uuid4().hex[:6]
    weights = tmp_path / "weights.bin"
    weights.write_bytes(bytes(range(256)) * 4)
    v1 = models.create(name, "1", weights, description="from a file", tags={"k": "v"})
    uri = str(v1.properties.model_uri)
    assert uri.startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/") and uri.endswith(
        "/weights.bin")
    assert str(v1.properties.model_type) == "custom_model" and v1.properties.description == "from a file"

    folder = tmp_path / "model"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("a")
    (folder / "b.txt").write_text("b")
    v2 = models.create(name, "2", folder)
    assert str(v2.properties.model_uri).endswith("/model/")

    job_uri = "azureml://jobs/some-job/outputs/artifacts/paths/outputs/"
    v3 = models.create(name, "3", job_uri)
    assert v3.properties.model_uri == job_uri

    assert models.get(name, "2").id == v2.id
    with pytest.raises(NotFoundError):
        models.get(name, "99")
    listed = models.list(name)  # the emulator pages by 2: three versions take two pages
    assert sorted(str(v.name) for v in listed) == ["1", "2", "3"]
    assert len(list(listed.by_page())) >= 2
    assert name in {str(c.name) for c in models.list_containers()}

    archived = models.archive(name, "1")
    assert archived.properties.is_archived is True
    assert sorted(str(v.name) for v in models.list(name)) == ["2", "3"]
    assert "1" in {str(v.name) for v in models.list(name, list_view_type="All")}
    assert models.get(name, "1").properties.model_uri == uri  # still readable, unchanged


def test_environments_sync(ml: AzureML, workspace_names: tuple[str, str], tmp_path: Path) -> None:
    ws = ml.workspace(*workspace_names)
    envs = EnvironmentOperations(ws)
    name = "it-env-" + uuid.uuid4().hex[:6]
    image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
    plain = envs.create(name, "1", image=image)
    assert plain.properties.image == image
    conda_path = tmp_path / "conda.yaml"
    conda_path.write_text(CONDA)
    with_file = envs.create(name, "2", image=image, conda_file=conda_path)
    assert with_file.properties.conda_file == CONDA
    with_text = envs.create(name, "3", image=image, conda_file=CONDA, tags={"t": "1"})
    assert with_text.properties.conda_file == CONDA
    assert envs.get(name, "2").properties.conda_file == CONDA
    assert sorted(str(v.name) for v in envs.list(name)) == ["1", "2", "3"]
    assert name in {str(c.name) for c in envs.list_containers()}
    with pytest.raises(NotFoundError):
        envs.get(name, "9")


@pytest.mark.anyio
async def test_models_and_environments_async(emulator_url: str, workspace_names: tuple[str, str],
                                             tmp_path: Path) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        models, envs = AsyncModelVersionOperations(ws), AsyncEnvironmentOperations(ws)
        name = "it-mva-" + uuid.uuid4().hex[:6]
        weights = tmp_path / "w.json"
        weights.write_text('{"factor": 1}')
        v1 = await models.create(name, "1", weights)
        assert str(v1.properties.model_uri).endswith("/w.json")
        await models.create(name, "2", "azureml://jobs/j/outputs/artifacts/paths/outputs/")
        await models.create(name, "3", weights)
        assert sorted([str(v.name) async for v in models.list(name)]) == ["1", "2", "3"]
        assert (await models.archive(name, "2")).properties.is_archived is True
        assert sorted([str(v.name) async for v in models.list(name)]) == ["1", "3"]
        env = await envs.create("it-enva-" + uuid.uuid4().hex[:6], "1", image="python:3.11-slim", conda_file=CONDA)
        assert (await envs.get(str(env.id).split("/")[-3], "1")).properties.conda_file == CONDA
