"""Retry policy: which requests may be retried, when, and how long to wait.

Defaults (defined on :class:`RetryPolicy`): ``max_retries=4`` (5 attempts in all), ``backoff_factor=0.5`` s,
exponential backoff with full jitter (``uniform(0, min(max_backoff, backoff_factor * 2**retry))``),
``max_backoff=30`` s, retried statuses 408/429/500/502/503/504 and connection errors, server hints
``retry-after-ms``, then ``x-ms-retry-after-ms``, then ``Retry-After`` (seconds or HTTP date) honoured but capped
at ``max_retry_after=60`` s. Which requests are retry-safe is decided in ONE function, :func:`is_retry_safe`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "is_retry_safe",
    "parse_retry_after",
]

IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
DEFAULT_RETRY_STATUSES: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})

#: POST actions that only read (ARM ``listKeys``/``listNodes``, model management ``listkeys``), lower-cased.
_READ_ONLY_POST_ACTIONS = frozenset({"listkeys", "listnodes"})
#: POSTs that start a run; safe to repeat only with a client-chosen ``runId`` (a duplicate is refused with 409).
_RUN_START_ACTIONS = frozenset({"startrun", "snapshotrun"})


def is_retry_safe(request: httpx.Request) -> bool:
    """Can this request be sent again after a failure whose outcome is unknown?

    - idempotent methods: GET, HEAD, PUT, DELETE, OPTIONS, TRACE;
    - POST run-history reads ending in ``:query`` (``experiments:query``, ``runs:query``, metrics queries);
    - POST ``listKeys`` / ``listkeys`` / ``listNodes`` (reads despite the verb);
    - POST ``.../startrun`` or ``.../snapshotrun`` WITH a non-empty ``runId`` query parameter: the server
      refuses a second run with the same id (409 ``RunIdAlreadyExists``), so a repeat cannot start two runs;
    - a request whose ``extensions["azureml_rest.retry_safe"]`` is True (callers that know better).

    Everything else (PATCH, other POSTs such as ``regenerateKeys``, ``cancel``, model register) is not.
    """
    method = request.method.upper()
    if method in IDEMPOTENT_METHODS:
        return True
    if request.extensions.get("azureml_rest.retry_safe") is True:
        return True
    if method != "POST":
        return False
    path = unquote(request.url.path).rstrip("/")
    last = path.rsplit("/", 1)[-1].lower()
    if last.endswith(":query"):
        return True
    if last in _READ_ONLY_POST_ACTIONS:
        return True
    if last in _RUN_START_ACTIONS:
        query = request.url.query.decode("ascii", errors="replace")
        return any(k.lower() == "runid" and v.strip() for k, v in parse_qsl(query, keep_blank_values=True))
    return False


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, or None.

    Order: ``retry-after-ms``, ``x-ms-retry-after-ms`` (milliseconds), then ``Retry-After`` (delta seconds or an
    HTTP date; a date in the past gives 0). Invalid or negative values are ignored.
    """
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        raw = headers.get(name)
        if raw is not None:
            try:
                ms = float(raw)
            except ValueError:
                continue
            if ms >= 0 and ms == ms:  # rejects NaN
                return ms / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    if seconds >= 0 and seconds == seconds and seconds != float("inf"):
        return seconds
    return None


@dataclass(frozen=True)
class RetryPolicy:
    """How the retry transport retries. Defaults: see the module docstring.

    ``retry_safe`` decides which requests may be repeated after an unknown outcome (default
    :func:`is_retry_safe`); connection errors raised before the request was sent (``ConnectError``,
    ``ConnectTimeout``, ``PoolTimeout``) are retried for every request. ``rand`` returns a float in [0, 1) and
    is injectable for deterministic tests. ``max_retries=0`` disables retries.
    """

    max_retries: int = 4
    backoff_factor: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    retry_statuses: frozenset[int] = DEFAULT_RETRY_STATUSES
    retry_safe: Callable[[httpx.Request], bool] = is_retry_safe
    rand: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.backoff_factor < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff_factor, max_backoff and max_retry_after must be >= 0")

    def backoff(self, retry_number: int) -> float:
        """Full-jitter delay before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.max_backoff, self.backoff_factor * (2.0**retry_number))
        return ceiling * self.rand()

    def delay(self, retry_number: int, headers: Mapping[str, str] | None = None) -> float:
        """The wait before a retry: the server's hint (capped at ``max_retry_after``) or the backoff."""
        if headers is not None:
            hint = parse_retry_after(headers)
            if hint is not None:
                return min(hint, self.max_retry_after)
        return self.backoff(retry_number)

    def should_retry_status(self, request: httpx.Request, status_code: int) -> bool:
        """A retryable status on a retry-safe request."""
        return status_code in self.retry_statuses and self.retry_safe(request)


NO_RETRY = RetryPolicy(max_retries=0)
