"""The overlay's async pools answer "has the server closed this idle connection?" from the socket itself
(``_network_backend``): same answers as httpcore, kept-alive connections still reused, closed ones replaced.

Real loopback sockets throughout: a small asyncio HTTP/1.1 server that can close a connection after a response.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpcore
import httpx
import pytest
from azureml_rest._network_backend import IdleCheckBackend, IdleCheckStream, install
from azureml_rest.config import HttpConfig
from azureml_rest.pipeline import build_async_client

pytestmark = pytest.mark.anyio
CFG = HttpConfig(trust_env=False)


class Server:
    """Answers every request ``200 {}``; with ``close_after_each`` it then closes the connection (no
    ``Connection: close`` header, so the client only learns it from the socket)."""

    def __init__(self, close_after_each: bool = False) -> None:
        self.close_after_each = close_after_each
        self.connections = 0
        self.requests = 0
        self.base_url = ""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    return
                self.requests += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                await writer.drain()
                if self.close_after_each:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Server]:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        async with server:
            yield self


def _pool(client: httpx.AsyncClient) -> httpcore.AsyncConnectionPool:
    transport = client._transport
    inner = getattr(transport, "transport", transport)  # under the retry transport
    pool: httpcore.AsyncConnectionPool = inner._pool
    return pool


async def test_built_clients_use_it_and_caller_transports_are_left_alone() -> None:
    async with build_async_client("http://127.0.0.1:1", config=CFG) as client:
        assert isinstance(_pool(client)._network_backend, IdleCheckBackend)
    mine = httpx.AsyncHTTPTransport()
    async with build_async_client("http://127.0.0.1:1", config=CFG, transport=mine):
        assert not isinstance(mine._pool._network_backend, IdleCheckBackend)


def test_install_once_also_under_proxies() -> None:
    proxies = ["http://127.0.0.1:9"] + (["socks5://127.0.0.1:9"] if _has_socksio() else [])
    for transport in [httpx.AsyncHTTPTransport()] + [httpx.AsyncHTTPTransport(proxy=p) for p in proxies]:
        assert install(transport) is True
        assert install(transport) is False  # never wrapped twice
        assert isinstance(transport._pool._network_backend, IdleCheckBackend)
    assert install(httpx.MockTransport(lambda r: httpx.Response(200))) is False  # type: ignore[arg-type]


def _has_socksio() -> bool:
    try:
        import socksio  # noqa: F401
    except ImportError:
        return False
    return True


async def test_same_answer_as_httpcore_for_open_and_closed_connections() -> None:
    async with Server().running() as srv:
        port = int(srv.base_url.rsplit(":", 1)[1])
        plain = httpcore.AnyIOBackend()
        ours = IdleCheckBackend(plain)
        theirs_stream = await plain.connect_tcp("127.0.0.1", port)
        our_stream = await ours.connect_tcp("127.0.0.1", port)
        assert isinstance(our_stream, IdleCheckStream)
        for stream in (theirs_stream, our_stream):
            assert stream.get_extra_info("is_readable") is False  # open and quiet
            await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            await asyncio.sleep(0.05)
            assert stream.get_extra_info("is_readable") is True  # the response is waiting
            await stream.read(1024)
        assert our_stream.get_extra_info("server_addr") == theirs_stream.get_extra_info("server_addr")
        await our_stream.aclose()
        await theirs_stream.aclose()
        assert our_stream.get_extra_info("is_readable") is True  # closed: counts as readable, as in httpcore


async def test_kept_alive_connection_reused() -> None:
    async with Server().running() as srv, build_async_client(srv.base_url, config=CFG) as client:
        for _ in range(5):
            assert (await client.get("/")).status_code == 200
    assert (srv.connections, srv.requests) == (1, 5)


async def test_server_closed_idle_connection_is_replaced_without_a_failed_attempt() -> None:
    """The server closes after each response: each next request sees the idle connection readable (EOF),
    so the pool opens a new one instead of writing into a dead socket (which the retry transport would then
    have to repair: the server would count fewer requests than attempts)."""
    async with Server(close_after_each=True).running() as srv, build_async_client(srv.base_url, config=CFG) as c:
        for _ in range(4):
            assert (await c.get("/")).status_code == 200
            await asyncio.sleep(0.05)  # let the FIN arrive
            connections = _pool(c).connections
            assert len(connections) <= 1
            if connections:
                assert connections[0].has_expired()
    assert (srv.connections, srv.requests) == (4, 4)
