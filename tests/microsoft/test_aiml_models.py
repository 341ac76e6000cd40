"""azure-ai-ml 1.35 against the emulator: models registered from a job's output and from a local file."""

from __future__ import annotations

import uuid
from typing import Any

from tests.microsoft import aiml_harness
from tests.microsoft.aiml_projects import MODEL_TEXT, Projects

pytestmark = list(aiml_harness.MARKS)


def test_model_from_a_job_output(ml_client: Any, completed_job: Any) -> None:
    from azure.ai.ml.entities import Model

    name = "aiml-from-job-" + uuid.uuid4().hex[:6]
    uri = f"azureml://jobs/{completed_job.name}/outputs/artifacts/paths/outputs/"
    created = ml_client.models.create_or_update(Model(name=name, path=uri, type="custom_model"))
    assert (created.name, created.version) == (name, "1")
    assert created.path == uri
    got = ml_client.models.get(name, version="1")
    assert got.path == uri and got.type == "custom_model"


def test_model_from_a_local_file(ml_client: Any, aiml_emulator: Any, projects: Projects) -> None:
    from azure.ai.ml.entities import Model

    name = "aiml-local-" + uuid.uuid4().hex[:6]
    created = ml_client.models.create_or_update(Model(name=name, path=str(projects.model_file)))
    assert (created.name, created.version) == (name, "1")
    # Uploaded to the default datastore under LocalUpload/<hash>/model.txt, and registered with that URI.
    assert "/datastores/workspaceblobstore/paths/LocalUpload/" in created.path
    assert created.path.endswith("/model.txt")
    blob = created.path.split("/paths/", 1)[1]
    store = ml_client.datastores.get("workspaceblobstore")
    assert aiml_harness.read_blob(aiml_emulator, store.account_name, store.container_name, blob) == (
        MODEL_TEXT + "\n"
    ).encode()
    again = ml_client.models.create_or_update(Model(name=name, path=str(projects.model_file)))
    assert again.version == "2" and again.path == created.path
