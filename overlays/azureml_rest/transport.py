"""Transport wrappers that retry, stamp a client request id, and log each attempt.

:class:`RetryTransport` / :class:`AsyncRetryTransport` wrap the real httpx transport, so every generated client
whose httpx client was built by :func:`azureml_rest.http.build_client` gets the same behaviour. Policy and its
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
from .errors import AzureMLError
from .retry import RetryPolicy

__all__ = ["AsyncRetryTransport", "ConnectionFailedError", "RetryTransport", "ensure_client_request_id"]

_log = get_logger("transport")

#: Raised before any byte of the request left: retrying cannot duplicate a side effect.
_NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Raised after the request may have reached the server: retried only for retry-safe requests.
_MAYBE_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ReadError,
    httpx.WriteError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)

CLIENT_REQUEST_ID = "x-ms-client-request-id"


class ConnectionFailedError(AzureMLError, httpx.TransportError):
    """No answer: the connection failed (refused, reset, dropped, timed out) and the request is not retried
    (any more). Also an ``httpx.TransportError``, so code catching httpx's errors keeps working.

    Attributes: ``method``, ``url`` (redacted), ``attempts``, ``cause`` (the httpx error's type name) and
    ``may_have_been_applied``: True when the request may have reached the service (it was sent, and it is not
    retry-safe, so it was not repeated): check before repeating it by hand.
    """

    def __init__(self, request: httpx.Request, exc: httpx.TransportError, attempts: int) -> None:
        self.method = request.method
        self.url = redact_url(str(request.url))
        self.attempts = attempts
        self.cause = type(exc).__name__
        self.may_have_been_applied = not isinstance(exc, _NOT_SENT_ERRORS)
        note = (
            "; not repeated: the request may have reached the service and is not safe to send twice"
            if self.may_have_been_applied and attempts == 1
            else ""
        )
        super().__init__(f"{self.method} {self.url}: {self.cause} after {attempts} attempt(s){note}")
        httpx.TransportError.__init__(self, str(self), request=request)


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


class RetryTransport(httpx.BaseTransport):
    """Retrying wrapper around a sync transport. ``sleep`` is injectable (default ``time.sleep``)."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport
        self.policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        ensure_client_request_id(request)
        retries_done = 0
        while True:
            attempt = retries_done + 1
            log_request(_log, request, attempt)
            start = time.perf_counter()
            try:
                response = self.transport.handle_request(request)
            except httpx.TransportError as exc:
                elapsed = (time.perf_counter() - start) * 1000
                log_transport_error(_log, request, exc, elapsed, attempt)
                wait = _retry_decision(self.policy, request, retries_done, exc=exc)
                if wait is None:
                    raise ConnectionFailedError(request, exc, attempt) from exc
                _log.info(
                    "retrying %s after %s in %.2f s (retry %d of %d)",
                    request.method,
                    type(exc).__name__,
                    wait,
                    retries_done + 1,
                    self.policy.max_retries,
                )
            else:
                elapsed = (time.perf_counter() - start) * 1000
                log_response(_log, request, response, elapsed, attempt)
                wait = _retry_decision(self.policy, request, retries_done, response=response)
                if wait is None:
                    return response
                response.close()
                _log.info(
                    "retrying %s after status %d in %.2f s (retry %d of %d)",
                    request.method,
                    response.status_code,
                    wait,
                    retries_done + 1,
                    self.policy.max_retries,
                )
            self._sleep(wait)
            retries_done += 1

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
    ) -> None:
        self.transport = transport
        self.policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        ensure_client_request_id(request)
        retries_done = 0
        while True:
            attempt = retries_done + 1
            log_request(_log, request, attempt)
            start = time.perf_counter()
            try:
                response = await self.transport.handle_async_request(request)
            except httpx.TransportError as exc:
                elapsed = (time.perf_counter() - start) * 1000
                log_transport_error(_log, request, exc, elapsed, attempt)
                wait = _retry_decision(self.policy, request, retries_done, exc=exc)
                if wait is None:
                    raise ConnectionFailedError(request, exc, attempt) from exc
                _log.info(
                    "retrying %s after %s in %.2f s (retry %d of %d)",
                    request.method,
                    type(exc).__name__,
                    wait,
                    retries_done + 1,
                    self.policy.max_retries,
                )
            else:
                elapsed = (time.perf_counter() - start) * 1000
                log_response(_log, request, response, elapsed, attempt)
                wait = _retry_decision(self.policy, request, retries_done, response=response)
                if wait is None:
                    return response
                await response.aclose()
                _log.info(
                    "retrying %s after status %d in %.2f s (retry %d of %d)",
                    request.method,
                    response.status_code,
                    wait,
                    retries_done + 1,
                    self.policy.max_retries,
                )
            await self._sleep(wait)
            retries_done += 1

    async def aclose(self) -> None:
        await self.transport.aclose()
