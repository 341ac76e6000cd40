"""The XML the Blob service reads and writes: the Put Block List body and the List Blobs answer.

Shapes from azure-storage-blob's generated models (``BlockLookupList``, ``ListBlobsFlatSegmentResponse`` /
``ListBlobsHierarchySegmentResponse``); element order as the service and Azurite write it. The block list is
parsed with the standard library's expat after refusing any DTD, so entity tricks never reach the parser.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .errors import StorageError
from .timeutil import rfc1123

BLOCK_KINDS = ("Latest", "Committed", "Uncommitted")


def parse_block_list(body: bytes) -> list[tuple[str, str]]:
    """``(kind, block id)`` pairs of a ``<BlockList>`` in document order; 400 InvalidXmlDocument if malformed."""
    if b"<!" in body.replace(b"<![CDATA[", b""):
        raise StorageError("InvalidXmlDocument", "Document type declarations are not accepted.")
    try:
        root = ET.fromstring(body)  # noqa: S314 (no DTD can reach expat: refused above)
    except ET.ParseError:
        raise StorageError("InvalidXmlDocument") from None
    if root.tag != "BlockList":
        raise StorageError("InvalidXmlDocument", "The root element must be BlockList.")
    entries: list[tuple[str, str]] = []
    for child in root:
        if child.tag not in BLOCK_KINDS or len(child):
            raise StorageError("InvalidXmlDocument", f"Unexpected element '{child.tag}' in BlockList.")
        entries.append((child.tag, (child.text or "").strip()))
    return entries


def _xml_safe(text: str) -> bool:
    return all(ch in "\t\n\r" or "\x20" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch > "\uffff" for ch in text)


def _name(name: str) -> str:
    # Names with characters XML 1.0 cannot carry are percent-encoded and flagged, as the service does.
    if _xml_safe(name):
        return f"<Name>{escape(name)}</Name>"
    return f'<Name Encoded="true">{escape(quote(name, safe="/"))}</Name>'


def _properties(doc: Mapping[str, Any]) -> str:
    parts = [
        f"<Creation-Time>{rfc1123(doc['created'])}</Creation-Time>",
        f"<Last-Modified>{rfc1123(doc['modified'])}</Last-Modified>",
        f"<Etag>{doc['etag']}</Etag>",
        f"<Content-Length>{doc['size']}</Content-Length>",
        f"<Content-Type>{escape(doc.get('contentType') or '')}</Content-Type>",
    ]
    for tag, field in (
        ("Content-Encoding", "contentEncoding"),
        ("Content-Language", "contentLanguage"),
        ("Content-MD5", "contentMD5"),
        ("Content-Disposition", "contentDisposition"),
        ("Cache-Control", "cacheControl"),
    ):
        if doc.get(field):
            parts.append(f"<{tag}>{escape(str(doc[field]))}</{tag}>")
    parts += [
        "<BlobType>BlockBlob</BlobType>",
        "<LeaseStatus>unlocked</LeaseStatus>",
        "<LeaseState>available</LeaseState>",
        "<ServerEncrypted>true</ServerEncrypted>",
        "<AccessTier>Hot</AccessTier>",
        "<AccessTierInferred>true</AccessTierInferred>",
    ]
    return "<Properties>" + "".join(parts) + "</Properties>"


def _metadata(metadata: Mapping[str, str]) -> str:
    return "<Metadata>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in metadata.items()) + "</Metadata>"


def enumeration_results(
    *,
    endpoint: str,
    container: str,
    prefix: str | None,
    marker: str | None,
    max_results: int | None,
    delimiter: str | None,
    entries: Sequence[Mapping[str, Any] | str],
    include: Iterable[str],
    next_marker: str,
) -> bytes:
    """An ``EnumerationResults`` document; ``entries`` holds blob documents and (``str``) blob prefixes."""
    want = set(include)
    head = f"<EnumerationResults ServiceEndpoint={quoteattr(endpoint)} ContainerName={quoteattr(container)}>"
    parts = ['<?xml version="1.0" encoding="utf-8"?>', head]
    parts.append(f"<Prefix>{escape(prefix)}</Prefix>" if prefix else "<Prefix/>")
    parts.append(f"<Marker>{escape(marker)}</Marker>" if marker else "<Marker/>")
    if max_results is not None:
        parts.append(f"<MaxResults>{max_results}</MaxResults>")
    if delimiter:
        parts.append(f"<Delimiter>{escape(delimiter)}</Delimiter>")
    parts.append("<Blobs>")
    for entry in entries:
        if isinstance(entry, str):
            parts.append(f"<BlobPrefix>{_name(entry)}</BlobPrefix>")
            continue
        # Without metadata the element is left out, as Azurite does (the client then reads {} rather than None).
        meta = _metadata(entry["metadata"]) if "metadata" in want and entry.get("metadata") else ""
        parts.append(f"<Blob>{_name(str(entry['name']))}{_properties(entry)}{meta}</Blob>")
    parts.append("</Blobs>")
    parts.append(f"<NextMarker>{escape(next_marker)}</NextMarker>" if next_marker else "<NextMarker/>")
    parts.append("</EnumerationResults>")
    return "".join(parts).encode("utf-8")
