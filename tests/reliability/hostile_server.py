"""A deliberately broken HTTP server on a loopback address, for client-robustness tests.

:class:`HostileServer` serves from a daemon thread (stdlib ``http.server``). A test installs answers per
method and path prefix with :meth:`HostileServer.route` and reads :attr:`HostileServer.seen` afterwards: every
request's method, path and ``Authorization`` header (None when absent). Unrouted paths get a 404 in the ARM
error shape. Bind ``127.0.0.2`` (or address ``localhost``) to get a second "foreign" host on loopback.

It is hostile on purpose, not a stand-in for the emulator: tests of normal behaviour use the emulator fixtures.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["HostileServer", "Reply", "Seen", "json_reply"]


@dataclass
class Reply:
    """One answer. ``declared_length`` larger than the body sent means the connection is cut mid-body;
    ``chunks`` streams a body (use with ``declared_length``) without building it in memory."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    declared_length: int | None = None
    chunks: Iterable[bytes] | None = None


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    authorization: str | None
    headers: tuple[tuple[str, str], ...]


def json_reply(doc: Any, status: int = 200, **headers: str) -> Reply:
    """A JSON answer (``application/json``); keyword headers use ``_`` for ``-`` (``Retry_After``)."""
    return Reply(status, json.dumps(doc).encode(), headers={k.replace("_", "-"): v for k, v in headers.items()})


Route = Callable[["Seen"], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # keep test output clean

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        seen = Seen(self.command, self.path, self.headers.get("Authorization"),
                    tuple((k.lower(), v) for k, v in self.headers.items()))
        owner = self.server.owner
        with owner.lock:
            owner.seen.append(seen)
        reply = owner.find(self.command, path)(seen)
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        declared = reply.declared_length if reply.declared_length is not None else len(reply.body)
        self.send_header("Content-Length", str(declared))
        cut = reply.declared_length is not None and reply.chunks is None and reply.declared_length > len(reply.body)
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            if reply.chunks is not None:
                for chunk in reply.chunks:
                    self.wfile.write(chunk)
            else:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a huge body: that is allowed
        if cut:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer


def _not_found(_seen: Seen) -> Reply:
    return json_reply({"error": {"code": "NotFound", "message": "no such route on the hostile server"}}, 404)


class HostileServer:
    """Serves whatever the test routes, on ``host`` (default 127.0.0.1) and a free port."""

    def __init__(self, host: str = "127.0.0.1", *, url_host: str | None = None) -> None:
        self.lock = threading.Lock()
        self.seen: list[Seen] = []
        self._routes: list[tuple[str, str, Route]] = []
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        port = self._httpd.server_address[1]
        self.base_url = f"http://{url_host or host}:{port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"hostile-{host}", daemon=True)
        self._thread.start()

    def route(self, method: str, prefix: str, answer: Reply | Route) -> HostileServer:
        """Answer ``method`` requests whose path starts with ``prefix`` (case-insensitive; longest wins)."""
        fn: Route
        if isinstance(answer, Reply):
            fixed = answer

            def always(_seen: Seen) -> Reply:
                return fixed

            fn = always
        else:
            fn = answer
        with self.lock:
            self._routes.append((method.upper(), prefix.lower(), fn))
        return self

    def find(self, method: str, path: str) -> Route:
        low = path.lower()
        with self.lock:
            best = [(len(p), fn) for m, p, fn in self._routes if m == method and low.startswith(p)]
        return max(best, key=lambda x: x[0])[1] if best else _not_found

    def reset(self) -> None:
        """Forget routes and recorded requests."""
        with self.lock:
            self._routes.clear()
            self.seen.clear()

    def authorizations(self) -> list[str]:
        """Every Authorization header received (empty list = none was sent here)."""
        with self.lock:
            return [s.authorization for s in self.seen if s.authorization is not None]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
