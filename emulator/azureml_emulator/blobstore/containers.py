"""Container operations: Create Container, Get Container Properties (what ``exists()`` calls), Delete
Container, List Blobs (flat or with a delimiter, paged by ``marker`` / ``maxresults``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from . import httpprops, xmlshapes
from .call import Call
from .errors import StorageError
from .timeutil import rfc1123

MAX_RESULTS = 5000
INCLUDE_VALUES = frozenset(
    {"copy", "deleted", "metadata", "snapshots", "uncommittedblobs", "tags", "versions", "deletedwithversions",
     "immutabilitypolicy", "legalhold", "permissions"}
)


async def create_container(call: Call) -> Response:
    """PUT ?restype=container (201); public access is refused like on accounts that disallow it."""
    if call.headers.get("x-ms-blob-public-access"):
        raise StorageError("PublicAccessNotPermitted")
    doc = call.storage.create_container(call.account, call.container, httpprops.metadata_from(call.headers))
    headers = {"ETag": f'"{doc["etag"]}"', "Last-Modified": rfc1123(doc["modified"])}
    return Response(b"", status_code=201, headers=headers)


async def container_properties(call: Call) -> Response:
    """GET/HEAD ?restype=container (200, no body)."""
    doc = call.storage.container(call.account, call.container)
    headers = {
        "ETag": f'"{doc["etag"]}"',
        "Last-Modified": rfc1123(doc["modified"]),
        "x-ms-lease-status": "unlocked",
        "x-ms-lease-state": "available",
        "x-ms-has-immutability-policy": "false",
        "x-ms-has-legal-hold": "false",
        "x-ms-default-encryption-scope": "$account-encryption-key",
        "x-ms-deny-encryption-scope-override": "false",
        "x-ms-immutable-storage-with-versioning-enabled": "false",
    }
    headers.update({"x-ms-meta-" + k: v for k, v in (doc.get("metadata") or {}).items()})
    return Response(b"", status_code=200, headers=headers)


async def delete_container(call: Call) -> Response:
    """DELETE ?restype=container (202): the container and all its blobs."""
    call.storage.delete_container(call.account, call.container)
    return Response(b"", status_code=202)


def _max_results(raw: str | None) -> int:
    if raw is None:
        return MAX_RESULTS
    if not raw.isdigit():
        raise StorageError("InvalidQueryParameterValue", "maxresults must be a positive integer.")
    value = int(raw)
    if not 1 <= value <= MAX_RESULTS:
        raise StorageError("OutOfRangeQueryParameterValue", f"maxresults must be between 1 and {MAX_RESULTS}.")
    return value


def _include(raw: str | None) -> set[str]:
    values = {v.strip().lower() for v in (raw or "").split(",") if v.strip()}
    unknown = values - INCLUDE_VALUES
    if unknown:
        raise StorageError("InvalidQueryParameterValue", f"Unknown include value(s): {', '.join(sorted(unknown))}.")
    return values


def page(
    docs: list[Mapping[str, Any]], prefix: str, delimiter: str, marker: str, limit: int
) -> tuple[list[Mapping[str, Any] | str], str]:
    """One page of entries (blob documents, and ``str`` prefixes when ``delimiter`` is set) in name order,
    starting at ``marker``, and the marker of the next page ("" at the end)."""
    entries: list[tuple[str, Mapping[str, Any] | str]] = []
    seen: set[str] = set()
    for doc in docs:
        name = str(doc["name"])
        if delimiter:
            cut = name.find(delimiter, len(prefix))
            if cut >= 0:
                group = name[: cut + len(delimiter)]
                if group not in seen:
                    seen.add(group)
                    entries.append((group, group))
                continue
        entries.append((name, doc))
    entries.sort(key=lambda e: e[0].encode("utf-8"))
    if marker:
        entries = [e for e in entries if e[0].encode("utf-8") >= marker.encode("utf-8")]
    chosen = [e[1] for e in entries[:limit]]
    return chosen, (entries[limit][0] if len(entries) > limit else "")


async def list_blobs(call: Call) -> Response:
    """GET ?restype=container&comp=list: ``EnumerationResults`` (200)."""
    t = call.target
    prefix = t.param("prefix") or ""
    delimiter = t.param("delimiter") or ""
    marker = t.param("marker") or ""
    limit = _max_results(t.param("maxresults"))
    include = _include(t.param("include"))
    docs = call.storage.list_blobs(call.account, call.container, prefix)
    entries, next_marker = page(docs, prefix, delimiter, marker, limit)
    body = xmlshapes.enumeration_results(
        endpoint=t.endpoint,
        container=call.container,
        prefix=prefix or None,
        marker=marker or None,
        max_results=int(t.param("maxresults") or MAX_RESULTS),
        delimiter=delimiter or None,
        entries=entries,
        include=include,
        next_marker=next_marker,
    )
    return Response(body, status_code=200, media_type="application/xml")
