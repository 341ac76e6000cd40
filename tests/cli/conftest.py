"""Fixtures for the CLI tests: one emulator for the session (real HTTP on a free loopback port) and a clean env.

- ``url``: the base URL of ``session_emulator`` (tests/conftest.py); every command is run with
  ``--endpoint url`` (the emulator's development account).
- ``ws_args``: the global options naming a resource group and workspace created once for the session.
- ``json_of(capsys, *argv)``: run a command that must succeed, return the JSON it printed.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator.server import RunningEmulator
from azureml_rest.cli import main
from azureml_rest.cli.app import run

ENV_VARS = (
    "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID", "AZURE_AUTHORITY_HOST",
    "AZUREML_CLOUD", "AZURE_CLOUD", "AZUREML_ENDPOINT", "AZUREML_RESOURCE_GROUP", "AZUREML_WORKSPACE",
    "AZUREML_LOCATION", "AZUREML_STORAGE_ACCOUNT", "AZUREML_KEY_VAULT", "AZUREML_APPLICATION_INSIGHTS",
    "AZUREML_CONTAINER_REGISTRY",
)
RG = "cli-rg"
WS = "cli-ws"
COMPUTE = "cpu-compute"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI falls back to these; a developer's real Azure settings must not leak into the tests.
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def url(session_emulator: RunningEmulator) -> str:
    """The shared session emulator of tests/conftest.py (strict api-versions, in memory)."""
    return session_emulator.base_url


def json_of(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """Run the CLI (``main``) expecting exit code 0 (else fail with its stderr); the JSON it printed."""
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def invoke(*argv: str) -> tuple[int, str, str]:
    """Run the CLI with captured stdout/stderr (for fixtures, where capsys is not available)."""
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def ws_args(url: str) -> list[str]:
    """``--endpoint URL -g cli-rg -w cli-ws`` after creating the group, the workspace and a compute."""
    base = ["--endpoint", url]
    sub = "00000000-0000-4000-8000-0000000005b5"
    ids = f"/subscriptions/{sub}/resourceGroups/{RG}/providers"
    steps = [
        ["group", "create", RG, "--location", "eastus"],
        ["workspace", "create", "-g", RG, "-n", WS, "--location", "eastus",
         "--storage-account", f"{ids}/Microsoft.Storage/storageAccounts/clisa",
         "--key-vault", f"{ids}/Microsoft.KeyVault/vaults/clikv",
         "--application-insights", f"{ids}/Microsoft.Insights/components/cliai"],
        ["compute", "create", COMPUTE, "-g", RG, "-w", WS, "--max-nodes", "2"],
    ]
    for step in steps:
        code, _out, err = invoke(*base, *step)
        assert code == 0, err
    return [*base, "-g", RG, "-w", WS]
