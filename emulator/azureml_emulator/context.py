"""The state one emulator process shares between its routes."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from .config import EmulatorConfig
from .faults import FaultInjector
from .signing import TokenSigner
from .store import Store


@dataclass
class Context:
    """Config, store, base URL (set once the port is bound), fault injector and request counters.

    ``signer`` issues and verifies the emulator's tokens; its key lives in the store (so it persists
    with ``data_dir``).
    """

    config: EmulatorConfig
    store: Store
    base_url: str = ""  # e.g. "http://127.0.0.1:PORT" (https with --tls)
    faults: FaultInjector = field(default_factory=FaultInjector)
    counters: collections.Counter[str] = field(default_factory=collections.Counter)
    signer: TokenSigner = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.signer = TokenSigner.from_store(self.store)

    @classmethod
    def create(cls, config: EmulatorConfig) -> Context:
        """A context whose store and fault injector follow ``config``."""
        return cls(
            config=config,
            store=Store(config.data_dir),
            faults=FaultInjector(config.fault_rate, config.fault_kinds, config.fault_seed),
        )
