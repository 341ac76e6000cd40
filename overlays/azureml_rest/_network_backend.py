"""An httpcore network backend for the overlay's async pools: httpcore's own, with a cheap idle-connection check.

httpcore's async pool re-examines every pooled connection each time a request enters or a response closes, and
for each idle one asks the stream ``get_extra_info("is_readable")`` (has the server closed it?). On the anyio
backend that question first rebuilds anyio's typed-attribute table for the socket (a ``getpeername`` system
call, address-family enum conversions, a dict of lambdas) just to find the raw socket, about 30 us a
connection; with 15-20 kept-alive connections that was ~1 ms of client CPU per request in a 1,000-request burst,
a third of it (benchmarks/README.md; also encode/httpx issue 3215, encode/httpcore PR 928). The streams here
look the raw socket up once and answer with the same ``poll`` test httpcore uses; everything else is passed
through untouched, and any stream without a raw socket falls back to httpcore's answer. The wrappers follow
httpcore's backend and stream interface by duck typing (httpcore checks no types; httpcore < 1.0, allowed by
httpx 0.23, keeps the base classes elsewhere), and httpcore itself is never imported here.

:func:`install` puts the backend under an ``httpx.AsyncHTTPTransport`` the overlay built itself (never under
a transport a caller passed in). The sync backend needs nothing: its check already uses the socket directly.
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
