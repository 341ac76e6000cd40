"""Access tokens and the per-scope caches with single-flight refresh (stdlib only)."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import asyncio  # imported when first needed: sync users never pay for it (about 20 ms)

from .._logging import get_logger

__all__ = [
    "DEFAULT_REFRESH_WINDOW",
    "FAILED_REFRESH_BACKOFF",
    "AccessToken",
    "AsyncTokenCache",
    "TokenCache",
    "refresh_due_at",
]

_log = get_logger("credentials")

#: Refresh a cached token this many seconds before ``expires_on`` (same as azure-core's policy).
DEFAULT_REFRESH_WINDOW = 300.0
#: After a failed refresh of a still-valid token, keep using it and do not retry for this many seconds.
FAILED_REFRESH_BACKOFF = 30.0


class AccessToken(NamedTuple):
    """A bearer token and its expiry (Unix seconds); same shape as ``azure.core.credentials.AccessToken``.

    The repr never shows the token.
    """

    token: str
    expires_on: int

    def __repr__(self) -> str:
        return f"AccessToken(token=<redacted>, expires_on={self.expires_on})"

    def __str__(self) -> str:
        return self.__repr__()


def refresh_due_at(obtained_at: float, expires_on: float, window: float = DEFAULT_REFRESH_WINDOW) -> float:
    """When a token should be refreshed: ``window`` seconds before expiry, or, for a token whose lifetime is
    shorter than twice the window, once less than half its lifetime remains."""
    lifetime = max(0.0, expires_on - obtained_at)
    return expires_on - min(window, lifetime / 2.0)


class _Entry:
    """A cached token, when to refresh it and when a failed refresh may be tried again (a plain slotted class:
    this module is on every first call's import path, and a dataclass costs about 0.2 ms to define)."""

    __slots__ = ("refresh_at", "retry_after", "token")

    def __init__(self, token: AccessToken, refresh_at: float, retry_after: float = 0.0) -> None:
        self.token = token
        self.refresh_at = refresh_at
        self.retry_after = retry_after  # no refresh attempt before this (after a failed refresh)


class _CacheBase:
    def __init__(
        self, *, refresh_window: float = DEFAULT_REFRESH_WINDOW, clock: Callable[[], float] = time.time
    ) -> None:
        self.refresh_window = refresh_window
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    def _usable(self, key: str) -> AccessToken | None:
        """A cached token needing no refresh now, else None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        now = self._clock()
        if now < entry.refresh_at or (now < entry.retry_after and now < entry.token.expires_on):
            return entry.token
        return None

    def _store(self, key: str, token: AccessToken) -> AccessToken:
        now = self._clock()
        self._entries[key] = _Entry(token, refresh_due_at(now, token.expires_on, self.refresh_window))
        return token

    def _on_failure(self, key: str, exc: BaseException) -> AccessToken:
        """After a failed fetch: keep serving a still-valid token for a while, else re-raise."""
        entry = self._entries.get(key)
        now = self._clock()
        if entry is not None and now < entry.token.expires_on:
            entry.retry_after = now + FAILED_REFRESH_BACKOFF
            _log.warning("token refresh failed (%s); using the cached token until it expires", type(exc).__name__)
            return entry.token
        raise exc

    def peek(self, key: str) -> AccessToken | None:
        """The cached token for ``key`` when it needs no refresh now, else None (never fetches, never waits)."""
        return self._usable(key)

    def invalidate(self, key: str | None = None, *, token: str | None = None) -> None:
        """Drop the token for ``key`` (all tokens if None). With ``token`` (the one a service refused), only if
        that is still the cached one: after a burst of 401s, the first drop and refresh must not be undone by
        the others, each dropping the fresh token again."""
        if key is None:
            self._entries.clear()
            return
        entry = self._entries.get(key)
        if entry is not None and (token is None or entry.token.token == token):
            del self._entries[key]


class TokenCache(_CacheBase):
    """Thread-safe per-key cache: however many threads ask, ONE fetch per key is in flight (threading.Lock)."""

    def __init__(
        self, *, refresh_window: float = DEFAULT_REFRESH_WINDOW, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(refresh_window=refresh_window, clock=clock)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock

    def get(self, key: str, fetch: Callable[[], AccessToken]) -> AccessToken:
        """The cached token, or one fetched with ``fetch`` (single flight per key)."""
        token = self._usable(key)
        if token is not None:
            return token
        with self._lock(key):
            token = self._usable(key)  # someone else may have refreshed while we waited
            if token is not None:
                return token
            try:
                fresh = fetch()
            except Exception as exc:
                return self._on_failure(key, exc)
            return self._store(key, fresh)


class AsyncTokenCache(_CacheBase):
    """Per-key cache for coroutines: ONE fetch per key in flight (asyncio.Lock, bound to one event loop)."""

    def __init__(
        self, *, refresh_window: float = DEFAULT_REFRESH_WINDOW, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(refresh_window=refresh_window, clock=clock)
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, fetch: Callable[[], Awaitable[AccessToken]]) -> AccessToken:
        """The cached token, or one fetched with ``fetch`` (single flight per key)."""
        token = self._usable(key)
        if token is not None:
            return token
        lock = self._locks.get(key)
        if lock is None:  # no await between get and set: safe within one event loop
            import asyncio

            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            token = self._usable(key)
            if token is not None:
                return token
            try:
                fresh = await fetch()
            except Exception as exc:
                return self._on_failure(key, exc)
            return self._store(key, fresh)
