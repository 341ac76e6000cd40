"""One blob request as the operation handlers see it, and reading its body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .addressing import Target
from .authorize import Caller
from .errors import StorageError
from .storage import BlobStorage, Upload

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]


class ClientGone(Exception):
    """The client disconnected before its body was complete."""


@dataclass
class Call:
    """The addressed target, method, headers (lower-case names), body channel, caller and storage."""

    target: Target
    method: str
    headers: dict[str, str] = field(repr=False)  # may hold an Authorization header
    receive: Receive = field(repr=False)
    caller: Caller = field(repr=False)
    storage: BlobStorage = field(repr=False)

    @property
    def account(self) -> str:
        return self.target.account

    @property
    def container(self) -> str:
        assert self.target.container is not None
        return self.target.container

    @property
    def blob(self) -> str:
        assert self.target.blob is not None
        return self.target.blob

    def content_length(self, limit: int) -> int:
        """The declared body size; 411 without one, 413 past ``limit`` (refused before reading)."""
        raw = self.headers.get("content-length")
        if raw is None:
            raise StorageError("MissingContentLengthHeader")
        if not raw.isdigit():
            raise StorageError("InvalidHeaderValue", "Content-Length must be a number.")
        size = int(raw)
        if size > limit:
            raise StorageError("RequestBodyTooLarge", f"The limit for this operation is {limit} bytes.")
        return size

    async def body_to(self, upload: Upload) -> None:
        """Stream the body into ``upload`` (discarded on any failure)."""
        try:
            while True:
                message = await self.receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone()
                upload.write(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except BaseException:
            upload.discard()
            raise

    async def small_body(self, limit: int) -> bytes:
        """The whole body of a small request (a block list); 413 past ``limit``."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise StorageError("RequestBodyTooLarge")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
