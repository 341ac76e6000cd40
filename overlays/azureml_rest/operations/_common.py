"""Small helpers the operation modules share: UNSET handling, nextLink pagers, model decoding."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from .._generated_types import is_unset
from ..errors import InvalidResponseError
from ..paging import AsyncPager, Page, Pager, async_next_link_fetcher, next_link_fetcher

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
    items = value(getattr(result, "value", None)) or []
    if not isinstance(items, list) or not all(isinstance(i, item_type) for i in items):
        raise InvalidResponseError(operation, f"'value' is not a list of {item_type.__name__}")
    return Page(list(items), text(getattr(result, token_field, None)), raw=result)


def link_pager(
    operation: str,
    item_type: type[T],
    first: Callable[[], Any],
    from_dict: Callable[[Any], Any],
    http: httpx.Client,
    guard: Callable[[str], None],
) -> Pager[T]:
    """A :class:`Pager` whose first page is a generated call and whose next pages are ``nextLink`` GETs."""
    fetch = next_link_fetcher(http, operation, guard)

    def get_page(token: str | None) -> Page[T]:
        result = first() if token is None else decode(operation, from_dict, fetch(token))
        return page_of(operation, item_type, result)

    return Pager(get_page, operation=operation)


def async_link_pager(
    operation: str,
    item_type: type[T],
    first: Callable[[], Awaitable[Any]],
    from_dict: Callable[[Any], Any],
    http: Callable[[], Awaitable[httpx.AsyncClient]],
    guard: Callable[[], Awaitable[Callable[[str], None]]],
) -> AsyncPager[T]:
    """Async twin of :func:`link_pager`; the httpx client and guard are resolved on first need."""

    async def get_page(token: str | None) -> Page[T]:
        if token is None:
            result = await first()
        else:
            fetch = async_next_link_fetcher(await http(), operation, await guard())
            result = decode(operation, from_dict, await fetch(token))
        return page_of(operation, item_type, result)

    return AsyncPager(get_page, operation=operation)


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
