"""Request and response headers of blobs: properties, metadata, conditions, ranges, transactional MD5."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from .errors import StorageError
from .timeutil import parse_http_date, rfc1123

_META_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # C# identifiers, as the service requires
MAX_METADATA_BYTES = 8 * 1024
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")
# request header -> property; Put Blob also takes the plain HTTP header of the same meaning
PROPERTY_HEADERS = {
    "contentType": ("x-ms-blob-content-type", "content-type"),
    "contentEncoding": ("x-ms-blob-content-encoding", "content-encoding"),
    "contentLanguage": ("x-ms-blob-content-language", "content-language"),
    "contentDisposition": ("x-ms-blob-content-disposition", None),
    "cacheControl": ("x-ms-blob-cache-control", "cache-control"),
}


def metadata_from(headers: Mapping[str, str]) -> dict[str, str]:
    """The ``x-ms-meta-*`` headers as metadata (names lower-case: ASGI servers lower-case header names).

    400 InvalidMetadata for a name that is not a C# identifier, MetadataTooLarge past 8 KiB.
    """
    meta = {name[len("x-ms-meta-"):]: value for name, value in headers.items() if name.startswith("x-ms-meta-")}
    if any(not _META_NAME.match(name) for name in meta):
        raise StorageError("InvalidMetadata")
    if sum(len(k.encode()) + len(v.encode()) for k, v in meta.items()) > MAX_METADATA_BYTES:
        raise StorageError("MetadataTooLarge")
    return meta


def check_md5(value: str | None, header: str) -> str | None:
    """A Base64 128-bit MD5 header value, or None; 400 InvalidMd5 when malformed."""
    if value is None:
        return None
    try:
        if len(base64.b64decode(value, validate=True)) == 16:
            return value
    except (binascii.Error, ValueError):
        pass
    raise StorageError("InvalidMd5", f"Header {header}.")


def blob_properties(headers: Mapping[str, str], *, plain_headers: bool) -> dict[str, Any]:
    """The HTTP properties a Put Blob / Put Block List sets (absent ones left out), plus metadata."""
    props: dict[str, Any] = {}
    for prop, (ms_header, plain) in PROPERTY_HEADERS.items():
        value = headers.get(ms_header)
        if value is None and plain_headers and plain is not None:
            value = headers.get(plain)
        if value:
            props[prop] = value
    props.setdefault("contentType", "application/octet-stream")
    md5 = check_md5(headers.get("x-ms-blob-content-md5"), "x-ms-blob-content-md5")
    if md5 is not None:
        props["contentMD5"] = md5
    props["metadata"] = metadata_from(headers)
    return props


def _etags(value: str) -> list[str]:
    return [v.strip().removeprefix("W/").strip('"') for v in value.split(",")]


def check_conditions(doc: Mapping[str, Any] | None, headers: Mapping[str, str], *, read: bool) -> None:
    """``If-Match``, ``If-None-Match``, ``If-(Un)Modified-Since`` against ``doc`` (None: no blob yet).

    Refusals: 412 ConditionNotMet; a read whose ``If-None-Match`` / ``If-Modified-Since`` fails is 304; a write
    with ``If-None-Match: *`` on an existing blob is 409 BlobAlreadyExists (what overwrite=False gets).
    """
    etag = doc["etag"] if doc is not None else None
    modified = int(doc["modified"]) if doc is not None else None
    if_match = headers.get("if-match")
    if if_match is not None and (etag is None or (if_match.strip() != "*" and etag not in _etags(if_match))):
        raise StorageError("ConditionNotMet")
    if_none = headers.get("if-none-match")
    if if_none is not None and etag is not None:
        if if_none.strip() == "*" and not read:
            raise StorageError("BlobAlreadyExists")
        if if_none.strip() == "*" or etag in _etags(if_none):
            raise StorageError("ConditionNotMet", status=304 if read else None)
    since = parse_http_date(headers.get("if-modified-since", ""))
    if since is not None and modified is not None and modified <= since:
        raise StorageError("ConditionNotMet", status=304 if read else None)
    until = parse_http_date(headers.get("if-unmodified-since", ""))
    if until is not None and modified is not None and modified > until:
        raise StorageError("ConditionNotMet")


def byte_range(headers: Mapping[str, str], size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte range asked for (``x-ms-range`` wins over ``Range``), or None.

    416 InvalidRange (with ``Content-Range: bytes */size``) when it starts past the end, as for an empty blob.
    """
    value = headers.get("x-ms-range")
    from_ms = value is not None
    if value is None:
        value = headers.get("range")
    if value is None:
        return None
    match = _RANGE.match(value.strip())
    if match is None:
        if from_ms:
            raise StorageError("InvalidHeaderValue", "x-ms-range must be 'bytes=start-' or 'bytes=start-end'.")
        return None  # an unusable Range header is ignored, as HTTP allows
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else size - 1
    if first >= size or last < first:
        raise StorageError("InvalidRange", headers={"Content-Range": f"bytes */{size}"})
    return first, min(last, size - 1)


def blob_headers(doc: Mapping[str, Any]) -> dict[str, str]:
    """The properties every Get Blob / Get Blob Properties answer carries."""
    out = {
        "Last-Modified": rfc1123(doc["modified"]),
        "ETag": f'"{doc["etag"]}"',
        "x-ms-creation-time": rfc1123(doc["created"]),
        "x-ms-blob-type": "BlockBlob",
        "x-ms-lease-state": "available",
        "x-ms-lease-status": "unlocked",
        "x-ms-server-encrypted": "true",
        "Accept-Ranges": "bytes",
        "Content-Type": doc.get("contentType") or "application/octet-stream",
    }
    for prop, name in (
        ("contentEncoding", "Content-Encoding"),
        ("contentLanguage", "Content-Language"),
        ("contentDisposition", "Content-Disposition"),
        ("cacheControl", "Cache-Control"),
    ):
        if doc.get(prop):
            out[name] = str(doc[prop])
    if doc.get("blocks"):
        out["x-ms-blob-committed-block-count"] = str(len(doc["blocks"]))
    for name, value in (doc.get("metadata") or {}).items():
        out["x-ms-meta-" + name] = value
    return out
