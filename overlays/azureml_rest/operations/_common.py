"""Small helpers the operation modules share: UNSET handling, model decoding, pages, ARM handles.

Also the few calls whose sync and async forms differ by more than ``await`` (sleeping, running blocking work,
finding a service without awaiting), written here twice as ``x`` / ``ax`` so that the async code in
``azureml_rest._async`` can name ``ax`` and ``python -m tools.unasync`` turn that into ``x`` for ``_sync``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._generated_types import is_unset
from ..errors import InvalidResponseError

if TYPE_CHECKING:
    from .._paging_core import Page

T = TypeVar("T")


def value(x: Any) -> Any:
    """The value of a generated field, with ``UNSET`` turned into None."""
    if x is None or is_unset(x):
        return None
    return x


def text(x: Any) -> str | None:
    """A generated string field (None for UNSET/None)."""
    v = value(x)
    return str(v) if v is not None else None


def decode(operation: str, from_dict: Callable[[Any], T], body: Any) -> T:
    """``Model.from_dict(body)`` with failures reported as :class:`InvalidResponseError`."""
    if not isinstance(body, dict):
        raise InvalidResponseError(operation, f"expected a JSON object, got {type(body).__name__}")
    try:
        return from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidResponseError(operation, f"body does not match the contract: {type(exc).__name__} {exc}") from None


def page_of(operation: str, item_type: type[T], result: Any, token_field: str = "next_link") -> Page[T]:  # noqa: S107
    """A :class:`Page` from a generated list result (``value`` + ``next_link`` / ``continuation_token``)."""
    from .._paging_core import Page  # paging is loaded by the first list, not by every operation module
    items = value(getattr(result, "value", None)) or []
    if not isinstance(items, list) or not all(isinstance(i, item_type) for i in items):
        raise InvalidResponseError(operation, f"'value' is not a list of {item_type.__name__}")
    return Page(list(items), text(getattr(result, token_field, None)), raw=result)


def service_id_of(service: Any) -> str:
    """A service id from an id string or a ``ServiceResponse``-like object (``id``, else ``name``)."""
    if isinstance(service, str):
        return service
    ident = text(getattr(service, "id", None)) or text(getattr(service, "name", None))
    if not ident:
        raise ValueError("the service has neither an id nor a name")
    return ident


class ArmHandle:
    """The management-group slice of a workspace handle's interface, for subscription-level operations."""

    def __init__(self, session: Any, subscription_id: str) -> None:
        self._session = session
        self.subscription_id = subscription_id

    def _base(self) -> str:
        return str(self._session.cloud.arm_endpoint)

    def client(self, group: str = "management") -> Any:
        return self._session.generated("management", self._base(), self._session.arm_scope)

    def httpx_client(self, group: str = "management") -> httpx.Client:
        client: httpx.Client = self._session.httpx_client(self._base(), self._session.arm_scope)
        return client

    def url_guard(self, group: str = "management") -> Callable[[str], None]:
        guard: Callable[[str], None] = self._session.url_guard(
            self._session.auth_for(self._base(), self._session.arm_scope))
        return guard


class AsyncArmHandle(ArmHandle):
    """Async twin of :class:`ArmHandle` (same method shapes as :class:`~azureml_rest.workspace.AsyncWorkspace`)."""

    async def aclient(self, group: str = "management") -> Any:
        return self.client(group)

    async def httpx_client(self, group: str = "management") -> httpx.AsyncClient:  # type: ignore[override]
        client: httpx.AsyncClient = self._session.httpx_client(self._base(), self._session.arm_scope)
        return client

    async def url_guard(self, group: str = "management") -> Callable[[str], None]:  # type: ignore[override]
        return ArmHandle.url_guard(self, group)


def data_plane_ids(ws: Any) -> tuple[Any, str, str]:
    """``(subscription UUID, resource group, workspace)``: history and execution type ``subscriptionId`` as a
    UUID (their generated functions take ``uuid.UUID``; specs/README.md, cross-cutting decisions)."""
    return ws.subscription_uuid, ws.ids[1], ws.ids[2]


# --- the calls that differ between sync and async beyond ``await`` (tools/unasync maps ``ax`` to ``x``) ---------


def sleep(seconds: float) -> None:
    """Sync: ``time.sleep``."""
    time.sleep(seconds)


async def asleep(seconds: float) -> None:
    """Async: ``anyio.sleep`` (anyio is imported on first use, so sync users never load it)."""
    import anyio

    await anyio.sleep(seconds)


def run_blocking(fn: Callable[[], T]) -> T:
    """Sync: call ``fn`` here."""
    return fn()


async def arun_blocking(fn: Callable[[], T]) -> T:
    """Async: run the blocking ``fn`` (zipping a project) in a worker thread, so the event loop goes on."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(fn)


def find_service(ws: Any, service: Any) -> Any:
    """Sync: a ``ServiceResponse`` as given, or looked up by id (``ws.v1.services.get``)."""
    return ws.v1.services.get(service) if isinstance(service, str) else service


def afind_service(ws: Any, service: Any) -> Any:
    """Async: a ``ServiceResponse`` as given. An id is refused with TypeError: ``ws.v1.scoring(...)`` builds its
    client without awaiting, so it cannot look the service up (``await ws.v1.services.get(id)`` first)."""
    if isinstance(service, str):
        raise TypeError("pass the ServiceResponse (await ws.v1.services.get(id)); an async handle cannot look "
                        "it up without awaiting")
    return service
