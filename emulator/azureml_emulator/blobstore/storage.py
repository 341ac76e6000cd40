"""Containers and block blobs on disk, their properties in the emulator's document store.

Layout under the store's blob root (``<data-dir>/blobs`` or a temp dir): ``blobstore/{account}/{container}/``
holds ``data/{uuid}`` (one file per committed blob), ``blocks/{sha256 of blob name}/{hex of block id}``
(uncommitted blocks) and ``tmp/`` (bodies being received). File names never derive from blob names, so no
blob name (``../x``, ``%2e%2e``, ``a\\b``) can reach outside. Properties live in the store (kinds
``blobstore.containers`` and ``blobstore.blobs``, the blob name hex-encoded in the key because the store
compares keys case-insensitively and blob names are case-sensitive); with ``--data-dir`` both persist.

Bodies are streamed: :class:`Upload` writes each received chunk to a temp file while hashing it, and a commit
concatenates block files into a new data file, so no blob is ever held in memory. Limits are the service's:
Put Blob 5000 MiB, Put Block 4000 MiB and 64-byte ids of one length per blob, 50,000 committed and 100,000
uncommitted blocks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from ..store import Store
from .errors import StorageError

CONTAINERS = "blobstore.containers"
BLOBS = "blobstore.blobs"
MIB = 1024 * 1024
MAX_PUT_BLOB = 5000 * MIB
MAX_BLOCK = 4000 * MIB
MAX_COMMITTED_BLOCKS = 50_000
MAX_UNCOMMITTED_BLOCKS = 100_000
MAX_BLOCK_ID_BYTES = 64
_COPY_CHUNK = 1024 * 1024


def new_etag() -> str:
    """A fresh ETag value in the service's form (``0x`` + 15 upper-case hex digits), without quotes."""
    return "0x8D" + secrets.token_hex(7).upper()[:13]


def decode_block_id(block_id: str) -> bytes:
    """The bytes of a Base64 block id; 400 InvalidBlockId when it is not Base64 of 1-64 bytes."""
    try:
        raw = base64.b64decode(block_id, validate=True)
    except (binascii.Error, ValueError):
        raise StorageError("InvalidBlockId") from None
    if not 0 < len(raw) <= MAX_BLOCK_ID_BYTES:
        raise StorageError("InvalidBlockId", f"A block id decodes to 1-{MAX_BLOCK_ID_BYTES} bytes.")
    return raw


