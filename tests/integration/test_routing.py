"""Discovery routing: the data-plane host comes from the workspace's discoveryUrl (cached), explicit endpoints
replace it, and a discovery document naming a foreign host is refused."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import UntrustedHostError

from tests.emulator_fixture import EmulatorFactory
from tests.integration.support import create_workspace

WORKSPACE = ("routing-rg", "routing-ws")


@pytest.fixture
def own_emu(emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    """A function-scoped emulator with :data:`WORKSPACE`, so discovery overrides never reach another test."""
    emu: RunningEmulator = emulator_factory()
    with AzureML.for_emulator(emu.base_url) as client:
        create_workspace(client, *WORKSPACE)
    yield emu


def _set_discovery(emu: RunningEmulator, doc: dict[str, Any] | None) -> None:
    """Replace the emulator's discovery document (``None`` restores the default)."""
    r = httpx.put(f"{emu.base_url}/_emulator/discovery", json=doc, timeout=10)
    r.raise_for_status()


def _discovery_count(emu: RunningEmulator) -> int:
    return int(emu.ctx.counters["discovery"])


def test_discovery_routes_data_plane_and_is_cached(emulator_server: RunningEmulator,
                                                   workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_server.base_url) as ml:
        before = _discovery_count(emulator_server)
        ws = ml.workspace(*workspace_names)
        doc = ws.discovery()
        assert doc["api"] == emulator_server.base_url
        assert ws.endpoint("history") == emulator_server.base_url
        assert ws.endpoint("modelmanagement") == emulator_server.base_url
        list(ws.v1.experiments.list())
        list(ws.v1.models.list())
        # A second handle on the same workspace reuses the cached document.
        list(ml.workspace(*workspace_names).v1.experiments.list())
        assert _discovery_count(emulator_server) == before + 1
        assert str(ws.client("history").get_httpx_client().base_url).rstrip("/") == emulator_server.base_url


def test_explicit_endpoints_replace_discovery(emulator_server: RunningEmulator,
                                              workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_server.base_url) as ml:
        before = _discovery_count(emulator_server)
        ws = ml.workspace(*workspace_names, endpoints={"api": emulator_server.base_url + "/"})
        assert ws.discovery() == {"api": emulator_server.base_url}
        list(ws.v1.experiments.list())
        assert _discovery_count(emulator_server) == before


def test_discovery_is_fetched_without_authorization(own_emu: RunningEmulator) -> None:
    before = collections.Counter(own_emu.ctx.counters)  # a copy: in-process .ctx.counters is live
    with AzureML.for_emulator(own_emu.base_url) as ml:
        ws = ml.workspace(*WORKSPACE)
        list(ws.v1.experiments.list())
        list(ws.v1.models.list())
    after = own_emu.ctx.counters
    assert after["discovery"] - before["discovery"] == 1  # fetched once, then cached
    assert after["discovery:authorized"] == before["discovery:authorized"] == 0


def test_legacy_discovery_keys_when_api_is_absent(own_emu: RunningEmulator) -> None:
    # The 2020 SDK's keys: history for run history/execution, modelmanagement for models and services.
    base = own_emu.base_url
    _set_discovery(own_emu, {"history": base, "modelmanagement": base, "catalog": "https://catalog.example.com"})
    with AzureML.for_emulator(base) as ml:
        ws = ml.workspace(*WORKSPACE)
        assert "api" not in ws.discovery()
        assert ws.endpoint("execution") == base
        list(ws.v1.experiments.list())
        list(ws.v1.models.list())


def test_discovery_naming_a_foreign_host_is_refused(own_emu: RunningEmulator) -> None:
    _set_discovery(own_emu, {"api": "https://attacker.example.net"})
    with AzureML.for_emulator(own_emu.base_url) as ml:
        ws = ml.workspace(*WORKSPACE)
        with pytest.raises(UntrustedHostError, match=r"attacker\.example\.net"):
            list(ws.v1.experiments.list())
        with pytest.raises(UntrustedHostError):
            ws.client("modelmanagement")


def test_foreign_discovery_url_is_refused_before_any_request(emulator_url: str,
                                                             workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names, discovery_url="https://evil.example.com/discovery")
        with pytest.raises(UntrustedHostError, match=r"evil\.example\.com"):
            ws.discovery()


def test_newer_data_plane_audience(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    base = AzureML.for_emulator(emulator_url)
    ml = AzureML(base._session.credential, base.subscription_id, cloud=base.cloud, http=base.http_config,
                 data_plane_audience="https://ml.azure.com")
    try:
        assert ml._session.data_plane_scope == "https://ml.azure.com/.default"
        assert isinstance(list(ml.workspace(*workspace_names).v1.experiments.list()), list)
    finally:
        ml.close()
        base.close()


@pytest.mark.anyio
async def test_async_discovery_and_clients(own_emu: RunningEmulator) -> None:
    url = own_emu.base_url
    async with AsyncAzureML.for_emulator(url) as ml:
        ws = ml.workspace(*WORKSPACE)
        before = _discovery_count(own_emu)
        # Like the sync handle, client() runs discovery when it is needed (it used to raise on the async side).
        client = await ws.client("history")
        assert str(client.get_async_httpx_client().base_url).rstrip("/") == url
        assert await ws.aclient("history") is client  # the older name, same route, no second discovery
        assert _discovery_count(own_emu) == before + 1
        assert isinstance([e async for e in ws.v1.experiments.list()], list)

        _set_discovery(own_emu, {"api": "https://attacker.example.net"})
        bad = ml.workspace(*WORKSPACE)
        # The same workspace key shares the cache, so refresh to fetch the replaced document.
        await bad.discovery(refresh=True)
        with pytest.raises(UntrustedHostError, match=r"attacker\.example\.net"):
            await bad.aclient("history")


def test_generated_clients_are_made_once_and_remade_after_close(emulator_server: RunningEmulator,
                                                                workspace_names: tuple[str, str]) -> None:
    ml = AzureML.for_emulator(emulator_server.base_url)
    ws = ml.workspace(*workspace_names)
    first = ws.client("history")
    assert ws.client("history") is first
    assert ws.client("modelmanagement") is not first
    ml.close()  # closes the httpx clients: the cached generated clients must go with them
    again = ws.client("history")
    assert again is not first and not again.get_httpx_client().is_closed
    list(ws.v1.experiments.list())
    ml.close()
