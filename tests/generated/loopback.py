"""A tiny loopback HTTP server (stdlib) that answers every request with a canned response set by the test.

It is a deliberately broken server (malformed bodies, an HTML 502, status 520), not a stand-in for the emulator,
which never answers like that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Canned:
    """What the server answers (default: 200 with an empty JSON object) and what it received."""

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)

    def set(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.status, self.body, self.content_type = status, body, content_type


def _handler(canned: Canned) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            canned.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
            # send_response would refuse no status, but http.server has no phrase for 520: give one.
            self.send_response(canned.status, "Unknown" if canned.status == 520 else None)
            self.send_header("content-type", canned.content_type)
            self.send_header("content-length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def serve() -> Iterator[tuple[str, Canned]]:
    """``(base_url, canned)`` of a server on a free 127.0.0.1 port, stopped on exit."""
    canned = Canned()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(canned))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", canned
    finally:
        server.shutdown()
        server.server_close()
