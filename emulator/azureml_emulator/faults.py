"""Fault injection: make some requests fail the way a real cloud service sometimes does.

Kinds: ``429`` (with ``Retry-After`` and ``retry-after-ms``), ``503``, ``slow`` (a delay before the
real answer), ``drop`` (the connection is closed without a response). Deterministic for a given seed.
Set by CLI flags, by ``POST /_emulator/faults`` and per request by the header ``x-emulator-fault``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("429", "503", "slow", "drop")


@dataclass(frozen=True)
class FaultSettings:
    """A snapshot of the injector's settings (rate 0 = off; ``paths`` = optional path prefixes)."""

    rate: float
    kinds: tuple[str, ...]
    seed: int | None
    paths: tuple[str, ...]


class FaultInjector:
    """Decides, per request, whether to inject a fault and which. Defaults: off, kinds 429 and 503."""

    slow_seconds: float = 1.0  # how long a "slow" fault delays the answer
    retry_after_ms: int = 100  # what a 429 asks the client to wait (keeps tests fast)

    def __init__(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = ("429", "503"),
        seed: int | None = None,
        paths: Iterable[str] = (),
    ) -> None:
        self._lock = threading.Lock()
        self.configure(rate=rate, kinds=kinds, seed=seed, paths=paths)

    def configure(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = ("429", "503"),
        seed: int | None = None,
        paths: Iterable[str] = (),
    ) -> None:
        """Replace the settings; raises ValueError for a rate outside [0, 1] or an unknown kind."""
        kinds_t = tuple(str(k).strip().lower() for k in kinds if str(k).strip())
        bad = [k for k in kinds_t if k not in KINDS]
        if bad:
            raise ValueError(f"unknown fault kind(s) {bad}; known: {list(KINDS)}")
        if not 0.0 <= float(rate) <= 1.0:
            raise ValueError("fault rate must be between 0 and 1")
        if float(rate) > 0 and not kinds_t:
            raise ValueError("a fault rate above 0 needs at least one kind")
        with self._lock:
            self._settings = FaultSettings(float(rate), kinds_t, seed, tuple(paths))
            self._rng = random.Random(seed)

    @property
    def settings(self) -> FaultSettings:
        """The current settings."""
        with self._lock:
            return self._settings

    def choose(self, path: str, header: str | None = None) -> str | None:
        """The fault to inject for a request to ``path`` (None = answer normally).

        The ``x-emulator-fault`` header wins over the random draw; ``/_emulator/*`` is never faulted.
        """
        if path.startswith("/_emulator"):
            return None
        if header:
            kind = header.strip().lower()
            return kind if kind in KINDS else None
        with self._lock:
            s = self._settings
            if s.rate <= 0 or not s.kinds:
                return None
            if s.paths and not any(path.lower().startswith(p.lower()) for p in s.paths):
                return None
            if self._rng.random() >= s.rate:
                return None
            return self._rng.choice(s.kinds)
