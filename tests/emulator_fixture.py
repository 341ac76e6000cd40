"""The one way tests start the emulator: in this process (default) or as a subprocess.

:func:`start_emulator` takes :class:`~azureml_emulator.config.EmulatorConfig` field overrides and returns a
running emulator with ``.base_url``, ``.ca_file`` (None without TLS), ``.config``, ``.ctx`` and ``.stop()``
(also a context manager):

- ``inprocess``: ``azureml_emulator.server.start_in_thread``; the result is its ``RunningEmulator`` and ``.ctx``
  the emulator's own ``Context``.
- ``subprocess``: ``python -m azureml_emulator --port 0 ...``; the URL and CA file are read from its banner
  (``azureml-emulator listening on <url>``, ``CA certificate: <path>``). ``.ctx`` is a :class:`RemoteContext`
  that offers only ``counters`` (read from ``GET /_emulator/stats``), ``config`` and ``base_url``. The client
  secret goes through the environment, not the command line; ``max_upload_bytes`` (no flag) is set through
  ``POST /_emulator/config``.

:class:`SubprocessEmulator` also exposes ``.process`` / ``.pid`` and ``.kill9()`` (SIGKILL: a crash).
:class:`EmulatorFactory` starts emulators (``factory(mode="subprocess", ...)`` forces a mode) and stops every
one of them on :meth:`EmulatorFactory.close`.
``azureml_emulator`` is imported only when an emulator is started: tests that need none run without it.
"""

from __future__ import annotations

import collections
import os
import queue
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import httpx

if TYPE_CHECKING:
    from azureml_emulator.config import EmulatorConfig

MODE_ENV = "AZUREML_TEST_EMULATOR"
MODES = ("inprocess", "subprocess")
# What tests get unless they say otherwise: long-running operations observable but quick.
TEST_DEFAULTS: Mapping[str, Any] = {"lro_delay": 0.2}
START_TIMEOUT = 30.0  # seconds a subprocess may take to print its banner and answer /_emulator/health
STOP_TIMEOUT = 10.0  # seconds a subprocess may take to exit after SIGTERM before it is killed
BANNER_URL = "azureml-emulator listening on "
BANNER_CA = "CA certificate: "
BANNER_END = "  data:"  # the banner's last line


class Emulator(Protocol):
    """What every started emulator offers (in-process ``RunningEmulator`` or :class:`SubprocessEmulator`)."""

    @property
    def base_url(self) -> str: ...

    @property
    def config(self) -> EmulatorConfig: ...

    ca_file: Path | None

    def stop(self) -> None: ...


