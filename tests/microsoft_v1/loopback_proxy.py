"""An HTTPS proxy (``CONNECT`` only) that sends ``*.localhost`` hosts to 127.0.0.1: DNS for the blob store.

azureml-core uploads snapshot files to the SAS URLs the content service hands out, and its vendored
azure-storage-blob rebuilds the account URL as ``https://{account}.blob.{suffix}`` from them
(azureml/_file_utils/upload.py ``get_block_blob_service_credentials``), so the emulator's blob store must be
reached virtual-hosted (``v1sa.blob.core.localhost:PORT``). Such names do not resolve on every machine; a
proxy named by ``HTTPS_PROXY`` (which requests and azure-core honour, as behind any corporate proxy) does the
resolving instead, without touching the SDK or the machine's resolver. TLS stays end to end: the proxy only
relays bytes, and the client verifies the emulator's certificate (it covers ``*.blob.core.localhost``).
Any other host is refused (the tests are offline).
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from types import TracebackType


def _resolves_to_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in ("127.0.0.1", "::1", "localhost") or host.endswith(".localhost")


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(8192).decode("latin-1")
        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
            pass  # the request's headers: nothing in them changes where it goes
        parts = line.split()
        if len(parts) < 2 or parts[0].upper() != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = parts[1].rpartition(":")
        if not _resolves_to_loopback(host) or not port.isdigit():
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        except OSError:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        self.wfile.flush()
        self._relay(self.connection, upstream)

    @staticmethod
    def _relay(client: socket.socket, upstream: socket.socket) -> None:
        with upstream:
            peers = {client: upstream, upstream: client}
            while True:
                ready, _, _ = select.select(list(peers), [], [], 60)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class LoopbackProxy:
    """``with LoopbackProxy() as proxy:`` ``proxy.url`` is ``http://127.0.0.1:PORT`` (for ``HTTPS_PROXY``)."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="loopback-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LoopbackProxy:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
