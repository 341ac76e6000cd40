"""Blob-like content URLs: ``{base_url}/_emulator/blobs/<key>?sig=<hmac>``.

Like a storage SAS URL they need no Authorization header; the signature (HMAC-SHA256 over the key with
a per-store secret, persisted so URLs survive a restart with ``data_dir``) is the credential.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from ..context import Context

_META = "dataplane.blob-secret"
_CHUNK = 64 * 1024


class BlobSigner:
    """Signs blob keys and builds their content URLs."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        secret = ctx.store.get_meta(_META)
        if secret is None:
            secret = secrets.token_hex(32)
            ctx.store.set_meta(_META, secret)
        self._secret = bytes.fromhex(secret)

    def __repr__(self) -> str:  # never show the secret
        return "BlobSigner()"

    def sign(self, key: str) -> str:
        """The signature of ``key``."""
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    def verify(self, key: str, sig: str) -> bool:
        """True when ``sig`` is the signature of ``key`` (constant-time)."""
        return hmac.compare_digest(self.sign(key), sig)

    def url(self, key: str) -> str:
        """The absolute content URL of blob ``key``."""
        return f"{self._ctx.base_url}/_emulator/blobs/{quote(key)}?sig={self.sign(key)}"


def _read_exactly(path: Path, size: int) -> Iterator[bytes]:
    # A log may grow while it is read: serve the size seen at request time.
    left = size
    with path.open("rb") as fh:
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def blob_response(ctx: Context, signer: BlobSigner, request: Request) -> Response:
    """Serve a signed blob; 403 for a missing or wrong signature, 404 for an unknown blob."""
    key = str(request.path_params.get("key", ""))
    sig = request.query_params.get("sig", "")
    if not sig or not signer.verify(key, sig):
        return JSONResponse(
            {"error": {"code": "AuthenticationFailed", "message": "The blob signature is missing or invalid."}},
            status_code=403,
        )
    try:
        path = ctx.store.blob_path(key)
    except ValueError:
        return JSONResponse({"error": {"code": "BlobNotFound", "message": "No such blob."}}, status_code=404)
    if not path.is_file():
        return JSONResponse({"error": {"code": "BlobNotFound", "message": "No such blob."}}, status_code=404)
    size = os.path.getsize(path)
    headers = {"Content-Length": str(size), "x-ms-blob-type": "BlockBlob"}
    media = "text/plain; charset=utf-8" if key.endswith((".txt", ".log")) else "application/octet-stream"
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers, media_type=media)
    return StreamingResponse(_read_exactly(path, size), headers=headers, media_type=media)
