"""Fixtures for integration tests: the overlay against a real emulator over HTTP on a free loopback port.

- ``emulator_server``: one in-memory emulator for the session from tests/conftest.py's session factory (so it runs
  in-process or as a subprocess like every other; ``lro_delay=0.2`` s, ARM ``page_size=2`` so that ``nextLink``
  paging is exercised); ``emulator_url``: its base URL.
- ``ml``: an ``AzureML.for_emulator(emulator_url)`` closed after the test.
- ``workspace_names``: a resource group and workspace created once per session (``(rg, ws)``).
- ``recorder``: a fresh :class:`tests.integration.support.Recorder` of HTTP events.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML

from tests.emulator_fixture import EmulatorFactory
from tests.integration.support import Recorder, create_workspace


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def emulator_server(session_emulator_factory: EmulatorFactory) -> RunningEmulator:
    running: RunningEmulator = session_emulator_factory(lro_delay=0.2, page_size=2)
    return running


@pytest.fixture(scope="session")
def emulator_url(emulator_server: RunningEmulator) -> str:
    return emulator_server.base_url


@pytest.fixture
def ml(emulator_url: str) -> Iterator[AzureML]:
    with AzureML.for_emulator(emulator_url) as client:
        yield client


@pytest.fixture(scope="session")
def workspace_names(emulator_url: str) -> tuple[str, str]:
    with AzureML.for_emulator(emulator_url) as client:
        create_workspace(client, "it-shared-rg", "it-shared-ws")
    return "it-shared-rg", "it-shared-ws"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
