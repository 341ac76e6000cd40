"""Fixtures for emulator tests: emulators on free loopback ports and an ARM helper.

- ``emulator``: one in-memory emulator for the session (lro_delay 0.2 s).
- ``make_emulator(**config)``: a fresh emulator with its own config, stopped after the test.
- ``arm``: an :class:`~tests.emulator.support.Arm` (httpx client with a management token) for ``emulator``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from azureml_emulator.config import EmulatorConfig
from azureml_emulator.server import RunningEmulator, start_in_thread

from tests.emulator.support import Arm


@pytest.fixture(scope="session")
def emulator() -> Iterator[RunningEmulator]:
    with start_in_thread(EmulatorConfig(lro_delay=0.2)) as emu:
        yield emu


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., RunningEmulator]]:
    started: list[RunningEmulator] = []

    def make(**overrides: Any) -> RunningEmulator:
        overrides.setdefault("lro_delay", 0.2)
        emu = start_in_thread(EmulatorConfig(**overrides))
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()


@pytest.fixture
def arm(emulator: RunningEmulator) -> Iterator[Arm]:
    helper = Arm(emulator)
    yield helper
    helper.client.close()
