"""Helpers for emulator tests: tokens, dependent resource ids, and an ARM client helper."""

from __future__ import annotations

import ssl
import time
import uuid
from typing import Any

import httpx
from azureml_emulator.server import RunningEmulator

ARM_RESOURCE = "https://management.azure.com/"
ML = "Microsoft.MachineLearningServices"


def verify_for(emu: RunningEmulator) -> ssl.SSLContext | bool:
    """What httpx should verify ``emu``'s certificate with (its CA under --tls)."""
    return ssl.create_default_context(cafile=str(emu.ca_file)) if emu.ca_file else True


def get_token(emu: RunningEmulator, resource: str = ARM_RESOURCE) -> str:
    """A v1 client-credentials token for ``resource`` from ``emu``."""
    cfg = emu.config
    r = httpx.post(
        f"{emu.base_url}/{cfg.tenant_id}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
            "resource": resource,
        },
        verify=verify_for(emu),
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def dependent_ids(sub: str, rg: str) -> dict[str, str]:
    """Well-formed ids of the four resources a workspace depends on."""
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    return {
        "storageAccount": f"{base}/Microsoft.Storage/storageAccounts/st{rg.lower()[:10]}",
        "keyVault": f"{base}/Microsoft.KeyVault/vaults/kv-{rg.lower()[:10]}",
        "applicationInsights": f"{base}/Microsoft.Insights/components/ai-{rg.lower()[:10]}",
        "containerRegistry": f"{base}/Microsoft.ContainerRegistry/registries/cr{rg.lower()[:10]}",
    }


class Arm:
    """ARM calls against one emulator with a management token."""

    def __init__(self, emu: RunningEmulator) -> None:
        self.emu = emu
        self.sub = emu.config.subscription_id
        self.client = httpx.Client(
            base_url=emu.base_url,
            headers={"Authorization": "Bearer " + get_token(emu)},
            verify=verify_for(emu),
            timeout=30,
        )

    def rg_path(self, rg: str) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{rg}"

    def ws_path(self, rg: str, ws: str) -> str:
        return f"{self.rg_path(rg)}/providers/{ML}/workspaces/{ws}"

    def request(self, method: str, path: str, *, api: str = "2019-11-01", **kw: Any) -> httpx.Response:
        params = dict(kw.pop("params", {}) or {})
        if api and "api-version" not in path:
            params.setdefault("api-version", api)
        return self.client.request(method, path, params=params, **kw)

    def new_group(self, location: str = "eastus") -> str:
        rg = "rg-" + uuid.uuid4().hex[:8]
        r = self.request("PUT", self.rg_path(rg), json={"location": location})
        assert r.status_code == 201, r.text
        return rg

    def workspace_body(self, rg: str, **props: Any) -> dict[str, Any]:
        return {
            "location": "eastus",
            "identity": {"type": "systemAssigned"},
            "properties": {"friendlyName": "fn", "description": "d", **dependent_ids(self.sub, rg), **props},
        }

    def new_workspace(self, rg: str | None = None, ws: str | None = None, wait: bool = True) -> tuple[str, str]:
        rg = rg or self.new_group()
        ws = ws or "ws-" + uuid.uuid4().hex[:8]
        r = self.request("PUT", self.ws_path(rg, ws), json=self.workspace_body(rg))
        assert r.status_code == 202, r.text
        if wait:
            final = self.wait(r.headers["Location"])
            assert final.status_code == 200, final.text
        return rg, ws

    def wait(self, url: str, timeout: float = 10.0) -> httpx.Response:
        """Poll a Location URL until it stops answering 202."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.client.get(url)
            if r.status_code != 202 or time.monotonic() > deadline:
                return r
            time.sleep(int(r.headers.get("retry-after-ms", "100")) / 1000)

    def wait_async(self, url: str, timeout: float = 10.0) -> dict[str, Any]:
        """Poll an Azure-AsyncOperation URL until its status is terminal."""
        deadline = time.monotonic() + timeout
        while True:
            body: dict[str, Any] = self.client.get(url).json()
            if body["status"] in ("Succeeded", "Failed", "Canceled") or time.monotonic() > deadline:
                return body
            time.sleep(0.05)
