"""The emulator in its own process (so client and server never share a GIL), on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import httpx

from ._paths import child_env

BANNER = "azureml-emulator listening on "
#: The development account of CONTRIBUTING.md.
TENANT = "00000000-0000-4000-8000-00000000e001"
CLIENT_ID = "00000000-0000-4000-8000-00000000c11e"
CLIENT_SECRET = "emulator-dev-secret"
SUBSCRIPTION = "00000000-0000-4000-8000-0000000005b5"
ARM_SCOPE = "https://management.azure.com/.default"


class EmulatorProcess:
    """``python -m azureml_emulator --port 0 ...`` as a child; ``base_url`` is parsed from its banner.

    Defaults: ``--lax-api-version`` off, ``--log-level warning``, ``--lro-delay 0`` (no waiting in seeding).
    """

    def __init__(self, *extra: str, max_upload_bytes: int | None = None, timeout: float = 30.0) -> None:
        cmd = [sys.executable, "-m", "azureml_emulator", "--port", "0", "--lro-delay", "0", *extra]
        if max_upload_bytes is not None:
            cmd += ["--max-upload-bytes", str(max_upload_bytes)]
        self._proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=child_env(), start_new_session=True
        )
        self.base_url = self._wait_banner(timeout)
        self.ca_file: str | None = None
        self._http = httpx.Client(base_url=self.base_url, timeout=30.0, trust_env=False)

    def _wait_banner(self, timeout: float) -> str:
        assert self._proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        out = self._proc.stdout

        def pump() -> None:
            for line in out:  # keeps draining so the child never blocks on a full pipe
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            seen.append(line)
            if line.startswith(BANNER):
                return line[len(BANNER):].strip()
        self.stop()
        raise RuntimeError("the emulator did not start:\n" + "".join(seen[-20:]))

    @property
    def pid(self) -> int:
        return self._proc.pid

    def token(self) -> str:
        """A v2 client-credentials token for the ARM scope (what every client here sends)."""
        r = self._http.post(
            f"/{TENANT}/oauth2/v2.0/token",
            data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "scope": ARM_SCOPE},
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def stats(self) -> dict[str, int]:
        counters: dict[str, int] = self._http.get("/_emulator/stats").json()["counters"]
        return counters

    def reset_stats(self) -> None:
        self._http.post("/_emulator/reset-stats").raise_for_status()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._http.close()
        if self._proc.poll() is None:
            # SIGINT = uvicorn's graceful path (stops the run workers the emulator spawned)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGINT)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait(timeout=5)

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


@contextlib.contextmanager
def emulator(*extra: str, **kw: Any) -> Iterator[EmulatorProcess]:
    """Start, yield, always stop."""
    emu = EmulatorProcess(*extra, **kw)
    try:
        yield emu
    finally:
        emu.stop()
