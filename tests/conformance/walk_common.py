"""What the current API's (2025-12-01) walks of the conformance walkthrough share: the ``ml_world`` helpers on the
validating client, and following a long-running operation through both of its polling URLs.

The walks call the emulator with plain httpx (never with our client: they check the emulator against the specs);
prerequisites come from ``tests/generated/ml_world.py``, the same helpers test_every_operation uses.
"""

from __future__ import annotations

import httpx

from tests.generated.emulator_world import World, ok, poll_location
from tests.generated.ml_world import wait_status
from tests.generated.operation_cases import Env


def ml_env(http: httpx.Client, world: World) -> Env:
    """An ``Env`` for ``ml_world``'s helpers, which read only ``w`` and ``raw``: ``raw`` is the validating client,
    so every prerequisite they make is checked too. No generated client is given (the walk must not use one)."""
    return Env(world, arm=None, disco=None, hist=None, exe=None, mms=None, score=None, ml=None, raw=http)


def follow(http: httpx.Client, started: httpx.Response) -> httpx.Response:
    """Follow a 201/202 to the end: its ``Azure-AsyncOperation`` (if sent) to a terminal status, which must be
    Succeeded, then its ``Location`` (OperationResults_Get: 200 with the resource, or 204) when sent."""
    if "Azure-AsyncOperation" in started.headers:
        status = wait_status(http, started.headers["Azure-AsyncOperation"])
        assert status["status"] == "Succeeded", status
    if "Location" in started.headers:
        final = ok(poll_location(http, started.headers["Location"]), 200, 204)
        return final
    return started
