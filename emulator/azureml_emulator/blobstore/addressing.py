"""Which requests are blob requests, and what they address.

Two addressings share the emulator's port, as with the service and Azurite:

- virtual-hosted: ``Host: {account}.blob.{suffix}`` (``emustore.blob.core.localhost:8443``), path
  ``/{container}/{blob}``; every request to such a host is the blob store's;
- path-style: ``http(s)://127.0.0.1:PORT/{account}/{container}/{blob}`` (Azurite's form), claimed only when
  the first segment is an account the emulator serves and not the first segment of one of its own routes
  (``/subscriptions``, ``/history``, ``/_emulator``, ...), so existing routes are never shadowed.

Names are taken from the raw path as sent and percent-decoded once: ``%2F`` inside a blob name is a ``/`` of
the name, and ``..`` is an ordinary part of a name (the service and Azurite store such names literally; the
store never uses a name as a file path).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .errors import StorageError

_VIRTUAL_HOST = re.compile(r"^(?P<account>[a-z0-9][a-z0-9-]{1,62})\.blob\.", re.IGNORECASE)
_CONTAINER = re.compile(r"^(?:\$root|\$logs|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$")
MAX_BLOB_NAME = 1024


@dataclass(frozen=True)
class Target:
    """An addressed account, container (None: the account itself) and blob (None: the container)."""

    account: str
    container: str | None
    blob: str | None
    raw_path: str  # the path as sent (still percent-encoded): SharedKey signs it
    endpoint: str  # the account's service endpoint, e.g. "http://127.0.0.1:10000/devstoreaccount1"
    https: bool
    query: tuple[tuple[str, str], ...] = field(repr=False)  # may hold a SAS signature

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (names compared case-insensitively)."""
        low = name.lower()
        for key, value in self.query:
            if key.lower() == low:
                return value
        return None


def header(scope: MutableMapping[str, Any], name: bytes) -> str | None:
    """A request header from an ASGI scope (``name`` lower-case)."""
    for key, value in scope.get("headers", []):
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None


def parse_query(raw: bytes) -> tuple[tuple[str, str], ...]:
    """Query pairs, percent-decoded; ``+`` stays ``+`` (Storage signs and reads values that way)."""
    pairs: list[tuple[str, str]] = []
    for part in raw.decode("latin-1").split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return tuple(pairs)


def locate(
    scope: MutableMapping[str, Any], is_account: Callable[[str], bool], reserved: Collection[str]
) -> Target | None:
    """The blob target of an HTTP request, or None when it is not a blob request."""
    host = header(scope, b"host") or ""
    raw = bytes(scope.get("raw_path") or scope["path"].encode("utf-8"))
    raw_path = raw.decode("latin-1").partition("?")[0] or "/"
    https = scope.get("scheme") == "https"
    scheme = "https" if https else "http"
    segments = raw_path.split("/")[1:]
    match = _VIRTUAL_HOST.match(host)
    if match is not None:
        account = match.group("account").lower()
        endpoint = f"{scheme}://{host}/"
    else:
        first = unquote(segments[0]) if segments else ""
        if not first or first in reserved or first.startswith("_") or not is_account(first):
            return None
        account = first.lower()
        endpoint = f"{scheme}://{host}/{first}"
        segments = segments[1:]
    container = unquote(segments[0]) if segments and segments[0] else None
    blob = unquote("/".join(segments[1:])) if len(segments) > 1 else None
    if blob == "":
        blob = None
    query = parse_query(bytes(scope.get("query_string", b"")))
    return Target(account, container, blob, raw_path, endpoint, https, query)


def validate_names(target: Target) -> None:
    """Refuse container and blob names the service refuses (400 InvalidResourceName / OutOfRangeInput)."""
    if target.container is not None and not _CONTAINER.match(target.container):
        raise StorageError("InvalidResourceName", "Container names are 3-63 lower-case letters, digits and dashes.")
    if target.blob is not None:
        if len(target.blob) > MAX_BLOB_NAME:
            raise StorageError("OutOfRangeInput", f"A blob name is at most {MAX_BLOB_NAME} characters.")
        if "\x00" in target.blob:  # no file name is ever made from a blob name; NUL is refused as a name
            raise StorageError("InvalidResourceName", "A blob name cannot contain a NUL character.")
