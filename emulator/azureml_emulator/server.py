"""Serving the emulator: :func:`run` (blocking, for the CLI) and :func:`start_in_thread` (tests, demos)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

import uvicorn

from .app import create_app
from .config import EmulatorConfig
from .context import Context
from .tls import make_tls

DEFAULT_SECRET = EmulatorConfig().client_secret


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle's algorithm off only on sockets whose proto says TCP, and the
    # accepted connections inherit it. With proto 0, uvicorn's separate head and body writes wait for the
    # client's delayed ACK: about 40 ms on every keep-alive request instead of under 2.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _base_url(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def _prepare(config: EmulatorConfig) -> tuple[socket.socket, uvicorn.Server, Context, Path | None]:
    app, ctx = create_app(config)
    sock = _bind(config.host, config.port)
    ctx.base_url = _base_url(sock, config.tls)
    ca_file: Path | None = None
    kwargs: dict[str, object] = {}
    if config.tls:
        wildcard = config.host in ("0.0.0.0", "::")  # noqa: S104 (comparing, not binding)
        extra = () if wildcard else (config.host,)
        files = make_tls(config.data_dir, extra)
        ca_file = files.ca_file
        kwargs = {"ssl_certfile": str(files.server_pem), "ssl_keyfile": str(files.server_pem)}
    uv_config = uvicorn.Config(
        app,
        log_level=config.log_level,
        access_log=config.log_level in ("debug", "trace"),
        lifespan="on",
        timeout_keep_alive=30,
        # Idle keep-alive TLS connections can hold a graceful shutdown for long; the lifespan shutdown
        # (which stops the data plane's processes) still runs after this.
        timeout_graceful_shutdown=1,
        **kwargs,  # type: ignore[arg-type]
    )
    return sock, uvicorn.Server(uv_config), ctx, ca_file


def banner(ctx: Context, ca_file: Path | None) -> list[str]:
    """The lines printed at start: URL, CA file, then the development account (no custom secret)."""
    c = ctx.config
    secret = c.client_secret if c.client_secret == DEFAULT_SECRET else "(as configured; not shown)"
    lines = [f"azureml-emulator listening on {ctx.base_url}"]
    if ca_file is not None:
        lines.append(f"CA certificate: {ca_file}")
    lines += [
        f"  tenant id:       {c.tenant_id}",
        f"  client id:       {c.client_id}",
        f"  client secret:   {secret}",
        f"  subscription id: {c.subscription_id}",
        f"  token endpoint:  {ctx.base_url}/{c.tenant_id}/oauth2/token",
        f"  data:            {c.data_dir if c.data_dir is not None else 'in memory'}",
    ]
    return lines


def run(config: EmulatorConfig, out: TextIO | None = None) -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM)."""
    sock, server, ctx, ca_file = _prepare(config)
    stream = out or sys.stdout
    for line in banner(ctx, ca_file):
        print(line, file=stream)
    stream.flush()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        ctx.store.close()


class RunningEmulator:
    """An emulator serving from a background thread; ``stop()`` (or leaving the ``with``) ends it."""

    def __init__(
        self, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket, ctx: Context, ca_file: Path | None
    ) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self.ctx = ctx
        self.ca_file = ca_file

    @property
    def base_url(self) -> str:
        """``http(s)://127.0.0.1:PORT``."""
        return self.ctx.base_url

    @property
    def config(self) -> EmulatorConfig:
        """The configuration it runs with."""
        return self.ctx.config

    def __repr__(self) -> str:
        return f"RunningEmulator({self.base_url})"

    def stop(self) -> None:
        """Stop serving and release the port and the store."""
        if not self._thread.is_alive():
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        if self._thread.is_alive():  # last resort (skips the data plane's on_shutdown)
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._sock.close()
        self.ctx.store.close()

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_in_thread(config: EmulatorConfig | None = None, timeout: float = 15.0) -> RunningEmulator:
    """Start an emulator on a free loopback port (``config.port`` 0) and return once it serves."""
    cfg = config or EmulatorConfig()
    sock, server, ctx, ca_file = _prepare(cfg)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="azureml-emulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the emulator did not start")
        time.sleep(0.01)
    return RunningEmulator(server, thread, sock, ctx, ca_file)