def mode_from(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The start mode: ``option`` (``--emulator``) if given, else ``$AZUREML_TEST_EMULATOR``, else in-process."""
    env = os.environ if environ is None else environ
    mode = (option or env.get(MODE_ENV) or "inprocess").strip().lower().replace("-", "")
    if mode not in MODES:
        raise ValueError(f"unknown emulator mode {mode!r} (--emulator / {MODE_ENV}); known: {', '.join(MODES)}")
    return mode


def make_config(**overrides: Any) -> EmulatorConfig:
    """``EmulatorConfig`` with :data:`TEST_DEFAULTS` then ``overrides`` (an unknown name is a TypeError)."""
    from azureml_emulator.config import EmulatorConfig

    return EmulatorConfig(**{**TEST_DEFAULTS, **overrides})


def start_emulator(mode: str = "inprocess", **overrides: Any) -> Any:
    """A running emulator (see the module docstring); the caller stops it."""
    config = make_config(**overrides)
    if mode == "subprocess":
        return SubprocessEmulator.start(config)
    from azureml_emulator.server import start_in_thread

    return start_in_thread(config)


class EmulatorFactory:
    """Starts emulators in one mode with config overrides; :meth:`close` stops all it started."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._started: list[Emulator] = []

    def __call__(self, mode: str | None = None, **overrides: Any) -> Any:
        """Start one; ``mode`` overrides the factory's for a test that needs one way (and says why)."""
        emu = start_emulator(mode or self.mode, **overrides)
        self._started.append(emu)
        return emu

    def close(self) -> None:
        """Stop every emulator started here (newest first)."""
        while self._started:
            self._started.pop().stop()


class RemoteContext:
    """The part of an emulator's ``Context`` a test can read over HTTP: ``counters``, ``config``, ``base_url``."""

    def __init__(self, base_url: str, config: EmulatorConfig, verify: ssl.SSLContext | bool) -> None:
        self.base_url = base_url
        self.config = config
        self._verify = verify

    @property
    def counters(self) -> collections.Counter[str]:
        """The request counters now (``GET /_emulator/stats``); a missing name counts 0."""
        r = httpx.get(f"{self.base_url}/_emulator/stats", verify=self._verify, timeout=10)
        r.raise_for_status()
        return collections.Counter({str(k): int(v) for k, v in r.json()["counters"].items()})


def _command(config: EmulatorConfig) -> list[str]:
    """``python -m azureml_emulator`` with a flag for every setting that has one (all but the secret)."""
    cmd = [
        sys.executable, "-m", "azureml_emulator",
        "--host", config.host, "--port", str(config.port),
        "--tenant-id", config.tenant_id, "--client-id", config.client_id,
        "--subscription-id", config.subscription_id, "--location", config.location,
        "--token-lifetime", repr(config.token_lifetime), "--lro-delay", repr(config.lro_delay),
        "--page-size", str(config.page_size),
        "--fault-rate", repr(config.fault_rate), "--fault-kinds", ",".join(config.fault_kinds),
        "--log-level", config.log_level,
    ]  # fmt: skip
    if config.fault_seed is not None:
        cmd += ["--fault-seed", str(config.fault_seed)]
    if config.tls:
        cmd.append("--tls")
    if config.data_dir is not None:
        cmd += ["--data-dir", str(config.data_dir)]
    if not config.strict_api_version:
        cmd.append("--lax-api-version")
    return cmd


def _environment(config: EmulatorConfig) -> dict[str, str]:
    """This process's environment without ``AZUREML_EMULATOR_*`` (the flags say everything), plus the secret
    and a PYTHONPATH that finds ``azureml_emulator`` where this process found it."""
    import azureml_emulator

    env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_EMULATOR_")}
    env["AZUREML_EMULATOR_CLIENT_SECRET"] = config.client_secret
    package_root = str(Path(azureml_emulator.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _drain(stream: Any, sink: Callable[[str], None]) -> None:
    for line in iter(stream.readline, ""):
        sink(line.rstrip("\r\n"))


class SubprocessEmulator:
    """An emulator in a child process (``python -m azureml_emulator``); ``stop()`` terminates it."""

    def __init__(self, process: subprocess.Popen[str], config: EmulatorConfig) -> None:
        self.process = process
        self._config = config
        self.base_url = ""
        self.ca_file: Path | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._readers = [
            threading.Thread(target=_drain, args=(process.stdout, self._lines.put), daemon=True),
            threading.Thread(target=_drain, args=(process.stderr, self._stderr.append), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.ctx: RemoteContext | None = None

    @classmethod
    def start(cls, config: EmulatorConfig) -> SubprocessEmulator:
        """Start the child, read its banner, wait until it answers, apply settings without a flag."""
        process = subprocess.Popen(
            _command(config),
            env=_environment(config),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        emu = cls(process, config)
        try:
            emu._read_banner()
            emu.ctx = RemoteContext(emu.base_url, config, emu.verify)
            emu._wait_healthy()
            emu._apply_unflagged()
        except BaseException:
            emu.stop()
            raise
        return emu

    @property
    def config(self) -> EmulatorConfig:
        """The configuration it was started with (``port`` as asked, 0 = free)."""
        return self._config

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """What httpx should verify its certificate with: its CA under TLS."""
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file is not None else True

    def __repr__(self) -> str:
        return f"SubprocessEmulator({self.base_url or '(starting)'}, pid={self.process.pid})"

    def _fail(self, what: str) -> RuntimeError:
        tail = "\n".join(self._stderr)
        return RuntimeError(f"the emulator subprocess {what}; exit code {self.process.poll()}; stderr:\n{tail}")

    def _read_banner(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._fail("printed no banner in time")
            try:
                line = self._lines.get(timeout=min(left, 0.2))
            except queue.Empty:
                if self.process.poll() is not None and self._lines.empty():
                    raise self._fail("exited before it printed its banner") from None
                continue
            if line.startswith(BANNER_URL):
                self.base_url = line[len(BANNER_URL) :].strip()
            elif line.startswith(BANNER_CA):
                self.ca_file = Path(line[len(BANNER_CA) :].strip())
            elif line.startswith(BANNER_END):
                break
        if not self.base_url:
            raise self._fail("printed a banner without its URL")

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{self.base_url}/_emulator/health", verify=self.verify, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise self._fail("did not answer /_emulator/health")
            time.sleep(0.05)

    def _apply_unflagged(self) -> None:
        from azureml_emulator.config import EmulatorConfig

        if self._config.max_upload_bytes != EmulatorConfig().max_upload_bytes:
            r = httpx.post(
                f"{self.base_url}/_emulator/config",
                json={"maxUploadBytes": self._config.max_upload_bytes},
                verify=self.verify,
                timeout=10,
            )
            r.raise_for_status()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def kill9(self) -> None:
        """SIGKILL the child (no shutdown hooks run: a crash) and wait for it; :meth:`stop` then only tidies."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """Terminate the child (SIGTERM, then SIGKILL after :data:`STOP_TIMEOUT`) and close its pipes."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        for reader in self._readers:
            reader.join(timeout=STOP_TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> SubprocessEmulator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
