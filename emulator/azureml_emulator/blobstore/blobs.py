"""Blob operations: Put Blob, Put Block, Put Block List, Get Blob, Get Blob Properties, Set Blob Metadata,
Delete Blob (request and answer headers as in the Blob REST reference; specs/README.md, "Blob REST")."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import IO

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from . import httpprops, storage, xmlshapes
from .call import Call
from .errors import StorageError
from .timeutil import rfc1123

MAX_BLOCK_LIST_BYTES = 16 * 1024 * 1024  # 50,000 ids of 64 bytes in Base64 with their tags fit easily
MAX_RANGE_MD5 = 4 * 1024 * 1024  # x-ms-range-get-content-md5 is refused for larger ranges, as by the service
_CHUNK = 256 * 1024


def _written(doc: dict[str, object], status: int, **extra: str) -> Response:
    headers = {
        "ETag": f'"{doc["etag"]}"',
        "Last-Modified": rfc1123(float(doc["modified"])),  # type: ignore[arg-type]
        "x-ms-request-server-encrypted": "true",
        **extra,
    }
    return Response(b"", status_code=status, headers=headers)


def _check_transactional_md5(call: Call, computed: str) -> None:
    sent = httpprops.check_md5(call.headers.get("content-md5"), "Content-MD5")
    if sent is not None and sent != computed:
        raise StorageError("Md5Mismatch")


def _may_write(call: Call, existing: dict[str, object] | None) -> None:
    if existing is not None and not call.caller.may_overwrite():
        raise StorageError("AuthorizationPermissionMismatch", "Create (c) alone does not allow overwriting a blob.")


async def put_blob(call: Call) -> Response:
    """PUT /{container}/{blob}: a whole block blob in one request (201)."""
    kind = call.headers.get("x-ms-blob-type")
    if kind is None:
        raise StorageError("MissingRequiredHeader", "x-ms-blob-type is required.")
    if kind != "BlockBlob":
        raise StorageError("InvalidHeaderValue", f"x-ms-blob-type '{kind}': the emulator stores block blobs only.")
    if "x-ms-copy-source" in call.headers:
        raise StorageError("UnsupportedHeader", "Copy Blob is not emulated.")
    props = httpprops.blob_properties(call.headers, plain_headers=True)
    call.content_length(storage.MAX_PUT_BLOB)
    existing = call.storage.blob(call.account, call.container, call.blob)
    httpprops.check_conditions(existing, call.headers, read=False)
    _may_write(call, existing)
    upload = call.storage.upload(call.account, call.container, storage.MAX_PUT_BLOB)
    await call.body_to(upload)
    md5 = upload.finish()
    try:
        _check_transactional_md5(call, md5)
    except StorageError:
        upload.discard()
        raise
    props.setdefault("contentMD5", md5)
    doc = call.storage.put_blob(call.account, call.container, call.blob, upload, props)
    return _written(doc, 201, **{"Content-MD5": md5})


async def put_block(call: Call) -> Response:
    """PUT ?comp=block&blockid=...: stage one block (201)."""
    block_id = call.target.param("blockid")
    if not block_id:
        raise StorageError("InvalidQueryParameterValue", "blockid is required.")
    storage.decode_block_id(block_id)
    call.content_length(storage.MAX_BLOCK)
    upload = call.storage.upload(call.account, call.container, storage.MAX_BLOCK)
    await call.body_to(upload)
    md5 = upload.finish()
    try:
        _check_transactional_md5(call, md5)
        call.storage.put_block(call.account, call.container, call.blob, block_id, upload)
    finally:
        upload.discard()  # moved into place on success: nothing left to remove
    return Response(b"", status_code=201, headers={"Content-MD5": md5, "x-ms-request-server-encrypted": "true"})


async def put_block_list(call: Call) -> Response:
    """PUT ?comp=blocklist: commit staged blocks as the blob's content (201)."""
    props = httpprops.blob_properties(call.headers, plain_headers=False)
    call.storage.container(call.account, call.container)
    body = await call.small_body(MAX_BLOCK_LIST_BYTES)
    _check_transactional_md5(call, base64.b64encode(hashlib.md5(body).digest()).decode())  # noqa: S324
    entries = xmlshapes.parse_block_list(body)
    existing = call.storage.blob(call.account, call.container, call.blob)
    httpprops.check_conditions(existing, call.headers, read=False)
    _may_write(call, existing)
    doc = await run_in_threadpool(
        call.storage.put_block_list, call.account, call.container, call.blob, entries, props
    )
    return _written(doc, 201)


def _stream(fh: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        fh.seek(first)
        left = length
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        fh.close()


def _range_md5(fh: IO[bytes], first: int, length: int) -> str:
    fh.seek(first)
    return base64.b64encode(hashlib.md5(fh.read(length)).digest()).decode()  # noqa: S324


async def get_blob(call: Call, *, head: bool = False) -> Response:
    """GET (200 or 206 with ``x-ms-range`` / ``Range``) and HEAD (Get Blob Properties, no body)."""
    doc, fh = call.storage.open(call.account, call.container, call.blob)
    try:
        httpprops.check_conditions(doc, call.headers, read=True)
        size = int(doc["size"])
        headers = httpprops.blob_headers(doc)
        wanted = None if head else httpprops.byte_range(call.headers, size)
    except BaseException:
        fh.close()
        raise
    if head:
        fh.close()
        headers.update({"Content-Length": str(size), "x-ms-access-tier": "Hot", "x-ms-access-tier-inferred": "true"})
        if doc.get("contentMD5"):
            headers["Content-MD5"] = str(doc["contentMD5"])
        return Response(b"", status_code=200, headers=headers)
    first, last = wanted if wanted is not None else (0, size - 1)
    length = max(0, last - first + 1)
    headers["Content-Length"] = str(length)
    if wanted is None:
        if doc.get("contentMD5"):
            headers["Content-MD5"] = str(doc["contentMD5"])
    else:
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        if doc.get("contentMD5"):
            headers["x-ms-blob-content-md5"] = str(doc["contentMD5"])
        if call.headers.get("x-ms-range-get-content-md5", "").lower() == "true":
            if length > MAX_RANGE_MD5:
                fh.close()
                raise StorageError("OutOfRangeInput", "x-ms-range-get-content-md5 needs a range of at most 4 MiB.")
            headers["Content-MD5"] = _range_md5(fh, first, length)
    status = 200 if wanted is None else 206
    return StreamingResponse(_stream(fh, first, length), status_code=status, headers=headers)


async def set_metadata(call: Call) -> Response:
    """PUT ?comp=metadata: replace all metadata (200)."""
    meta = httpprops.metadata_from(call.headers)
    existing = call.storage.require_blob(call.account, call.container, call.blob)
    httpprops.check_conditions(existing, call.headers, read=False)
    doc = call.storage.set_metadata(call.account, call.container, call.blob, meta)
    return _written(doc, 200)


async def delete_blob(call: Call) -> Response:
    """DELETE: remove the blob (202)."""
    existing = call.storage.require_blob(call.account, call.container, call.blob)
    httpprops.check_conditions(existing, call.headers, read=False)
    call.storage.delete_blob(call.account, call.container, call.blob)
    return Response(b"", status_code=202, headers={"x-ms-delete-type-permanent": "true"})
