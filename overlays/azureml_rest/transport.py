"""Transport wrappers that retry, stamp a client request id, and log each attempt.

:class:`RetryTransport` / :class:`AsyncRetryTransport` wrap the real httpx transport, so every generated client
whose httpx client was built by :func:`azureml_rest.pipeline.build_client` gets the same behaviour. Policy and its
defaults: :class:`azureml_rest.retry.RetryPolicy`.

- A failed response is closed before the retry.
- Request bodies are replayed: bytes always, multipart file fields via ``seek(0)`` (httpx does that when it
  renders each part). A generator/iterator body cannot be replayed, so such a request is never retried.
- Every attempt of one logical request carries the same ``x-ms-client-request-id``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable

import httpx

from ._logging import get_logger, log_request, log_response, log_transport_error
from ._redact import redact_url
from .config import HttpEvent
from .errors import NOT_SENT_ERRORS, ConnectionFailedError
from .retry import RetryPolicy

__all__ = ["AsyncRetryTransport", "ConnectionFailedError", "RetryTransport", "ensure_client_request_id"]

_log = get_logger("transport")

_NOT_SENT_ERRORS = NOT_SENT_ERRORS
#: Raised after the request may have reached the server: retried only for retry-safe requests.
_MAYBE_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ReadError,
    httpx.WriteError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)

CLIENT_REQUEST_ID = "x-ms-client-request-id"


def new_request_id() -> str:
    """A random (version 4) UUID as text, what ``str(uuid.uuid4())`` gives: the ``uuid`` module is not imported
    for it (it imports ``platform``, ~5 ms of the first call's imports)."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def ensure_client_request_id(request: httpx.Request) -> str:
    """Set ``x-ms-client-request-id`` (a uuid4) if absent; return the value in use."""
    value: str | None = request.headers.get(CLIENT_REQUEST_ID)
    if not value:
        value = new_request_id()
        request.headers[CLIENT_REQUEST_ID] = value
    return value


def _replayable(request: httpx.Request) -> bool:
    stream = request.stream
    if isinstance(stream, httpx.ByteStream):
        return True
    # httpx's MultipartStream re-renders its fields on every iteration and seeks file objects back to 0.
    if type(stream).__name__ == "MultipartStream":
        fields = getattr(stream, "fields", [])
        for f in fields:
            file = getattr(f, "file", None)
            if file is not None and not isinstance(file, (bytes, str)):
                seekable = getattr(file, "seekable", None)
                if seekable is None or not seekable():
                    return False
        return True
    return False


def _retry_decision(
    policy: RetryPolicy,
    request: httpx.Request,
    retries_done: int,
    *,
    response: httpx.Response | None = None,
    exc: Exception | None = None,
) -> float | None:
    """Seconds to wait before retrying, or None to stop."""
    if retries_done >= policy.max_retries:
        return None
    if exc is not None:
        if isinstance(exc, _NOT_SENT_ERRORS):
            pass  # always safe
        elif isinstance(exc, _MAYBE_SENT_ERRORS) and policy.retry_safe(request):
            pass
        else:
            return None
        if not _replayable(request):
            return None
        return policy.delay(retries_done)
    assert response is not None
    if not policy.should_retry_status(request, response.status_code) or not _replayable(request):
        return None
    return policy.delay(retries_done, response.headers)


class _Attempts:
    """The I/O-free part of one logical request's attempts, shared by both transports: logging, the
    ``on_event`` hook, the retry decision. The transports only send, sleep and close."""

    __slots__ = ("attempt", "on_event", "policy", "request", "request_id", "start")

    def __init__(self, request: httpx.Request, policy: RetryPolicy,
                 on_event: Callable[[HttpEvent], None] | None) -> None:
        self.request = request
        self.policy = policy
        self.on_event = on_event
        self.request_id = ensure_client_request_id(request)
        self.attempt = 0
        self.start = 0.0

    def begin(self) -> None:
        self.attempt += 1
        log_request(_log, self.request, self.attempt)
        self.start = time.perf_counter()

    def _emit(self, elapsed: float, status: int | None, error: str | None) -> None:
        if self.on_event is not None:
            self.on_event(HttpEvent(self.request.method, redact_url(str(self.request.url)), status, elapsed,
                                    self.attempt, self.request_id, error))

    def failed(self, exc: httpx.TransportError) -> float:
        """Seconds to wait before the next attempt; raises :class:`ConnectionFailedError` when there is none."""
        elapsed = time.perf_counter() - self.start
        log_transport_error(_log, self.request, exc, elapsed * 1000, self.attempt)
        self._emit(elapsed, None, type(exc).__name__)
        wait = _retry_decision(self.policy, self.request, self.attempt - 1, exc=exc)
        if wait is None:
            raise ConnectionFailedError(self.request, exc, self.attempt) from exc
        self._log_retry(type(exc).__name__, wait)
        return wait

    def answered(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying (the caller closes ``response``), or None: ``response`` is final."""
        elapsed = time.perf_counter() - self.start
        log_response(_log, self.request, response, elapsed * 1000, self.attempt)
        self._emit(elapsed, response.status_code, None)
        wait = _retry_decision(self.policy, self.request, self.attempt - 1, response=response)
        if wait is not None:
            self._log_retry(f"status {response.status_code}", wait)
        return wait

    def _log_retry(self, why: str, wait: float) -> None:
        _log.info("retrying %s after %s in %.2f s (retry %d of %d)", self.request.method, why, wait, self.attempt,
                  self.policy.max_retries)


class RetryTransport(httpx.BaseTransport):
    """Retrying wrapper around a sync transport. ``sleep`` is injectable (default ``time.sleep``); ``on_event``
    receives an :class:`~azureml_rest.config.HttpEvent` per attempt."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        on_event: Callable[[HttpEvent], None] | None = None,
    ) -> None:
        self.transport = transport
        self.policy = policy if policy is not None else RetryPolicy()
        self.on_event = on_event
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(request, self.policy, self.on_event)
        while True:
            attempts.begin()
            try:
                response = self.transport.handle_request(request)
            except httpx.TransportError as exc:
                self._sleep(attempts.failed(exc))
                continue
            wait = attempts.answered(response)
            if wait is None:
                return response
            response.close()
            self._sleep(wait)

    def close(self) -> None:
        self.transport.close()


async def _anyio_sleep(seconds: float) -> None:
    import anyio  # httpx depends on anyio; imported late so sync users never load it

    await anyio.sleep(seconds)


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Retrying wrapper around an async transport. ``sleep`` is injectable (default ``anyio.sleep``)."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = _anyio_sleep,
        on_event: Callable[[HttpEvent], None] | None = None,
    ) -> None:
        self.transport = transport
        self.policy = policy if policy is not None else RetryPolicy()
        self.on_event = on_event
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(request, self.policy, self.on_event)
        while True:
            attempts.begin()
            try:
                response = await self.transport.handle_async_request(request)
            except httpx.TransportError as exc:
                await self._sleep(attempts.failed(exc))
                continue
            wait = attempts.answered(response)
            if wait is None:
                return response
            await response.aclose()
            await self._sleep(wait)

    async def aclose(self) -> None:
        await self.transport.aclose()
