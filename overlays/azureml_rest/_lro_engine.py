"""The I/O-free core of long-running operations: which polling style, what a poll answer means, when to stop,
how long to wait. :mod:`azureml_rest.lro` documents the behaviour; the pollers (``_async/poller.py`` and its sync
twin) only send the GETs and sleep.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ._logging import get_logger
from .errors import (
    AzureMLError,
    InvalidResponseError,
    OperationFailedError,
    OperationTimeoutError,
    error_from_parts,
)
from .retry import parse_retry_after

__all__ = ["DEFAULT_POLL_INTERVAL", "MAX_POLL_INTERVAL", "PollerBase", "RawResponse", "Wait"]

T = TypeVar("T")
_log = get_logger("lro")

#: Seconds between polls when the server gives no hint (the 2020 SDK's interval; specs/README.md, management.yaml:
#: "Notes for other parts", Polling).
DEFAULT_POLL_INTERVAL = 5.0
#: Longest wait honoured from a server hint.
MAX_POLL_INTERVAL = 60.0

Strategy = Literal["operation-location", "azure-async-operation", "location", "provisioning-state", "none"]

_ARM_SUCCEEDED = "succeeded"
_ARM_FAILED = frozenset({"failed", "canceled", "cancelled"})
_MMS_FAILED = frozenset({"failed", "cancelled", "canceled", "timedout"})


class RawResponse(Protocol):
    """What the engine reads from an answer: an ``httpx.Response`` or a generated ``Response`` both fit."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _json_or_none(operation: str, raw: RawResponse) -> Any:
    if not raw.content or not raw.content.strip():
        return None
    try:
        return json.loads(raw.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidResponseError(operation, f"body is not JSON ({exc})", status_code=int(raw.status_code),
                                   request_id=_lower(raw.headers).get("x-ms-request-id")) from None


def _raise_for_status(raw: RawResponse, *, url: str | None = None) -> None:
    status = int(raw.status_code)
    if status >= 400:
        raise error_from_parts(status, _lower(raw.headers), raw.content, method="GET" if url else None, url=url)


def _with_api_version(url: str, api_version: str | None) -> str:
    """Add ``api-version`` when an ARM operation URL lacks one (as the 2020 SDK does; specs/README.md,
    management.yaml: "Notes for other parts")."""
    if not api_version:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower() == "api-version" for k, _ in query):
        return url
    query.append(("api-version", api_version))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _error_fields(err: Any) -> tuple[str | None, str | None, list[Any]]:
    """(code, message, details) from an ARM ``error`` (possibly double-nested before 2019-06-01) or MMS error."""
    if isinstance(err, dict) and isinstance(err.get("error"), dict):
        err = err["error"]
    if not isinstance(err, dict):
        return None, None, []
    code = err.get("code")
    message = err.get("message")
    details = err.get("details")
    return (
        str(code) if code is not None else None,
        str(message) if message is not None else None,
        details if isinstance(details, list) else [],
    )


