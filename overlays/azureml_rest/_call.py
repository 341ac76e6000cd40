"""Run one generated operation and turn every failure into this package's typed errors.

The generated functions (openapi-python-client, with the project's template overrides) return a ``Response``
for every status inside ``HTTPStatus`` and raise their package's ``errors.UnexpectedStatus`` (a status such as
520) or ``errors.MalformedResponse`` (a body that does not parse). Here:

- a non-2xx ``Response`` becomes :func:`azureml_rest.errors.error_from_parts` (status-chosen
  :class:`~azureml_rest.errors.ServiceError` subclass with the service's code and message);
- ``UnexpectedStatus`` becomes the same typed error (a 520 is a :class:`~azureml_rest.errors.ServerError`);
- ``MalformedResponse`` on an error status (an HTML 502 page) becomes the typed error too, and on a success
  status an :class:`~azureml_rest.errors.InvalidResponseError` naming the operation.

Both are recognised with ``isinstance`` over every generated package (:mod:`._generated_types`). The operation
name is taken from the generated module (``workspaces_create_or_update``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar

from ._generated_types import malformed_response_types, unexpected_status_types
from .errors import AzureMLError, InvalidResponseError, error_from_parts

__all__ = [
    "GeneratedResponse",
    "acall",
    "acall_detailed",
    "acall_raw",
    "call",
    "call_detailed",
    "call_raw",
    "check_response",
]

P = ParamSpec("P")
R = TypeVar("R", covariant=True)
R2 = TypeVar("R2")
M = TypeVar("M")


class GeneratedResponse(Protocol[R]):
    """The generated packages' ``types.Response`` as read here."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def parsed(self) -> R | None: ...


def operation_name(fn: Callable[..., Any]) -> str:
    """``azureml_management_client.api.workspaces.workspaces_get`` -> ``workspaces_get``."""
    module = getattr(fn, "__module__", "") or ""
    return module.rsplit(".", 1)[-1] or getattr(fn, "__name__", "operation")


def _translate(operation: str, exc: Exception) -> AzureMLError | None:
    """The typed error for a generated package's ``errors.*`` exception, else None."""
    unexpected = isinstance(exc, unexpected_status_types())
    if not unexpected and not isinstance(exc, malformed_response_types()):
        return None
    status = int(getattr(exc, "status_code", 0) or 0)
    content = getattr(exc, "content", b"") or b""
    if not isinstance(content, bytes):
        content = b""
    if unexpected or status >= 400:
        return error_from_parts(status, {}, content)
    return InvalidResponseError(operation, str(exc), status_code=status)


def check_response(operation: str, response: GeneratedResponse[Any]) -> None:
    """Raise the typed error when ``response`` is not a success (2xx)."""
    status = int(response.status_code)
    if 200 <= status < 300:
        return
    headers = {k.lower(): v for k, v in response.headers.items()}
    raise error_from_parts(status, headers, response.content)


def _expect(operation: str, response: GeneratedResponse[Any], expect: type[M]) -> M:
    parsed = response.parsed
    if expect is type(None):
        return None  # type: ignore[return-value,unused-ignore]  # M is NoneType here
    if not isinstance(parsed, expect):
        raise InvalidResponseError(
            operation,
            f"expected a {expect.__name__} body, got {type(parsed).__name__}",
            status_code=int(response.status_code),
            request_id={k.lower(): v for k, v in response.headers.items()}.get("x-ms-request-id"),
        )
    return parsed


def call_raw(fn: Callable[P, GeneratedResponse[R2]], /, *args: P.args, **kwargs: P.kwargs) -> GeneratedResponse[R2]:
    """Run ``fn`` translating only the generated exceptions; any status comes back (pollers read 404s)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        typed = _translate(operation_name(fn), exc)
        if typed is None:
            raise
        raise typed from exc


def call_detailed(
    fn: Callable[P, GeneratedResponse[R2]], /, *args: P.args, **kwargs: P.kwargs
) -> GeneratedResponse[R2]:
    """Run ``fn`` (a generated ``sync_detailed``), raise the typed error for non-2xx, return the Response."""
    response = call_raw(fn, *args, **kwargs)
    check_response(operation_name(fn), response)
    return response


def call(
    expect: type[M], fn: Callable[P, GeneratedResponse[Any]], /, *args: P.args, **kwargs: P.kwargs
) -> M:
    """Like :func:`call_detailed`, returning ``.parsed`` checked to be an ``expect`` instance.

    ``expect=type(None)`` accepts any (or no) body and returns None.
    """
    response = call_detailed(fn, *args, **kwargs)
    return _expect(operation_name(fn), response, expect)


async def acall_raw(
    fn: Callable[P, Awaitable[GeneratedResponse[R2]]], /, *args: P.args, **kwargs: P.kwargs
) -> GeneratedResponse[R2]:
    """Async twin of :func:`call_raw`."""
    try:
        return await fn(*args, **kwargs)
    except Exception as exc:
        typed = _translate(operation_name(fn), exc)
        if typed is None:
            raise
        raise typed from exc


async def acall_detailed(
    fn: Callable[P, Awaitable[GeneratedResponse[R2]]], /, *args: P.args, **kwargs: P.kwargs
) -> GeneratedResponse[R2]:
    """Async twin of :func:`call_detailed` (``fn`` is a generated ``asyncio_detailed``)."""
    response = await acall_raw(fn, *args, **kwargs)
    check_response(operation_name(fn), response)
    return response


async def acall(
    expect: type[M], fn: Callable[P, Awaitable[GeneratedResponse[Any]]], /, *args: P.args, **kwargs: P.kwargs
) -> M:
    """Async twin of :func:`call`."""
    response = await acall_detailed(fn, *args, **kwargs)
    return _expect(operation_name(fn), response, expect)