class Upload:
    """A request body being written to a temp file (size-limited, MD5 computed on the way)."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.size = 0
        self._md5 = hashlib.md5()  # noqa: S324 (Content-MD5 is MD5 by protocol)
        self._fh: IO[bytes] | None = path.open("wb")

    def write(self, chunk: bytes) -> None:
        """Append ``chunk``; 413 RequestBodyTooLarge past the limit."""
        if self.size + len(chunk) > self.limit:
            raise StorageError("RequestBodyTooLarge")
        assert self._fh is not None
        self._fh.write(chunk)
        self._md5.update(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Close the file; the Base64 MD5 of what was written."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        return base64.b64encode(self._md5.digest()).decode("ascii")

    def discard(self) -> None:
        """Close and delete the temp file (idempotent)."""
        self.finish()
        self.path.unlink(missing_ok=True)


class BlobStorage:
    """All containers and blobs of one emulator; every method is thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.RLock()

    # --- paths ---------------------------------------------------------------------------------------
    def _dir(self, account: str, container: str, *parts: str) -> Path:
        return self._store.blob_path("/".join(("blobstore", account, container, *parts, "_"))).parent

    @staticmethod
    def _blob_key(account: str, container: str, name: str) -> str:
        return f"{account}/{container}/{name.encode('utf-8').hex()}"

    def _blocks_dir(self, account: str, container: str, name: str) -> Path:
        return self._dir(account, container, "blocks", hashlib.sha256(name.encode("utf-8")).hexdigest())

    def _data_file(self, account: str, container: str, file_id: str) -> Path:
        return self._dir(account, container, "data") / file_id

    # --- containers ----------------------------------------------------------------------------------
    def create_container(self, account: str, name: str, metadata: Mapping[str, str]) -> dict[str, Any]:
        """Create a container; 409 ContainerAlreadyExists when it exists."""
        with self._lock:
            if self._store.get(CONTAINERS, f"{account}/{name}") is not None:
                raise StorageError("ContainerAlreadyExists")
            now = time.time()
            doc = {"account": account, "name": name, "etag": new_etag(), "created": now, "modified": now,
                   "metadata": dict(metadata)}
            self._store.put(CONTAINERS, f"{account}/{name}", doc)
            return doc

    def ensure_container(self, account: str, name: str) -> dict[str, Any]:
        """The container, created when missing (for the emulator's own datastores)."""
        with self._lock:
            found = self._store.get(CONTAINERS, f"{account}/{name}")
            return found if found is not None else self.create_container(account, name, {})

    def container(self, account: str, name: str) -> dict[str, Any]:
        """The container's document; 404 ContainerNotFound."""
        doc = self._store.get(CONTAINERS, f"{account}/{name}")
        if doc is None:
            raise StorageError("ContainerNotFound")
        return doc

    def delete_container(self, account: str, name: str) -> None:
        """Delete a container with all its blobs and files."""
        with self._lock:
            self.container(account, name)
            for key in self._store.keys(BLOBS, f"{account}/{name}/"):
                self._store.delete(BLOBS, key)
            self._store.delete(CONTAINERS, f"{account}/{name}")
            shutil.rmtree(self._dir(account, name), ignore_errors=True)

    # --- blobs ---------------------------------------------------------------------------------------
    def blob(self, account: str, container: str, name: str) -> dict[str, Any] | None:
        """The blob's document, or None."""
        return self._store.get(BLOBS, self._blob_key(account, container, name))

    def require_blob(self, account: str, container: str, name: str) -> dict[str, Any]:
        """The blob's document; 404 ContainerNotFound / BlobNotFound."""
        doc = self.blob(account, container, name)
        if doc is None:
            self.container(account, container)
            raise StorageError("BlobNotFound")
        return doc

    def upload(self, account: str, container: str, limit: int) -> Upload:
        """A temp file for a body addressed to ``container`` (which must exist)."""
        self.container(account, container)
        return Upload(self._dir(account, container, "tmp") / uuid.uuid4().hex, limit)

    def _commit(self, old: dict[str, Any] | None, doc: dict[str, Any], data: Path) -> dict[str, Any]:
        """Move ``data`` into place as ``doc``'s file, store ``doc``, drop the old file and pending blocks."""
        account, container, name = doc["account"], doc["container"], doc["name"]
        file_id = uuid.uuid4().hex
        with self._lock:
            os.replace(data, self._data_file(account, container, file_id))
            doc["file"] = file_id
            if old is not None:
                doc["created"] = old["created"]
            self._store.put(BLOBS, self._blob_key(account, container, name), doc)
            if old is not None:
                self._data_file(account, container, old["file"]).unlink(missing_ok=True)
            shutil.rmtree(self._blocks_dir(account, container, name), ignore_errors=True)
        return doc

    def put_blob(self, account: str, container: str, name: str, body: Upload, props: dict[str, Any]) -> dict[str, Any]:
        """Replace or create ``name`` from a finished upload; ``props`` holds the HTTP properties and metadata."""
        now = time.time()
        doc = {"account": account, "container": container, "name": name, "size": body.size, "etag": new_etag(),
               "created": now, "modified": now, "blocks": [], **props}
        return self._commit(self.blob(account, container, name), doc, body.path)

    def put_block(self, account: str, container: str, name: str, block_id: str, body: Upload) -> None:
        """Stage a block for ``name`` (replacing a staged block with the same id)."""
        raw = decode_block_id(block_id)
        with self._lock:
            blocks = self._blocks_dir(account, container, name)
            blocks.mkdir(parents=True, exist_ok=True)
            staged = os.listdir(blocks)
            if staged and len(staged[0]) != 2 * len(raw):
                raise StorageError("InvalidBlobOrBlock", "All block ids of a blob must have the same length.")
            if len(staged) >= MAX_UNCOMMITTED_BLOCKS and raw.hex() not in staged:
                raise StorageError("BlockCountExceedsLimit")
            os.replace(body.path, blocks / raw.hex())

    def put_block_list(
        self, account: str, container: str, name: str, entries: Sequence[tuple[str, str]], props: dict[str, Any]
    ) -> dict[str, Any]:
        """Commit ``(Latest|Committed|Uncommitted, id)`` entries as the blob's new content (blocking I/O)."""
        if len(entries) > MAX_COMMITTED_BLOCKS:
            raise StorageError("InvalidBlockList", f"A blob holds at most {MAX_COMMITTED_BLOCKS} blocks.")
        blocks = self._blocks_dir(account, container, name)
        with self._lock:
            old = self.blob(account, container, name)
            committed: dict[str, tuple[int, int]] = {}
            offset = 0
            for block_id, size in (old or {}).get("blocks", []):
                committed[block_id] = (offset, size)
                offset += size
            old_fh = self._data_file(account, container, old["file"]).open("rb") if old else None
        sources: list[tuple[str, Path | None, int, int]] = []
        try:
            for kind, block_id in entries:
                hex_id = self._checked_id(block_id)
                staged = blocks / hex_id
                if kind != "Committed" and staged.is_file():
                    sources.append((block_id, staged, 0, staged.stat().st_size))
                elif kind != "Uncommitted" and block_id in committed:
                    sources.append((block_id, None, *committed[block_id]))
                else:
                    raise StorageError("InvalidBlockList", f"Block '{block_id}' ({kind}) was not found.")
            out = self.upload(account, container, MAX_COMMITTED_BLOCKS * MAX_BLOCK)
            try:
                for _, path, start, size in sources:
                    self._copy(path, old_fh, start, size, out)
                md5 = out.finish()
            except BaseException:
                out.discard()
                raise
        finally:
            if old_fh is not None:
                old_fh.close()
        now = time.time()
        doc = {"account": account, "container": container, "name": name, "size": out.size, "etag": new_etag(),
               "created": now, "modified": now, "blocks": [[b, s] for b, _, _, s in sources],
               "contentMD5": md5, **props}
        return self._commit(old, doc, out.path)

    @staticmethod
    def _checked_id(block_id: str) -> str:
        try:
            return decode_block_id(block_id).hex()
        except StorageError:
            raise StorageError("InvalidBlockList", "A block id in the list is not valid Base64.") from None

    @staticmethod
    def _copy(path: Path | None, old_fh: IO[bytes] | None, start: int, size: int, out: Upload) -> None:
        fh = path.open("rb") if path is not None else old_fh
        assert fh is not None
        try:
            fh.seek(start)
            left = size
            while left > 0:
                chunk = fh.read(min(_COPY_CHUNK, left))
                if not chunk:
                    raise StorageError("InternalError", "A block file is shorter than recorded.")
                out.write(chunk)
                left -= len(chunk)
        finally:
            if path is not None:
                fh.close()

    def set_metadata(self, account: str, container: str, name: str, metadata: Mapping[str, str]) -> dict[str, Any]:
        """Replace all metadata of ``name``."""
        with self._lock:
            doc = self.require_blob(account, container, name)
            doc.update(metadata=dict(metadata), etag=new_etag(), modified=time.time())
            self._store.put(BLOBS, self._blob_key(account, container, name), doc)
            return doc

    def delete_blob(self, account: str, container: str, name: str) -> None:
        """Delete ``name``, its file and its staged blocks."""
        with self._lock:
            doc = self.require_blob(account, container, name)
            self._store.delete(BLOBS, self._blob_key(account, container, name))
            self._data_file(account, container, doc["file"]).unlink(missing_ok=True)
            shutil.rmtree(self._blocks_dir(account, container, name), ignore_errors=True)

    def open(self, account: str, container: str, name: str) -> tuple[dict[str, Any], IO[bytes]]:
        """The blob's document and its content, opened together (a later overwrite cannot mix them up)."""
        with self._lock:
            doc = self.require_blob(account, container, name)
            return doc, self._data_file(account, container, doc["file"]).open("rb")

    def list_blobs(self, account: str, container: str, prefix: str) -> list[Mapping[str, Any]]:
        """The container's blobs whose names start with ``prefix``, in name order (read-only documents)."""
        self.container(account, container)
        key = f"{account}/{container}/{prefix.encode('utf-8').hex()}"
        docs = self._store.scan(BLOBS, key)
        return sorted(docs, key=lambda d: str(d["name"]).encode("utf-8"))
