"""Fixtures for the demo's tests (``python -m demo``, the repository-root package ``demo``).

- a clean environment: the demo falls back to ``AZURE_*``/``AZUREML_*`` variables, and a developer's real Azure
  settings must not leak into the tests;
- ``url``: the base URL of the session's emulator (tests/conftest.py), for ``--endpoint``.
"""

from __future__ import annotations

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator import RunningEmulator

ENV_VARS = (
    "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID", "AZURE_AUTHORITY_HOST",
    "AZUREML_CLOUD", "AZURE_CLOUD", "AZUREML_ENDPOINT", "AZUREML_RESOURCE_GROUP", "AZUREML_WORKSPACE",
    "AZUREML_LOCATION", "AZUREML_STORAGE_ACCOUNT", "AZUREML_KEY_VAULT", "AZUREML_APPLICATION_INSIGHTS",
    "AZUREML_CONTAINER_REGISTRY",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def url(session_emulator: RunningEmulator) -> str:
    """The shared session emulator of tests/conftest.py (strict api-versions, in memory)."""
    return session_emulator.base_url