@dataclass
class _Engine:
    """Sans-IO state of one operation: what to GET next and what each answer means."""

    operation: str
    strategy: Strategy
    poll_url: str | None
    method: str
    api_version: str | None
    url_guard: Callable[[str], None]
    status: str = "InProgress"
    done: bool = False
    final_body: Any = None
    needs_final_get: bool = False
    final_url: str | None = None  # absolute URL for the final GET (else ``refresh`` is used)
    hint: float | None = None

    @classmethod
    def start(
        cls,
        operation: str,
        initial: RawResponse,
        *,
        method: str,
        prefer: Literal["azure-async-operation", "location"],
        api_version: str | None,
        url_guard: Callable[[str], None],
        has_refresh: bool,
    ) -> _Engine:
        _raise_for_status(initial)
        headers = _lower(initial.headers)
        body = _json_or_none(operation, initial)
        method = method.upper()
        eng = cls(operation, "none", None, method, api_version, url_guard, hint=parse_retry_after(headers))
        op_loc = headers.get("operation-location")
        async_op = headers.get("azure-asyncoperation")
        location = headers.get("location")
        if op_loc:
            eng.strategy, eng.poll_url = "operation-location", op_loc
            eng.api_version = None  # model management URLs are used as given
        elif async_op and not (prefer == "location" and location):
            eng.strategy, eng.poll_url = "azure-async-operation", _with_api_version(async_op, api_version)
        elif location and int(initial.status_code) in (201, 202):
            eng.strategy, eng.poll_url = "location", _with_api_version(location, api_version)
        else:
            state = _provisioning_state(body)
            if state is not None and state.lower() not in (_ARM_SUCCEEDED, *_ARM_FAILED) and has_refresh:
                eng.strategy, eng.status = "provisioning-state", state
            elif method == "DELETE" and int(initial.status_code) == 202 and has_refresh:
                eng.strategy = "provisioning-state"  # no header: wait for the resource to be gone
            else:
                eng._finish_with_body(body)
        if eng.poll_url is not None:
            url_guard(eng.poll_url)
        state = _provisioning_state(body)
        if not eng.done and state:
            eng.status = state
        return eng

    # --- answers ---------------------------------------------------------------------------------------------

    def _finish_with_body(self, body: Any) -> None:
        state = _provisioning_state(body)
        if state is not None and state.lower() in _ARM_FAILED:
            props = body.get("properties") if isinstance(body, dict) else None
            errs = props.get("provisioningErrors") if isinstance(props, dict) else None
            first = errs[0] if isinstance(errs, list) and errs else None
            code, message, details = _error_fields(first)
            self.status, self.done = state, True
            raise OperationFailedError(self.operation, state, error_code=code, message=message, details=details)
        self.status = state or "Succeeded"
        self.done = True
        self.final_body = body
        self.needs_final_get = False

    def on_poll(self, raw: RawResponse) -> None:
        """Digest the answer to a poll; raises the typed error when the operation failed."""
        headers = _lower(raw.headers)
        self.hint = parse_retry_after(headers)
        status_code = int(raw.status_code)
        if self.strategy == "provisioning-state":
            if status_code == 404 and self.method == "DELETE":
                self.status, self.done, self.final_body = "Succeeded", True, None
                return
            _raise_for_status(raw, url=self.poll_url)
            self._finish_or_continue_resource(_json_or_none(self.operation, raw))
            return
        _raise_for_status(raw, url=self.poll_url)
        if self.strategy == "location":
            if status_code == 202:
                self.status = "InProgress"
                new = headers.get("location")
                if new:
                    self.poll_url = _with_api_version(new, self.api_version)
                    self.url_guard(self.poll_url)
                return
            body = _json_or_none(self.operation, raw)
            self.status, self.done = "Succeeded", True
            if status_code == 204 or self.method == "DELETE":
                self.final_body = None
            elif body is None:
                self.needs_final_get = True
            else:
                self._finish_with_body(body)
            return
        body = _json_or_none(self.operation, raw)
        if not isinstance(body, dict):
            raise InvalidResponseError(self.operation, "operation status body is not a JSON object",
                                       status_code=status_code, request_id=headers.get("x-ms-request-id"))
        key = "state" if self.strategy == "operation-location" else "status"
        value = body.get(key)
        if not isinstance(value, str) or not value:
            raise InvalidResponseError(self.operation, f"operation status has no {key!r}",
                                       status_code=status_code, request_id=headers.get("x-ms-request-id"))
        self.status = value
        low = value.lower()
        failed = _MMS_FAILED if self.strategy == "operation-location" else _ARM_FAILED
        if low in failed:
            self.done = True
            code, message, details = _error_fields(body.get("error"))
            raise OperationFailedError(self.operation, value, error_code=code, message=message, details=details)
        if low != _ARM_SUCCEEDED:
            return
        self.done = True
        if self.method == "DELETE":
            return
        self.needs_final_get = True
        if self.strategy == "operation-location":
            loc = body.get("resourceLocation")
            if isinstance(loc, str) and loc:
                self.final_url = urljoin(self.poll_url or "", loc)
                self.url_guard(self.final_url)

    def _finish_or_continue_resource(self, body: Any) -> None:
        state = _provisioning_state(body)
        if state is None or state.lower() == _ARM_SUCCEEDED or state.lower() in _ARM_FAILED:
            self._finish_with_body(body)
        else:
            self.status = state

    def on_final(self, raw: RawResponse) -> None:
        _raise_for_status(raw, url=self.final_url)
        self._finish_with_body(_json_or_none(self.operation, raw))
        self.needs_final_get = False


def _provisioning_state(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    props = body.get("properties")
    state = props.get("provisioningState") if isinstance(props, dict) else None
    if state is None:
        state = body.get("provisioningState")
    return state if isinstance(state, str) and state else None


@dataclass
class Wait:
    """Deadline bookkeeping shared by both pollers."""

    operation: str
    timeout: float | None
    clock: Callable[[], float]
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def next_sleep(self, hint: float | None, interval: float, cap: float, last_status: str) -> float:
        wait = interval if hint is None else min(hint, cap)
        if self.timeout is None:
            return wait
        remaining = self.timeout - (self.clock() - self.started)
        if remaining <= 0:
            raise OperationTimeoutError(self.operation, self.timeout, last_status)
        return min(wait, remaining)


class PollerBase(Generic[T]):
    """State and answers shared by both pollers (the engine, the deadline, the final result or error)."""

    def __init__(
        self,
        operation: str,
        initial: RawResponse,
        *,
        method: str,
        deserialize: Callable[[Any], T],
        has_refresh: bool,
        prefer: Literal["azure-async-operation", "location"] = "azure-async-operation",
        api_version: str | None = None,
        url_guard: Callable[[str], None] | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._operation = operation
        self._deserialize = deserialize
        self._interval = poll_interval
        self._cap = max_poll_interval
        self._clock = clock
        self._error: AzureMLError | None = None
        self._result: T | None = None
        self._has_result = False
        try:
            self._engine = _Engine.start(operation, initial, method=method, prefer=prefer, api_version=api_version,
                                         url_guard=url_guard or (lambda _u: None), has_refresh=has_refresh)
        except AzureMLError as exc:
            self._error = exc
            raise
        if self._engine.done and not self._engine.needs_final_get:
            self._settle()

    @property
    def operation(self) -> str:
        """The operation's name (e.g. ``Workspaces_CreateOrUpdate``)."""
        return self._operation

    @property
    def strategy(self) -> str:
        """The polling style in use: operation-location, azure-async-operation, location, provisioning-state, none."""
        return self._engine.strategy

    def status(self) -> str:
        """The last status seen (``InProgress``, ``Creating``, ``Succeeded``, ``Failed``...); never polls."""
        return self._engine.status

    def done(self) -> bool:
        """True once the operation ended (successfully or not); never polls."""
        return self._has_result or self._error is not None

    def _settle(self) -> None:
        try:
            self._result = self._deserialize(self._engine.final_body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            err = InvalidResponseError(self._operation, f"final resource could not be read: {exc}")
            self._error = err
            raise err from None
        self._has_result = True

    def _finished(self) -> T:
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]  # T may be None

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(operation={self._operation!r}, strategy={self.strategy!r}, "
                f"status={self.status()!r})")
