"""Small helpers shared by the data-plane modules: time stamps, JSON bodies, paging tokens, routes."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Endpoint = Callable[[Request], Any]

# Names of experiments and client-chosen run ids: a letter or digit, then up to 255 word characters or dashes
# (the ``runId`` pattern of specs/execution.yaml ``Runs_StartRun`` and specs/history.yaml ``Runs_Patch``).
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,255}$")
MAX_JSON_BYTES = 4 * 1024 * 1024  # JSON request bodies larger than this are refused (413)


class BadRequest(Exception):
    """A client error detected while reading a request; carries status, code and message."""

    def __init__(self, message: str, code: str = "BadArgument", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` suffix (microseconds kept)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def ci_get(obj: Mapping[str, Any] | None, *names: str) -> Any:
    """Case-insensitive lookup of the first of ``names`` in ``obj`` (None when absent).

    The real service binds JSON case-insensitively, so the article's PascalCase and the Swagger's
    camelCase both work (specs/README.md, Execution: "RunDefinition casing").
    """
    if not obj:
        return None
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


async def read_json(request: Request, *, allow_empty: bool = False) -> Any:
    """The request body parsed as JSON; raises BadRequest for a body that is not JSON or too large."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_JSON_BYTES:
            raise BadRequest(f"request body exceeds {MAX_JSON_BYTES} bytes", "RequestTooLarge", 413)
    if not body.strip():
        if allow_empty:
            return None
        raise BadRequest("the request body is empty; a JSON document is required")
    try:
        return json.loads(bytes(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None
    except RecursionError:  # a nesting bomb ([[[[...)
        raise BadRequest("the request body is nested too deeply") from None


def encode_token(offset: int) -> str:
    """An opaque continuation token for list position ``offset``."""
    raw = json.dumps({"o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None) -> int:
    """The list position in a continuation token (0 for none); BadRequest if it is not one of ours."""
    if token is None or token == "":
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise BadRequest("the continuation token is not valid", "InvalidContinuationToken") from None
    if offset < 0:
        raise BadRequest("the continuation token is not valid", "InvalidContinuationToken")
    return offset


def parse_int(value: Any, name: str, *, minimum: int = 1, maximum: int = 10_000) -> int | None:
    """An optional integer parameter (query string or JSON); BadRequest when malformed or out of range."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadRequest(f"'{name}' must be an integer")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"'{name}' must be an integer, got {str(value)[:40]!r}") from None
    if isinstance(value, float) and value != number:
        raise BadRequest(f"'{name}' must be an integer")
    if not minimum <= number <= maximum:
        raise BadRequest(f"'{name}' must be between {minimum} and {maximum}")
    return number


def page(items: Sequence[Any], offset: int, size: int) -> tuple[list[Any], int | None]:
    """The slice of ``items`` starting at ``offset`` and the next offset (None at the end)."""
    chunk = list(items[offset : offset + size])
    nxt = offset + size
    return chunk, (nxt if nxt < len(items) else None)


def query_param(request: Request, *names: str) -> str | None:
    """The first query parameter among ``names`` (matched case-insensitively), or None."""
    wanted = [n.lower() for n in names]
    for key, value in request.query_params.multi_items():
        if key.lower() in wanted:
            return value
    return None


def ci_route(path: str, endpoint: Endpoint, methods: Sequence[str]) -> Route:
    """A route whose fixed segments match case-insensitively and which tolerates a trailing slash."""
    route = Route(path, endpoint, methods=list(methods))
    pattern = route.path_regex.pattern
    if pattern.endswith("$") and not pattern.endswith("/$"):
        pattern = pattern[:-1] + "/?$"
    route.path_regex = re.compile(pattern, re.IGNORECASE)
    return route


def no_content(status: int = 204) -> Response:
    """An empty response."""
    return Response(status_code=status)
