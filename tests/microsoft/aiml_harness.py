"""Pointing Microsoft's azure-ai-ml (unchanged) at a TLS emulator: the test harness, nothing of the SDK patched.

What azure-ai-ml needs to talk to a loopback service, and how each need is met here (the SDK's own switches):

- **Endpoints**: a custom cloud passed to ``MLClient`` as keyword arguments (``cloud`` + ``cloud_metadata``, all
  six keys; azure-ai-ml ``_azure_environments._add_cloud_to_environments``). Nothing is fetched for it. The
  SDK keeps clouds in a module-level dict and silently ignores a name it already knows, so every emulator gets a
  cloud name of its own (:func:`cloud_name`). ARM calls and token scopes derive from ``resource_manager``
  (``{base_url}/.default``); blob hosts from ``storage_endpoint`` as ``https://{account}.blob.{suffix}``. The
  suffix must start with ``core.``: azure-storage-blob finds the account name by splitting the host on
  ``.blob.core.`` (``azure/storage/blob/_shared/base_client.py``).
- **TLS trust**: azure-ai-ml builds its blob and ARM clients itself (requests underneath), so the one switch that
  reaches them all is ``REQUESTS_CA_BUNDLE`` (plus ``SSL_CERT_FILE``), set to the emulator's CA in the test
  process only (:func:`trust_and_resolve`). Bearer tokens are refused over plain http by azure-core, so TLS is
  not optional.
- **Names**: ``{account}.blob.core.localhost`` does not resolve on every machine; :func:`trust_and_resolve`
  answers names ending in ``.localhost`` with 127.0.0.1 by wrapping this process's ``socket.getaddrinfo`` (test
  harness name resolution; the SDK is not touched).
- **Credential**: azure-identity's ``ClientSecretCredential`` with the emulator as authority (its token
  endpoints speak Azure AD's protocol; no instance discovery, nothing leaves the machine).
"""

from __future__ import annotations

import socket
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.support import get_token

ML = "Microsoft.MachineLearningServices"  # the resource provider of workspaces, computes and assets
# The api-version the harness creates the workspace and compute with (the article's; azure-ai-ml reads them back
# at its own versions, as it would resources created in the portal).
WORKSPACE_API = "2019-11-01"
LOOPBACK = "127.0.0.1"
# Every module's marks: ``aiml`` (run alone with -m aiml), and silence for the deprecation warnings raised inside
# azure-ai-ml's own calls (its schemas under marshmallow 3.26, dozens per test; its use of azure-storage-blob when
# downloading): nothing this project can act on.
MARKS = (
    pytest.mark.aiml,
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.Marshmallow4Warning"),
    pytest.mark.filterwarnings(r"ignore::DeprecationWarning:azure\.storage\.blob\..*"),
)


def cloud_name(base_url: str) -> str:
    """A cloud name unique to one emulator (azure-ai-ml keeps the first metadata registered under a name)."""
    port = base_url.rsplit(":", 1)[-1].strip("/")
    return f"AzureMLEmulator{port}x{uuid.uuid4().hex[:6]}"


def cloud_metadata(base_url: str) -> dict[str, str]:
    """The six endpoint keys azure-ai-ml requires of a custom cloud, all pointing at the emulator."""
    port = base_url.rsplit(":", 1)[-1].strip("/")
    return {
        "azure_portal": "https://portal.azure.com/",  # only shown in job Studio links
        "resource_manager": base_url + "/",  # ARM base and token scope ({base_url}/.default)
        "active_directory": base_url + "/",  # unused when a credential object is passed
        "aml_resource_id": "https://ml.azure.com/",  # audience of x-azureml-token (not sent by these tests)
        "storage_endpoint": f"core.localhost:{port}",  # blob host: {account}.blob.core.localhost:{port}
        "registry_discovery_endpoint": base_url + "/",  # not contacted without registry assets
    }


