"""An httpcore network backend for the async pools the overlay builds: httpcore's own, except that its streams
answer httpcore's idle-connection check (``get_extra_info("is_readable")``) by polling the raw socket, looked up
once, instead of through anyio's attribute table, rebuilt on every call; that check was a large share of the async
client's CPU in bursts (benchmarks/README.md, "Findings and fixes"; encode/httpx issue 3215, encode/httpcore PR 928).
Everything else passes through, and a stream without a raw socket gets httpcore's own answer. The wrappers follow
httpcore's backend interface by duck typing and never import httpcore (which ``import azureml_rest`` does not
load; httpcore < 1.0 also keeps its base classes elsewhere). :func:`install` puts the backend only under an
``httpx.AsyncHTTPTransport`` the overlay built itself; sync pools need nothing, their check already polls the socket.
"""

from __future__ import annotations

import select
import ssl
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["IdleCheckBackend", "install"]

_UNKNOWN: Any = object()
_POLL = sys.platform != "win32" and getattr(select, "poll", None) is not None


def _readable(sock: Any) -> bool:
    """Would ``recv`` return at once (data, or the ``b""`` of a close)? A socket without a descriptor counts
    as readable, as in httpcore: the connection is then discarded rather than reused."""
    fd = sock.fileno()
    if fd < 0:
        return True
    if _POLL:
        p = select.poll()
        p.register(fd, select.POLLIN)
        return bool(p.poll(0))
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)


class IdleCheckStream:
    """Wraps one httpcore stream; only ``get_extra_info("is_readable")`` is answered here."""

    __slots__ = ("_inner", "_sock")

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._sock: Any = _UNKNOWN

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = await self._inner.read(max_bytes, timeout)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> IdleCheckStream:
        return IdleCheckStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info != "is_readable":
            return self._inner.get_extra_info(info)
        sock = self._sock
        if sock is _UNKNOWN:
            sock = self._sock = self._inner.get_extra_info("socket")
        if sock is None or not hasattr(sock, "fileno"):
            return self._inner.get_extra_info(info)
        return _readable(sock)


class IdleCheckBackend:
    """Wraps a backend (httpcore's ``AutoBackend``): every stream it opens is an :class:`IdleCheckStream`."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> IdleCheckStream:
        return IdleCheckStream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> IdleCheckStream:
        return IdleCheckStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def install(transport: httpx.AsyncHTTPTransport) -> bool:
    """Put :class:`IdleCheckBackend` under ``transport``'s pool (plain, HTTP or SOCKS proxy alike: each reads
    the backend when it opens a connection). False, and nothing changed, where httpcore keeps it elsewhere."""
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if inner is None or isinstance(inner, IdleCheckBackend) or not hasattr(inner, "connect_tcp"):
        return False
    pool._network_backend = IdleCheckBackend(inner)  # type: ignore[union-attr]
    return True
