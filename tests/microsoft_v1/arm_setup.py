"""The resource group and workspace the azureml-core tests start from, made over ARM's REST API.

azureml-core's ``Workspace.create`` deploys an ARM template of dependent resources, which is outside what the
emulator serves; the walkthrough starts, like the article's, from a workspace that exists.
"""

from __future__ import annotations

import time
from typing import Any

import requests

LOCATION = "eastus"


def _dependents(sub: str, rg: str) -> dict[str, str]:
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    return {
        "storageAccount": f"{base}/Microsoft.Storage/storageAccounts/v1sa",
        "keyVault": f"{base}/Microsoft.KeyVault/vaults/v1kv",
        "applicationInsights": f"{base}/Microsoft.Insights/components/v1ai",
        "containerRegistry": f"{base}/Microsoft.ContainerRegistry/registries/v1cr",
    }


def create_workspace(base_url: str, ca_file: str, headers: dict[str, str], sub: str, rg: str, name: str) -> Any:
    """PUT the resource group and the workspace, then GET the workspace until it is provisioned."""
    arm = base_url.rstrip("/")
    r = requests.put(f"{arm}/subscriptions/{sub}/resourcegroups/{rg}?api-version=2019-10-01",
                     json={"location": LOCATION}, headers=headers, verify=ca_file, timeout=30)
    r.raise_for_status()
    ws_url = (f"{arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices"
              f"/workspaces/{name}?api-version=2019-11-01")
    body = {"location": LOCATION, "identity": {"type": "SystemAssigned"}, "properties": _dependents(sub, rg)}
    r = requests.put(ws_url, json=body, headers=headers, verify=ca_file, timeout=30)
    r.raise_for_status()
    for _ in range(200):
        doc = requests.get(ws_url, headers=headers, verify=ca_file, timeout=30).json()
        if doc["properties"].get("provisioningState") in ("Succeeded", "Failed"):
            return doc
        time.sleep(0.1)
    raise AssertionError(f"workspace {name} still provisioning: {doc['properties'].get('provisioningState')}")
