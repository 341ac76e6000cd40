"""Side-by-side api-versions (specs/versions/, generated as azureml_<group>_client_vYYYY_MM_DD) work over HTTP.

The default packages are called operation by operation in test_every_operation.py; a versioned package shares
their code paths and differs in models, so it gets a smoke test per package: import, then a list and a get
through the plain generated client against the emulator, which accepts the newer api-version. Its new
operations that the emulator does not serve (compute start/stop/restart in 2020-08-01) are not called.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from .emulator_world import ARM_API, ok, token, workspace_body

GENERATED = Path(__file__).resolve().parents[2] / "generated"
VERSIONED = sorted(
    p.name for p in GENERATED.iterdir() if p.is_dir() and re.search(r"_client_v\d{4}_\d{2}_\d{2}$", p.name)
)


@pytest.mark.parametrize("package", [p for p in VERSIONED if p.startswith("azureml_management_client_")])
def test_versioned_management_package_talks_to_the_emulator(package: str, session_emulator: Any) -> None:
    version = re.sub(r"^.*_v(\d{4})_(\d{2})_(\d{2})$", r"\1-\2-\3", package)
    client_mod = importlib.import_module(package)
    rg_list = importlib.import_module(f"{package}.api.resource_groups.resource_groups_list")
    rg_put = importlib.import_module(f"{package}.api.resource_groups.resource_groups_create_or_update")
    ws_list = importlib.import_module(f"{package}.api.workspaces.workspaces_list_by_subscription")
    models = importlib.import_module(f"{package}.models")
    sub = session_emulator.ctx.config.subscription_id
    client = client_mod.AuthenticatedClient(base_url=session_emulator.base_url, token=token(session_emulator))
    with client:
        put = rg_put.sync_detailed(sub, "versioned-rg", client=client, body=models.ResourceGroup(location="eastus"))
        assert put.status_code in (200, 201)
        groups = rg_list.sync_detailed(sub, client=client)
        assert groups.status_code == 200
        assert "versioned-rg" in [g.name for g in groups.parsed.value]
        workspaces = ws_list.sync_detailed(sub, client=client)
        assert workspaces.status_code == 200, workspaces.content
        assert isinstance(workspaces.parsed, models.WorkspaceListResult)
        sent = workspaces.headers.get("x-ms-request-id")
        assert sent, "the emulator answers every request with x-ms-request-id"
    assert version == ws_list._get_kwargs(sub)["params"]["api-version"]


@pytest.mark.parametrize("package", [p for p in VERSIONED if p.startswith("azureml_machinelearning_client_")])
def test_versioned_machinelearning_package_talks_to_the_emulator(package: str, session_emulator: Any) -> None:
    """A workspace read and a code version's whole life (PUT, GET, DELETE, DELETE again) at the bumped version."""
    version = re.sub(r"^.*_v(\d{4})_(\d{2})_(\d{2})$", r"\1-\2-\3", package)
    client_mod = importlib.import_module(package)
    ws_get = importlib.import_module(f"{package}.api.workspaces.workspaces_get")
    put = importlib.import_module(f"{package}.api.codes.code_versions_create_or_update")
    get = importlib.import_module(f"{package}.api.codes.code_versions_get")
    delete = importlib.import_module(f"{package}.api.codes.code_versions_delete")
    models = importlib.import_module(f"{package}.models")
    sub, rg, ws = session_emulator.ctx.config.subscription_id, "versioned-ml-rg", "versioned-ml-ws"
    bearer = token(session_emulator)
    with httpx.Client(base_url=session_emulator.base_url, headers={"Authorization": f"Bearer {bearer}"}) as raw:
        ok(raw.put(f"/subscriptions/{sub}/resourcegroups/{rg}", params={"api-version": "2019-10-01"},
                   json={"location": "eastus"}))  # fmt: skip
        ws_path = (
            f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}"
        )
        ok(raw.put(ws_path, params=ARM_API, json=workspace_body(sub, rg)))
        refused = raw.get(ws_path + "/codes", params={"api-version": "2026-10-01"})
        assert refused.status_code == 400, (
            "the emulator checks api-version, so accepting the bumped one means something"
        )
    client = client_mod.AuthenticatedClient(base_url=session_emulator.base_url, token=bearer)
    body = models.CodeVersion.from_dict(
        {"properties": {"codeUri": "https://example.invalid/code", "isAnonymous": True}}
    )
    with client:
        got_ws = ws_get.sync_detailed(sub, rg, ws, client=client)
        assert got_ws.status_code == 200, got_ws.content
        assert isinstance(got_ws.parsed, models.Workspace) and got_ws.parsed.name == ws
        created = put.sync_detailed(sub, rg, ws, "versioned-code", "1", client=client, body=body)
        assert created.status_code == 201, created.content
        got = get.sync_detailed(sub, rg, ws, "versioned-code", "1", client=client)
        assert isinstance(got.parsed, models.CodeVersion) and got.parsed.properties.is_anonymous is True
        assert delete.sync_detailed(sub, rg, ws, "versioned-code", "1", client=client).status_code == 200
        assert delete.sync_detailed(sub, rg, ws, "versioned-code", "1", client=client).status_code == 204
    assert put._get_kwargs(sub, rg, ws, "n", "1", body=body)["params"]["api-version"] == version