def trust_and_resolve(monkeypatch: pytest.MonkeyPatch, ca_file: Path) -> None:
    """Until ``monkeypatch`` is undone: requests trusts the emulator's CA and ``*.localhost`` names resolve to
    127.0.0.1 in this process.

    Machines often export ``REQUESTS_CA_BUNDLE``/``SSL_CERT_FILE`` pointing at the system store; both are set
    (``CURL_CA_BUNDLE`` removed) so exactly the emulator's CA is trusted.
    """
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    real: Callable[..., Any] = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.rstrip(".").lower().endswith(".localhost"):
            return real(LOOPBACK, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@dataclass(frozen=True)
class World:
    """One resource group and workspace (with a compute) on an emulator, made over ARM for the scenario."""

    base_url: str
    subscription_id: str
    resource_group: str
    workspace: str
    storage_account: str
    compute: str


def _wait_location(client: httpx.Client, response: httpx.Response, attempts: int = 200) -> httpx.Response:
    """Follow a 202's ``Location`` until it stops answering 202 (bounded by ``attempts``)."""
    r = response
    url = response.headers.get("Location")
    for _ in range(attempts):
        if r.status_code != 202 or not url:
            return r
        time.sleep(int(r.headers.get("retry-after-ms", "100")) / 1000)
        r = client.get(url)
    return r


def make_world(emu: Any, verify: Any) -> World:
    """Create a resource group, a workspace (its storage account named for the blob store) and an AmlCompute
    through the emulator's ARM, the way a user's subscription would already hold them."""
    sub = emu.config.subscription_id
    suffix = uuid.uuid4().hex[:8]
    rg, ws, account, compute = f"aiml-rg-{suffix}", f"aiml-ws-{suffix}", f"staiml{suffix}", "cpu-cluster"
    providers = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    with httpx.Client(
        base_url=emu.base_url, verify=verify, timeout=30, headers={"Authorization": "Bearer " + get_token(emu)}
    ) as client:
        r = client.put(f"/subscriptions/{sub}/resourcegroups/{rg}", params={"api-version": "2019-10-01"},
                       json={"location": emu.config.location})  # fmt: skip
        assert r.status_code in (200, 201), r.text
        body = {
            "location": emu.config.location,
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "friendlyName": "azure-ai-ml scenario",
                "storageAccount": f"{providers}/Microsoft.Storage/storageAccounts/{account}",
                "keyVault": f"{providers}/Microsoft.KeyVault/vaults/kv{suffix}",
                "applicationInsights": f"{providers}/Microsoft.Insights/components/ai{suffix}",
                "containerRegistry": f"{providers}/Microsoft.ContainerRegistry/registries/cr{suffix}",
            },
        }
        ws_path = f"{providers}/{ML}/workspaces/{ws}"
        r = _wait_location(client, client.put(ws_path, params={"api-version": WORKSPACE_API}, json=body))
        assert r.status_code in (200, 201), r.text
        compute_body = {
            "location": emu.config.location,
            "properties": {
                "computeType": "AmlCompute",
                "properties": {
                    "vmSize": "STANDARD_DS3_V2",
                    "vmPriority": "Dedicated",
                    "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 2, "nodeIdleTimeBeforeScaleDown": "PT2M"},
                },
            },
        }
        r = client.put(f"{ws_path}/computes/{compute}", params={"api-version": WORKSPACE_API}, json=compute_body)
        r = _wait_location(client, r)
        assert r.status_code in (200, 201), r.text
    return World(emu.base_url, sub, rg, ws, account, compute)


def ml_client(world: World, credential: Any) -> Any:
    """``MLClient`` for ``world``'s workspace on its emulator, through a custom cloud (no HTTP at construction)."""
    from azure.ai.ml import MLClient

    return MLClient(
        credential,
        world.subscription_id,
        world.resource_group,
        world.workspace,
        cloud=cloud_name(world.base_url),
        cloud_metadata=cloud_metadata(world.base_url),
        enable_telemetry=False,
    )


def credential(emu: Any) -> Any:
    """azure-identity's ClientSecretCredential for the emulator's development account (its own authority)."""
    from azure.identity import ClientSecretCredential

    cfg = emu.config
    return ClientSecretCredential(
        cfg.tenant_id,
        cfg.client_id,
        cfg.client_secret,
        authority=emu.base_url,
        disable_instance_discovery=True,
    )


def read_blob(emu: Any, account: str, container: str, blob: str) -> bytes:
    """A blob's bytes read back from the emulator's blob store with the account's key (harness check: what the
    SDK uploaded really landed), path-style, through azure-storage-blob."""
    from azure.storage.blob import BlobClient

    verify = str(emu.ca_file)
    accounts = httpx.get(f"{emu.base_url}/_emulator/storage/accounts", verify=ssl_context(verify), timeout=30)
    accounts.raise_for_status()
    info = next(a for a in accounts.json()["value"] if a["name"] == account)
    client = BlobClient.from_connection_string(
        info["connectionString"], container_name=container, blob_name=blob, connection_verify=verify
    )
    with client:
        return bytes(client.download_blob().readall())


def ssl_context(ca_file: str) -> ssl.SSLContext:
    """An SSL context trusting only the emulator's CA (for the harness's own httpx calls)."""
    return ssl.create_default_context(cafile=ca_file)
