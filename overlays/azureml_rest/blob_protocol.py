"""The Blob service's REST protocol without I/O: URLs, headers, block ids and plans, XML bodies, SharedKey signing
and Storage's error answers. :mod:`azureml_rest._async.blob` sends what this module builds.

Sources (specs/README.md, "Blob REST for code upload"): Microsoft's
``specification/storage/data-plane/Microsoft.BlobStorage/stable/2027-03-07/blob.json`` and azure-storage-blob
12.31.1 (``_generated/operations/_block_blob_operations.py``, ``_shared/authentication.py``): Put Blob 201, Put
Block 201 (``comp=block&blockid=``, all ids of one blob the same length), Put Block List 201 (XML ``BlockList``
of ``Latest`` ids), Get Blob 200/206 (``x-ms-range``), Get Blob Properties (HEAD) 200, Set Blob Metadata
(``comp=metadata``) 200, List Blobs (``restype=container&comp=list``) 200 XML ``EnumerationResults``; errors are
XML ``<Error><Code/><Message/></Error>`` with the code also in ``x-ms-error-code``.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit
from xml.etree import ElementTree

from ._redact import redact_text
from .errors import BlobError, BlobNotFoundError, ServiceError, error_from_parts

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "MAX_BLOCKS",
    "STORAGE_VERSION",
    "BlobItem",
    "BlobProperties",
    "ContainerUrl",
    "blob_error",
    "block_id",
    "block_list_xml",
    "parse_list_blobs",
    "plan_blocks",
    "properties_from_headers",
    "range_header",
    "shared_key_authorization",
]

#: ``x-ms-version`` sent on every request (what azure-storage-blob 12.31.1 sends by default).
STORAGE_VERSION = "2026-10-06"
#: Bytes per Put Block (azure-storage-blob's ``max_block_size`` default, 4 MiB).
DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024
#: Committed blocks one block blob may hold.
MAX_BLOCKS = 50_000
_META = "x-ms-meta-"


@dataclass(frozen=True)
class ContainerUrl:
    """A container address: ``base`` (scheme, host, ``/account/container`` path-style or ``/container``, no
    query), ``sas`` (the query string of a SAS URL, or "") and ``account`` (for SharedKey; None with a SAS).

    ``repr`` never shows the SAS (it holds the signature)."""

    base: str
    sas: str = field(default="", repr=False)
    account: str | None = None

    @classmethod
    def from_sas_url(cls, url: str) -> ContainerUrl:
        """A SAS URL (``startPendingUpload``'s ``sasUri``, container-scoped): blobs are addressed below its path."""
        parts = urlsplit(url)
        return cls(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", "")), parts.query)

    def blob_url(self, name: str, query: Mapping[str, str] | None = None) -> str:
        """The URL of blob ``name`` below this address (``/`` kept, everything else percent-encoded), with the SAS
        and ``query`` appended."""
        return self._with_query(f"{self.base}/{quote(name.lstrip('/'), safe='/~')}", query)

    def container_url(self, query: Mapping[str, str] | None = None) -> str:
        """The URL of the container itself (List Blobs), with the SAS and ``query``."""
        return self._with_query(self.base, query)

    def _with_query(self, url: str, query: Mapping[str, str] | None) -> str:
        parts = [self.sas] if self.sas else []
        if query:
            parts.append("&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items()))
        return url + ("?" + "&".join(parts) if parts else "")


def block_id(index: int) -> str:
    """Base64 of a fixed-width 32-character decimal, so every id of one blob has the same length."""
    if not 0 <= index < MAX_BLOCKS:
        raise ValueError(f"block index {index} outside 0..{MAX_BLOCKS - 1}")
    return base64.b64encode(f"{index:032d}".encode("ascii")).decode("ascii")


def plan_blocks(size: int, block_size: int = DEFAULT_BLOCK_SIZE) -> list[tuple[str, int, int]]:
    """``(block id, offset, length)`` for a file of ``size`` bytes cut in ``block_size`` pieces (the last one
    shorter); grows the block size when ``size`` would need more than :data:`MAX_BLOCKS` blocks."""
    if size < 0 or block_size <= 0:
        raise ValueError("size must be >= 0 and block_size > 0")
    while -(-size // block_size) > MAX_BLOCKS:
        block_size *= 2
    return [(block_id(i), off, min(block_size, size - off)) for i, off in enumerate(range(0, size, block_size))]


def block_list_xml(ids: Iterable[str]) -> bytes:
    """The Put Block List body committing ``ids`` in order (``Latest``: the newest upload of each id)."""
    root = ElementTree.Element("BlockList")
    for ident in ids:
        ElementTree.SubElement(root, "Latest").text = ident
    body: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>' + body


def range_header(start: int, end: int | None = None) -> str:
    """``bytes=start-end`` (inclusive end) or ``bytes=start-`` for the rest."""
    if start < 0 or (end is not None and end < start):
        raise ValueError("invalid byte range")
    return f"bytes={start}-" if end is None else f"bytes={start}-{end}"


@dataclass(frozen=True)
class BlobProperties:
    """What Get Blob Properties (and Get Blob) say about a blob."""

    size: int
    etag: str | None = None
    content_type: str | None = None
    last_modified: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def properties_from_headers(headers: Mapping[str, str]) -> BlobProperties:
    """Properties from a HEAD/GET answer (``Content-Range``'s total wins over ``Content-Length`` for a 206)."""
    low = {k.lower(): v for k, v in headers.items()}
    size = int(low.get("content-length", "0") or 0)
    total = low.get("content-range", "").rpartition("/")[2]
    if total.isdigit():
        size = int(total)
    meta = {k[len(_META):]: v for k, v in low.items() if k.startswith(_META)}
    return BlobProperties(size, low.get("etag"), low.get("content-type"), low.get("last-modified"), meta)


@dataclass(frozen=True)
class BlobItem:
    """One entry of List Blobs: a blob (``is_prefix`` False) or, with a delimiter, a virtual folder."""

    name: str
    size: int = 0
    etag: str | None = None
    content_type: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    is_prefix: bool = False


def _text(el: ElementTree.Element | None) -> str | None:
    return el.text if el is not None and el.text is not None else None


def _name(el: ElementTree.Element | None) -> str:
    if el is None or el.text is None:
        return ""
    return unquote(el.text) if el.get("Encoded") == "true" else el.text


def parse_list_blobs(body: bytes) -> tuple[list[BlobItem], str | None]:
    """``(items, next marker)`` from an ``EnumerationResults`` body; an empty ``NextMarker`` ends paging.
    ValueError for a body that is not that XML."""
    try:
        root = ElementTree.fromstring(body)  # noqa: S314  # the service's answer; no DTDs/entities expanded by ET
    except ElementTree.ParseError as exc:
        raise ValueError(f"List Blobs answer is not XML: {exc}") from None
    if root.tag != "EnumerationResults":
        raise ValueError(f"List Blobs answer is <{root.tag}>, not <EnumerationResults>")
    items: list[BlobItem] = []
    blobs = root.find("Blobs")
    for el in blobs if blobs is not None else []:
        if el.tag == "BlobPrefix":
            items.append(BlobItem(_name(el.find("Name")), is_prefix=True))
            continue
        if el.tag != "Blob":
            continue
        props = el.find("Properties")
        size = _text(props.find("Content-Length")) if props is not None else None
        meta_el = el.find("Metadata")
        meta = {m.tag: m.text or "" for m in meta_el} if meta_el is not None else {}
        items.append(BlobItem(
            _name(el.find("Name")),
            int(size) if size and size.isdigit() else 0,
            _text(props.find("Etag")) if props is not None else None,
            _text(props.find("Content-Type")) if props is not None else None,
            meta,
        ))
    return items, _text(root.find("NextMarker")) or None


def blob_error(status: int, headers: Mapping[str, str], body: bytes, *, method: str | None = None,
               url: str | None = None) -> ServiceError:
    """The typed error of a Storage answer: :class:`~azureml_rest.errors.BlobNotFoundError` for 404, else
      :class:`~azureml_rest.errors.BlobError`, with the code from
    ``x-ms-error-code`` or the XML ``<Code>`` and the XML ``<Message>`` (its first line; the rest is the request
    id and time). The URL is redacted (no SAS signature)."""
    low = {k.lower(): v for k, v in headers.items()}
    code, message = low.get("x-ms-error-code"), None
    if body:
        try:
            root = ElementTree.fromstring(body)  # noqa: S314
            code = code or _text(root.find("Code"))
            message = redact_text((_text(root.find("Message")) or "").split("\n", 1)[0]) or None
        except ElementTree.ParseError:
            pass
    base = error_from_parts(status, low, b"", method=method, url=url)
    cls = BlobNotFoundError if status == 404 else BlobError
    return cls.from_service_error(base, error_code=code, message=message)


def _canonical_headers(low: Mapping[str, str]) -> str:
    """The ``x-ms-*`` lines of the string to sign, from headers whose names are already lower-cased."""
    names = sorted((n for n in low if n.startswith("x-ms-")),
                   key=lambda n: (n.replace("-", "").replace("_", "/"), n.count("-")))
    return "".join(f"{n}:{low[n].strip()}\n" for n in names)


def _canonical_resource(account: str, url: str) -> str:
    parts = urlsplit(url)
    grouped: dict[str, list[str]] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        grouped.setdefault(k.lower(), []).append(v)
    text = f"/{account}{parts.path or '/'}"
    for k in sorted(grouped):
        text += f"\n{k}:{','.join(sorted(grouped[k]))}"
    return text


_SIGNED = ("content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
           "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range")


def shared_key_authorization(method: str, url: str, headers: Mapping[str, str], account: str, key: str) -> str:
    """``SharedKey {account}:{signature}`` for a request (Microsoft Learn, "Authorize with Shared Key", 2015-02-21
    and later): the standard headers, the ``x-ms-*`` headers in the service's order and the canonicalized
    resource ``/{account}{path}`` + sorted query parameters, HMAC-SHA256 with the Base64-decoded key.
    ``headers`` must hold every header that will be sent (``x-ms-date`` and ``x-ms-client-request-id``
    included)."""
    low = {k.lower(): v for k, v in headers.items()}
    values = [low.get(n, "") for n in _SIGNED]
    if values[2] == "0":
        values[2] = ""
    text = "\n".join([method.upper(), *values]) + "\n" + _canonical_headers(low) + _canonical_resource(account, url)
    digest = hmac.new(base64.b64decode(key), text.encode("utf-8"), hashlib.sha256).digest()
    return f"SharedKey {account}:{base64.b64encode(digest).decode('ascii')}"


def http_date(now: dt.datetime | None = None) -> str:
    """An RFC 1123 date for ``x-ms-date``."""
    return email.utils.format_datetime(now or dt.datetime.now(dt.UTC), usegmt=True)


def md5_b64(data: bytes) -> str:
    """``Content-MD5`` of ``data``."""
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")
