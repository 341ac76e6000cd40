"""What every benchmark receives: the size knobs (``--quick``) and a log function."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Context:
    """Run settings. ``quick`` shrinks every size so the whole suite takes about a minute."""

    quick: bool = False
    started: float = field(default_factory=time.perf_counter)
    #: What several benchmarks of one run share (the import rows' fresh virtualenv).
    shared: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        """Progress on stderr (the table goes to stdout)."""
        print(f"[{time.perf_counter() - self.started:7.1f}s] {message}", file=sys.stderr, flush=True)


class StaticTokenCredential:
    """An azure-core style credential returning one fixed token (so every client sends the same one)."""

    def __init__(self, token: str, expires_on: int | None = None) -> None:
        self._token = token
        self._expires_on = expires_on if expires_on is not None else int(time.time()) + 3000

    def get_token(self, *scopes: str, **kwargs: object) -> _Token:
        return _Token(self._token, self._expires_on)

    def __repr__(self) -> str:
        return "StaticTokenCredential(<redacted>)"


@dataclass(frozen=True)
class _Token:
    token: str = field(repr=False)
    expires_on: int
