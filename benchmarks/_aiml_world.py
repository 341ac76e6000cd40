"""A TLS emulator with a workspace and compute for the rows that run azure-ai-ml, set up the way
tests/microsoft/ sets it up (its harness reused, not copied: ``tests/microsoft/aiml_harness.py`` says what
azure-ai-ml needs to reach a loopback service and how each need is met).

The emulator runs in its own process (``tests/emulator_fixture.py``, subprocess mode) with ``--tls``: azure-core
refuses bearer tokens over plain http.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from typing import Any

AIML_MISSING = "azure-ai-ml / azure-identity / pytest (the tests' harness) not installed"


def have_aiml() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("azure.ai.ml", "azure.identity", "pytest"))


@contextlib.contextmanager
def aiml_world() -> Iterator[tuple[Any, Any]]:
    """(emulator, ``aiml_harness.World``): an emulator with ``--tls`` and no LRO delay, and a resource group,
    workspace and AmlCompute made over its ARM. Stopped on exit."""
    from tests.emulator_fixture import start_emulator
    from tests.microsoft import aiml_harness as harness

    emu = start_emulator("subprocess", tls=True, lro_delay=0.0, log_level="warning")
    try:
        world = harness.make_world(emu, harness.ssl_context(str(emu.ca_file)))
        yield emu, world
    finally:
        emu.stop()


def submit_v2_job(emu: Any, world: Any, name: str) -> Any:
    """A code-less command job created through the overlay (what the first-call rows read back)."""
    from azureml_rest.client import AzureML

    with AzureML.for_emulator(emu.base_url, str(emu.ca_file)) as ml:
        ws = ml.workspace(world.resource_group, world.workspace)
        return ws.jobs.submit("python -c pass", image="python:3.11-slim", compute=world.compute,
                              experiment_name="bench-v2", name=name)
