"""The emulator as a child process, for tests that kill it or must not share the test process's GIL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import azureml_emulator
import httpx

__all__ = ["Emulator"]

EMULATOR_PATH = str(Path(azureml_emulator.__file__).resolve().parent.parent)


class Emulator:
    """``python -m azureml_emulator --port 0 --lro-delay 0.1 <args>`` as a child process (own GIL, like a real
    service); the first line it prints gives its URL."""

    def __init__(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_EMULATOR_")}
        env["PYTHONPATH"] = EMULATOR_PATH + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "azureml_emulator", "--port", "0", "--lro-delay", "0.1", *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline().strip()
        prefix = "azureml-emulator listening on "
        assert first.startswith(prefix), first
        self.base_url = first[len(prefix):]

    def kill9(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stats(self) -> dict[str, Any]:
        """The emulator's request counters (``GET /_emulator/stats``)."""
        counters: dict[str, Any] = httpx.get(f"{self.base_url}/_emulator/stats").json()["counters"]
        return counters

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill9()
