"""Fixtures for emulator tests: thin aliases over tests/conftest.py, and an ARM helper.

- ``emulator``: the shared session emulator of tests/conftest.py (``lro_delay=0.2`` s).
- ``make_emulator(**config)``: ``emulator_factory`` of tests/conftest.py: a fresh emulator with its own config
  (``lro_delay`` 0.2 s unless given), stopped after the test.
- ``arm``: an :class:`~tests.emulator.support.Arm` (httpx client with a management token) for ``emulator``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm
from tests.emulator_fixture import EmulatorFactory


@pytest.fixture
def make_emulator(emulator_factory: EmulatorFactory) -> Callable[..., RunningEmulator]:
    return emulator_factory


@pytest.fixture
def arm(emulator: RunningEmulator) -> Iterator[Arm]:
    helper = Arm(emulator)
    yield helper
    helper.client.close()
