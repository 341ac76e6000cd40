"""The I/O-free part of paging: :class:`Page`, the repeated-token guard and the decoding of a ``nextLink``
answer (behaviour: :mod:`azureml_rest.paging`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._logging import get_logger
from .errors import InvalidResponseError, error_from_response

__all__ = ["Page", "Tokens", "decode_next_page"]

T = TypeVar("T")
_log = get_logger("paging")


@dataclass
class Page(Generic[T]):
    """One page: its ``items`` and the ``token`` for the next page (None or "" = last page)."""

    items: list[T]
    token: str | None = None
    raw: Any = field(default=None, repr=False)


class Tokens:
    """Remembers tokens seen, to stop on a repeat."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.seen: set[str] = set()

    def next(self, token: str | None) -> str | None:
        if not token:
            return None
        if token in self.seen:
            _log.warning("%s: the service repeated a continuation token; stopping", self.operation)
            return None
        self.seen.add(token)
        return token


def decode_next_page(operation: str, resp: httpx.Response) -> Any:
    if resp.status_code >= 400:
        raise error_from_response(resp)
    try:
        return json.loads(resp.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidResponseError(operation, f"next page is not JSON ({exc})", status_code=resp.status_code,
                                   request_id=resp.headers.get("x-ms-request-id")) from None
