"""Shared fixtures: anyio backend and a tiny loopback Azure AD token server (stdlib http.server)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

TENANT = "00000000-0000-4000-8000-00000000e001"
CLIENT_ID = "00000000-0000-4000-8000-00000000c11e"
SECRET = "s3cr3t-value-Never-Log-Me"
TOKEN_PREFIX = "tok-SECRET-"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class TokenServer:
    base_url: str
    requests: list[dict[str, str]] = field(default_factory=list)
    expires_in: int = 3600
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)


def _make_handler(state: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            parts = self.path.strip("/").split("/")
            version = "v2" if self.path.endswith("/oauth2/v2.0/token") else "v1"
            form["_path"] = self.path
            form["_version"] = version
            with state.lock:
                state.requests.append(form)
                n = len(state.requests)
            if state.delay:
                time.sleep(state.delay)
            if parts[0] != TENANT or form.get("client_id") != CLIENT_ID:
                self._send(400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found."})
                return
            if form.get("client_secret") != SECRET:
                self._send(
                    401,
                    {
                        "error": "invalid_client",
                        "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret "
                        "being sent in the request is the client secret value.",
                        "error_codes": [7000215],
                    },
                )
                return
            now = int(time.time())
            token = f"{TOKEN_PREFIX}{n}"
            if version == "v1":
                body: dict[str, object] = {
                    "token_type": "Bearer",
                    "expires_in": str(state.expires_in),
                    "ext_expires_in": str(state.expires_in),
                    "expires_on": str(now + state.expires_in),
                    "not_before": str(now),
                    "resource": form.get("resource", ""),
                    "access_token": token,
                }
            else:
                body = {"token_type": "Bearer", "expires_in": state.expires_in, "access_token": token}
            self._send(200, body)

    return Handler


@pytest.fixture
def token_server() -> Iterator[TokenServer]:
    state = TokenServer(base_url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
