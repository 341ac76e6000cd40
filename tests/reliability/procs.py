"""The emulator as a child process, for tests that kill it or must not share the test process's GIL.

A thin wrapper over tests/emulator_fixture.py's :class:`SubprocessEmulator` (the one way tests start the
emulator), kept for its command-line-style constructor: the arguments are parsed by the emulator's own CLI parser.
"""

from __future__ import annotations

from typing import Any

import httpx
from azureml_emulator.cli import build_parser, config_from_args

from tests.emulator_fixture import SubprocessEmulator

__all__ = ["Emulator"]


class Emulator:
    """``python -m azureml_emulator --port 0 --lro-delay 0.1 <args>`` as a child process (own GIL, like a real
    service); ``.base_url``, ``.proc`` (the ``Popen``), ``.kill9()``, ``.stats()``."""

    def __init__(self, *args: str) -> None:
        # An empty environment: AZUREML_EMULATOR_* of this process must not leak into the child's settings.
        parsed = build_parser({}).parse_args(["--port", "0", "--lro-delay", "0.1", *args])
        self._emu = SubprocessEmulator.start(config_from_args(parsed))
        self.proc = self._emu.process
        self.base_url = self._emu.base_url

    def kill9(self) -> None:
        """SIGKILL the child (a crash: no shutdown hooks) and release its pipes."""
        self._emu.kill9()
        self._emu.stop()

    def stats(self) -> dict[str, Any]:
        """The emulator's request counters (``GET /_emulator/stats``)."""
        counters: dict[str, Any] = httpx.get(f"{self.base_url}/_emulator/stats").json()["counters"]
        return counters

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill9()
