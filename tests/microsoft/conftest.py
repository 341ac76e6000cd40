"""Fixtures for Microsoft's azure-ai-ml against the emulator over TLS (tests/microsoft/aiml_harness.py says how).

Package-scoped, so the environment variables and the name resolution they set are undone when this folder's
tests end (other folders' tests in the same worker see the machine as it was):

- ``aiml_emulator``: an emulator with ``--tls`` (started through tests/emulator_fixture.py's factory).
- ``aiml_world``: a resource group, a workspace whose storage account the blob store serves, and the
  AmlCompute ``cpu-cluster``, made over ARM by the harness.
- ``ml_client``: ``azure.ai.ml.MLClient`` on that workspace (custom cloud, ClientSecretCredential), with the
  emulator's CA trusted and ``*.localhost`` resolving to 127.0.0.1 for the whole package.
- ``projects``: the training and scoring folders and a model file (tests/microsoft/aiml_projects.py).
- ``completed_job``: the scenario's command job, submitted once and waited for (its gate open from the start);
  the tests that need a finished job (second submission, download, model from a job output) share it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.emulator_fixture import EmulatorFactory
from tests.microsoft import aiml_harness as harness
from tests.microsoft import aiml_projects

NEEDS_EMULATOR = "run with PYTHONPATH=overlays:generated:emulator"


@pytest.fixture(scope="package")
def aiml_emulator(emulator_mode: str) -> Iterator[Any]:
    pytest.importorskip("azureml_emulator.server", reason=NEEDS_EMULATOR)
    factory = EmulatorFactory(emulator_mode)
    try:
        yield factory(tls=True, lro_delay=0.2)
    finally:
        factory.close()


@pytest.fixture(scope="package")
def aiml_environment(aiml_emulator: Any) -> Iterator[None]:
    """The emulator's CA trusted and ``*.localhost`` resolved to loopback, in this process, for this package."""
    with warnings.catch_warnings():
        # azure-ai-ml's schemas build marshmallow fields that marshmallow 3.26 warns about (hundreds, at import)
        warnings.simplefilter("ignore")
        import azure.ai.ml  # noqa: F401
    with pytest.MonkeyPatch.context() as mp:
        harness.trust_and_resolve(mp, aiml_emulator.ca_file)
        # MLClient sets AZUREML_CURRENT_CLOUD itself; owning it here means it is removed again afterwards.
        mp.setenv("AZUREML_CURRENT_CLOUD", "AzureCloud")
        yield


@pytest.fixture(scope="package")
def aiml_world(aiml_emulator: Any) -> harness.World:
    return harness.make_world(aiml_emulator, harness.ssl_context(str(aiml_emulator.ca_file)))


@pytest.fixture(scope="package")
def ml_client(aiml_environment: None, aiml_world: harness.World, aiml_emulator: Any) -> Any:
    return harness.ml_client(aiml_world, harness.credential(aiml_emulator))


@pytest.fixture(scope="package")
def projects(tmp_path_factory: pytest.TempPathFactory) -> aiml_projects.Projects:
    return aiml_projects.write_projects(tmp_path_factory.mktemp("aiml-projects"))


@pytest.fixture(scope="package")
def open_gate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gate file that exists: jobs given it finish without waiting."""
    gate = tmp_path_factory.mktemp("aiml-gate") / "open"
    gate.touch()
    return gate


@pytest.fixture(scope="package")
def completed_job(
    ml_client: Any, aiml_world: harness.World, projects: aiml_projects.Projects, open_gate: Path
) -> Any:
    job = aiml_projects.hello_command(projects, aiml_world.compute, "aiml-shared", open_gate)
    submitted = ml_client.jobs.create_or_update(job)
    return aiml_projects.wait_terminal(ml_client, submitted.name)
