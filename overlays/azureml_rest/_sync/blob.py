# Generated from overlays/azureml_rest/_async/blob.py by `python -m tools.unasync`: do not edit.
"""A typed Blob REST client for one container: Put Blob, Put Block, Put Block List, Get Blob (ranges, streamed to
a file), Get Blob Properties, Set Blob Metadata and List Blobs (paged, prefix and delimiter).

Auth is a SAS (the URL's query, e.g. ``startPendingUpload``'s ``sasUri`` or a run's ``logFiles``) or SharedKey
(a datastore's account key). Requests go through the session's content client: retries (a failed block is
sent again on its own: PUT is idempotent), timeouts and the ``on_event`` hook, and NO bearer token. Every URL
passes ``HostPolicy.check_storage_url`` first, so a SAS naming a foreign host is refused before a byte moves.
What is sent is built in :mod:`azureml_rest.blob_protocol` (no I/O there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from .. import blob_protocol as bp
from .._upload_progress import BlockCounter, UploadProgress
from ..operations._common import run_blocking
from ..paging import Page, Pager
from ..parallel_work import run_parallel
from ..transport import new_request_id

__all__ = ["BlobContainerClient"]

#: Files up to this size go up in one Put Blob (azure-storage-blob's ``max_single_put_size``, 64 MiB).
SINGLE_PUT_SIZE = 64 * 1024 * 1024
#: Ranged GETs of a download (azure-storage-blob's ``max_chunk_get_size``, 4 MiB).
DOWNLOAD_CHUNK = 4 * 1024 * 1024


class BlobContainerClient:
    """One container, addressed by a :class:`~azureml_rest.blob_protocol.ContainerUrl`.

    Defaults: ``concurrency=8`` blocks in flight per upload, ``block_size=4 MiB``, files up to
    ``single_put_size=64 MiB`` in one Put Blob. Build it with :meth:`from_sas_url` or :meth:`with_shared_key`.
    """

    def __init__(self, http: httpx.Client, check_url: Callable[[str], None], address: bp.ContainerUrl, *,
                 account_key: str | None = None, concurrency: int = 8, block_size: int = bp.DEFAULT_BLOCK_SIZE,
                 single_put_size: int = SINGLE_PUT_SIZE) -> None:
        if account_key is not None and not address.account:
            raise ValueError("SharedKey needs the account name in the address")
        self._http = http
        self._check_url = check_url
        self.address = address
        self._key = account_key
        self.concurrency = concurrency
        self.block_size = block_size
        self.single_put_size = single_put_size

    def __repr__(self) -> str:
        auth = "SharedKey" if self._key else ("SAS" if self.address.sas else "anonymous")
        return f"{type(self).__name__}({self.address.base!r}, auth={auth})"

    @classmethod
    def from_sas_url(cls, ws: Any, sas_url: str, **options: Any) -> BlobContainerClient:
        """The container of a SAS URL handed out by the service; refused (``UntrustedHostError``) on a host the
        session's host policy does not own."""
        trust = ws._session.trust
        trust.check_storage_url(sas_url)
        return cls(ws.content_client(), trust.check_storage_url, bp.ContainerUrl.from_sas_url(sas_url), **options)

    @classmethod
    def with_shared_key(cls, ws: Any, container_url: str, account: str, key: str,
                        **options: Any) -> BlobContainerClient:
        """A container signed for with an account key (a datastore's ``listSecrets``)."""
        trust = ws._session.trust
        trust.check_storage_url(container_url)
        address = bp.ContainerUrl(container_url.rstrip("/"), "", account)
        return cls(ws.content_client(), trust.check_storage_url, address, account_key=key, **options)

    # --- one request -----------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, headers: Mapping[str, str] | None = None,
                 content: bytes | None = None) -> httpx.Request:
        self._check_url(url)
        h = {"x-ms-version": bp.STORAGE_VERSION, "x-ms-date": bp.http_date(),
             "x-ms-client-request-id": new_request_id(), **(headers or {})}
        if content is not None:
            h["Content-Length"] = str(len(content))
        if self._key is not None:
            assert self.address.account is not None
            h["Authorization"] = bp.shared_key_authorization(method, url, h, self.address.account, self._key)
        return self._http.build_request(method, url, headers=h, content=content)

    def _send(self, method: str, url: str, headers: Mapping[str, str] | None = None,
                    content: bytes | None = None, ok: tuple[int, ...] = (200, 201)) -> httpx.Response:
        request = self._request(method, url, headers, content)
        response = self._http.send(request)
        if response.status_code not in ok:
            response.read()
            raise bp.blob_error(response.status_code, response.headers, response.content, method=method, url=url)
        # httpx leaves a read response in a reference cycle with its stream, so the request (and the block it
        # carries) would wait for the cyclic GC: ~180 MiB held during a 1 GiB upload (nox -s bench, ``upload``).
        # The body is read; dropping the stream frees each block as soon as its Put Block returns.
        response.stream = httpx.ByteStream(b"")
        return response

    # --- writes ----------------------------------------------------------------------------------------------

    def put_blob(self, name: str, data: bytes, *, content_type: str = "application/octet-stream",
                       metadata: Mapping[str, str] | None = None, overwrite: bool = True) -> str | None:
        """Put Blob (a block blob in one request); returns the ETag. ``overwrite=False`` sends
        ``If-None-Match: *`` (a ``BlobError`` ``BlobAlreadyExists``/409 if it exists)."""
        headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": content_type, "Content-MD5": bp.md5_b64(data),
                   **_meta(metadata)}
        if not overwrite:
            headers["If-None-Match"] = "*"
        response = self._send("PUT", self.address.blob_url(name), headers, data, ok=(201,))
        etag: str | None = response.headers.get("etag")
        return etag

    def put_block(self, name: str, block_id: str, data: bytes) -> None:
        """Put Block (uncommitted until :meth:`put_block_list`)."""
        url = self.address.blob_url(name, {"comp": "block", "blockid": block_id})
        self._send("PUT", url, {"Content-MD5": bp.md5_b64(data)}, data, ok=(201,))

    def put_block_list(self, name: str, block_ids: list[str], *,
                             content_type: str = "application/octet-stream",
                             metadata: Mapping[str, str] | None = None) -> str | None:
        """Put Block List: commit ``block_ids`` in order; returns the ETag."""
        body = bp.block_list_xml(block_ids)
        headers = {"Content-Type": "application/xml", "x-ms-blob-content-type": content_type, **_meta(metadata)}
        url = self.address.blob_url(name, {"comp": "blocklist"})
        response = self._send("PUT", url, headers, body, ok=(201,))
        etag: str | None = response.headers.get("etag")
        return etag

    def set_metadata(self, name: str, metadata: Mapping[str, str]) -> None:
        """Set Blob Metadata (replaces all of it; an empty mapping clears it)."""
        self._send("PUT", self.address.blob_url(name, {"comp": "metadata"}), _meta(metadata), b"",
                         ok=(200,))

    def upload_file(self, name: str, path: str | os.PathLike[str], *,
                          metadata: Mapping[str, str] | None = None,
                          on_progress: Callable[[int], object] | None = None) -> None:
        """Upload a local file: one Put Blob up to :attr:`single_put_size`, else blocks of :attr:`block_size`
        read from the file as they are sent (at most :attr:`concurrency` in memory) and one Put Block List.

        ``on_progress(stored)``: the bytes of this file stored so far, after each block is acknowledged (a block
        the transport had to send again counts once), one call at a time and only growing although blocks
        finish out of order; a single Put Blob reports once, when it is stored."""
        size = os.path.getsize(path)
        if size <= self.single_put_size:
            data = run_blocking(lambda: Path(path).read_bytes())
            self.put_blob(name, data, metadata=metadata)
            if on_progress is not None:
                on_progress(len(data))
            return
        plan = bp.plan_blocks(size, self.block_size)
        counter = BlockCounter(on_progress)  # the sync twin's block workers are threads

        def job(block: tuple[str, int, int]) -> Any:
            def put() -> None:
                ident, offset, length = block
                data = run_blocking(lambda: _read_range(path, offset, length))
                self.put_block(name, ident, data)
                counter.add(len(data))

            return put

        run_parallel((job(b) for b in plan), self.concurrency)
        self.put_block_list(name, [ident for ident, _, _ in plan], metadata=metadata)

    def upload_files(self, files: Sequence[tuple[str, str | os.PathLike[str]]], *,
                           on_progress: Callable[[int, int], object] | None = None) -> None:
        """Upload ``(blob name, local path)`` pairs one after another (each in parallel blocks when large), with
        one ``on_progress(sent, total)`` over them all: ``(0, total)`` first, growing with each stored file and
        acknowledged block, ``(total, total)`` last (:class:`~azureml_rest._upload_progress.UploadProgress`)."""
        progress = UploadProgress(sum(os.path.getsize(path) for _, path in files), on_progress)
        progress.start()
        for name, path in files:
            self.upload_file(name, path, on_progress=progress.file())
        progress.finish()

    # --- reads -----------------------------------------------------------------------------------------------

    def get_properties(self, name: str) -> bp.BlobProperties:
        """Get Blob Properties (HEAD): size, ETag, content type, metadata. ``BlobNotFoundError`` when absent."""
        response = self._send("HEAD", self.address.blob_url(name), ok=(200,))
        return bp.properties_from_headers(response.headers)

    def get_blob(self, name: str, start: int = 0, end: int | None = None) -> bytes:
        """Get Blob: the whole blob, or bytes ``start..end`` (inclusive) with ``x-ms-range``."""
        headers = {} if start == 0 and end is None else {"x-ms-range": bp.range_header(start, end)}
        response = self._send("GET", self.address.blob_url(name), headers, ok=(200, 206))
        return response.content

    def read_range(self, start: int = 0, end: int | None = None) -> bytes:
        """Get Blob on the address itself (a blob SAS URL such as a run's ``logFiles`` entry) from ``start``:
        b"" when there is nothing there yet (404) or nothing past ``start`` (416)."""
        headers = {"x-ms-range": bp.range_header(start, end)}
        response = self._send("GET", self.address.container_url(), headers, ok=(200, 206, 404, 416))
        if response.status_code in (404, 416):
            return b""
        if response.status_code == 200 and start:  # a server that ignored the range sent it all
            return response.content[start:]
        return response.content

    def download_to_file(self, name: str, path: str | os.PathLike[str], *,
                               chunk_size: int = DOWNLOAD_CHUNK) -> int:
        """Stream a blob into ``path`` (folders made) in ranged GETs of ``chunk_size``; returns the size. Memory
        holds one network buffer at a time, not the blob."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        offset, total = 0, None
        with open(target, "wb") as out:
            while total is None or offset < total:
                headers = {"x-ms-range": bp.range_header(offset, offset + chunk_size - 1)}
                request = self._request("GET", self.address.blob_url(name), headers)
                response = self._http.send(request, stream=True)
                try:
                    if response.status_code == 416 and offset == 0:  # an empty blob has no range to give
                        return 0
                    if response.status_code not in (200, 206):
                        response.read()
                        raise bp.blob_error(response.status_code, response.headers, response.content,
                                            method="GET", url=str(request.url))
                    total = bp.properties_from_headers(response.headers).size
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                        offset += len(chunk)
                finally:
                    response.close()
                if response.status_code == 200:  # the whole blob came back at once
                    break
        return offset

    def list_blobs(self, prefix: str = "", *, delimiter: str | None = None,
                   include_metadata: bool = False, page_size: int | None = None) -> Pager[bp.BlobItem]:
        """List Blobs below ``prefix``, lazily, following ``NextMarker``; with ``delimiter`` folders come back
        as items with ``is_prefix=True``."""

        def get_page(marker: str | None) -> Page[bp.BlobItem]:
            query = {"restype": "container", "comp": "list"}
            if prefix:
                query["prefix"] = prefix
            if delimiter:
                query["delimiter"] = delimiter
            if include_metadata:
                query["include"] = "metadata"
            if page_size:
                query["maxresults"] = str(page_size)
            if marker:
                query["marker"] = marker
            response = self._send("GET", self.address.container_url(query), ok=(200,))
            items, next_marker = bp.parse_list_blobs(response.content)
            return Page(items, next_marker)

        return Pager(get_page, operation="List Blobs")

    def download_prefix(self, prefix: str, destination: str | os.PathLike[str]) -> list[Path]:
        """Download every blob below ``prefix`` into ``destination`` (relative paths kept; a name with ``..`` or
        an absolute part is refused), :attr:`concurrency` files at a time."""
        root = Path(destination)
        names = [item.name for item in self.list_blobs(prefix) if not item.is_prefix]
        paths: list[Path] = []

        def job(name: str) -> Any:
            relative = name[len(prefix):].lstrip("/") if prefix else name
            target = _safe_join(root, relative or Path(name).name)
            paths.append(target)

            def get() -> None:
                self.download_to_file(name, target)

            return get

        run_parallel([job(n) for n in names], self.concurrency)
        return sorted(paths)


def _meta(metadata: Mapping[str, str] | None) -> dict[str, str]:
    return {f"x-ms-meta-{k}": v for k, v in (metadata or {}).items()}


def _read_range(path: str | os.PathLike[str], offset: int, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(length)


def _safe_join(root: Path, relative: str) -> Path:
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise ValueError(f"refusing to write blob {relative!r} outside {root}")
    return root.joinpath(*parts)
