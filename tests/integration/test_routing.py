"""Discovery routing: the data-plane host comes from the workspace's discoveryUrl (cached), explicit endpoints
replace it, and a discovery document naming a foreign host is refused."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import UntrustedHostError


class StubDiscovery:
    """A loopback server answering GET /discovery with ``doc`` and recording each request's headers."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {}
        self.requests: list[dict[str, str]] = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub.requests.append({k.lower(): v for k, v in self.headers.items()})
                body = json.dumps(stub.doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/discovery"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[StubDiscovery]:
    s = StubDiscovery()
    yield s
    s.close()


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
        list(ws.experiments.list())
        list(ws.models.list())
        # A second handle on the same workspace reuses the cached document.
        list(ml.workspace(*workspace_names).experiments.list())
        assert _discovery_count(emulator_server) == before + 1
        assert str(ws.client("history").get_httpx_client().base_url).rstrip("/") == emulator_server.base_url


def test_explicit_endpoints_replace_discovery(emulator_server: RunningEmulator,
                                              workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_server.base_url) as ml:
        before = _discovery_count(emulator_server)
        ws = ml.workspace(*workspace_names, endpoints={"api": emulator_server.base_url + "/"})
        assert ws.discovery() == {"api": emulator_server.base_url}
        list(ws.experiments.list())
        assert _discovery_count(emulator_server) == before


def test_discovery_is_fetched_without_authorization(stub: StubDiscovery, emulator_url: str,
                                                    workspace_names: tuple[str, str]) -> None:
    stub.doc = {"api": emulator_url}
    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names, discovery_url=stub.url)
        list(ws.experiments.list())
    assert len(stub.requests) == 1
    assert "authorization" not in stub.requests[0]


def test_legacy_discovery_keys_when_api_is_absent(stub: StubDiscovery, emulator_url: str,
                                                  workspace_names: tuple[str, str]) -> None:
    # The 2020 SDK's keys: history for run history/execution, modelmanagement for models and services.
    stub.doc = {"history": emulator_url, "modelmanagement": emulator_url, "catalog": "https://catalog.example.com"}
    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names, discovery_url=stub.url)
        assert ws.endpoint("execution") == emulator_url
        list(ws.experiments.list())
        list(ws.models.list())


def test_discovery_naming_a_foreign_host_is_refused(stub: StubDiscovery, emulator_url: str,
                                                    workspace_names: tuple[str, str]) -> None:
    stub.doc = {"api": "https://attacker.example.net"}
    with AzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names, discovery_url=stub.url)
        with pytest.raises(UntrustedHostError, match=r"attacker\.example\.net"):
            list(ws.experiments.list())
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
        assert isinstance(list(ml.workspace(*workspace_names).experiments.list()), list)
    finally:
        ml.close()
        base.close()


@pytest.mark.anyio
async def test_async_discovery_and_clients(emulator_url: str, workspace_names: tuple[str, str],
                                           stub: StubDiscovery) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        with pytest.raises(RuntimeError, match="aclient"):
            ws.client("history")  # no I/O in client(): discovery has not happened
        client = await ws.aclient("history")
        assert str(client.get_async_httpx_client().base_url).rstrip("/") == emulator_url
        assert ws.client("history") is not None  # now known
        assert isinstance([e async for e in ws.experiments.list()], list)

        stub.doc = {"api": "https://attacker.example.net"}
        bad = ml.workspace(*workspace_names, discovery_url=stub.url)
        # A different workspace key would be cached separately; this one shares the cache, so refresh.
        await bad.discovery(refresh=True)
        with pytest.raises(UntrustedHostError, match=r"attacker\.example\.net"):
            await bad.aclient("history")
