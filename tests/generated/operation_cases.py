"""The registry of test_every_operation: one case per generated operation module, and the clients they share.

A case module (``test_every_operation`` itself, ``cases_machinelearning``) decorates one function per generated
operation with :func:`case`; the function gets an :class:`Env` and returns ``(response, accepted statuses, expected
parsed type)``. ``test_every_operation`` imports every case module, so a new operation without a case fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .emulator_world import World


@dataclass
class Env:
    """The world plus one generated client per group and a raw httpx client for set-up steps."""

    w: World
    arm: Any
    disco: Any
    hist: Any
    exe: Any
    mms: Any
    score: Any
    ml: Any  # the machinelearning (2025-12-01) client
    raw: httpx.Client


Case = Callable[[Env], tuple[Any, set[int], type | tuple[type, ...] | None]]
CASES: dict[str, Case] = {}


def case(module: Any) -> Callable[[Case], Case]:
    """Register the decorated function as the case of the generated ``module``."""

    def register(fn: Case) -> Case:
        CASES[module.__name__] = fn
        return fn

    return register
