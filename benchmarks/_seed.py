"""Creating what the benchmarks read: a resource group and workspace (through the overlay), runs and models
(raw async httpx against the same API, many requests in flight, so seeding stays short)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from ._emulator import SUBSCRIPTION, EmulatorProcess

RG = "bench-rg"
WS = "bench-ws"
EXPERIMENT = "bench-exp"
LOCATION = "eastus"


def ws_path(rg: str = RG, ws: str = WS) -> str:
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices"
            f"/workspaces/{ws}")


def create_workspace(emu: EmulatorProcess, rg: str = RG, ws: str = WS) -> None:
    """The resource group and the workspace, created through the overlay (what a user would do)."""
    from azureml_rest.client import AzureML

    with AzureML.for_emulator(emu.base_url) as ml:
        ml.resource_groups.create_or_update(rg, LOCATION)
        base = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers"
        ml.workspaces.begin_create_or_update(
            rg, ws, location=LOCATION,
            storage_account=f"{base}/Microsoft.Storage/storageAccounts/benchsa",
            key_vault=f"{base}/Microsoft.KeyVault/vaults/benchkv",
            application_insights=f"{base}/Microsoft.Insights/components/benchai",
        ).result(timeout=60)


def run_url(emu: EmulatorProcess, run_id: str, experiment: str = EXPERIMENT) -> str:
    return f"{emu.base_url}/history/v1.0{ws_path()}/experiments/{experiment}/runs/{run_id}"


def models_url(emu: EmulatorProcess) -> str:
    return (f"{emu.base_url}/modelmanagement/v1.0/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/"
            f"Microsoft.MachineLearningServices/workspaces/{WS}/models")


async def _fan_out(requests: list[tuple[str, str, Any]], token: str, concurrency: int) -> None:
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=120,
                                 trust_env=False) as client:

        async def one(method: str, url: str, body: Any) -> None:
            async with sem:
                r = await client.request(method, url, json=body, params={"api-version": "2019-11-01"})
                if r.status_code >= 300:
                    raise RuntimeError(f"seeding {method} {url}: {r.status_code} {r.text[:200]}")

        await asyncio.gather(*(one(*req) for req in requests))


def seed_runs(emu: EmulatorProcess, token: str, count: int, experiment: str = EXPERIMENT) -> float:
    """``count`` runs in ``experiment`` (``PATCH .../runs/{runId}``, the CreateRun form); returns seconds taken."""
    t0 = time.perf_counter()
    reqs = [("PATCH", run_url(emu, f"bench-run-{i:06d}", experiment),
             {"runId": f"bench-run-{i:06d}", "status": "Completed", "tags": {"i": str(i)}})
            for i in range(count)]
    asyncio.run(_fan_out(reqs, token, 16))
    return time.perf_counter() - t0


def seed_models(emu: EmulatorProcess, token: str, count: int) -> float:
    """``count`` registered models (``POST .../models``); returns seconds taken."""
    t0 = time.perf_counter()
    url = models_url(emu)
    reqs = [("POST", url, {"name": f"bench-model-{i:06d}", "url": "https://example.invalid/model.pkl",
                           "mimeType": "application/octet-stream", "description": "benchmark"})
            for i in range(count)]
    asyncio.run(_fan_out(reqs, token, 16))
    return time.perf_counter() - t0
