# Generated from overlays/azureml_rest/_async/code_upload.py by `python -m tools.unasync`: do not edit.
"""Code upload as azure-ai-ml 1.35 does it (``operations/_code_operations.py``; specs/README.md, "The current API
(2025-12-01)"): hash the folder (:mod:`azureml_rest.code_hash`), look the hash up across every code asset of the
workspace (CodeVersions_List with ``hash`` and ``hashVersion``), and reuse a hit; otherwise
CodeVersions_CreateOrGetStartPendingUpload -> a container SAS, upload the files below ``<folder name>/`` of it
(Put Blob, or parallel Put Block + Put Block List for large files), mark the first file with
``upload_status=completed``, ``name``, ``version`` metadata, and PUT the code version with ``codeUri`` =
``blobUri/<folder name>`` and ``properties.hash_sha256`` / ``hash_version``.

Progress: ``upload(..., on_progress=f)`` calls ``f(sent, total)`` with the bytes of the whole folder: ``(0,
total)`` before the first file, then each time it grows: after each stored small file and after each
acknowledged block of a large one (so a 1 GiB file advances 4 MiB at a time, a block sent again by the
transport's retries counted once), ending with ``(total, total)``; one call at a time, ``sent`` never going
back, although files and blocks go up in parallel. A reused code version reports ``(total, total)`` once.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azureml_machinelearning_client.api.codes import code_versions_create_or_update, code_versions_list
from azureml_machinelearning_client.models import CodeVersion, CodeVersionResourceArmPaginatedResult

from .._call import call
from .._upload_progress import UploadProgress
from ..code_hash import HASH_VERSION, CodeFile, content_hash, list_code_files
from ..errors import InvalidResponseError
from ..operations._common import run_blocking, text, value
from ..operations._v2 import GROUP
from ..parallel_work import run_parallel
from ._v2_calls import PENDING_UPLOAD, start_pending_upload
from .blob import BlobContainerClient

__all__ = ["CodeUploader", "UploadedCode"]

_VERSION_ID = re.compile(r"/codes/([^/]+)/versions/([^/]+)$")


@dataclass(frozen=True)
class UploadedCode:
    """A code version: its ARM ``id``, ``name``, ``version``, content ``hash`` and whether this call
    ``uploaded`` it (False = an existing version with the same hash was reused)."""

    id: str
    name: str
    version: str
    hash: str
    uploaded: bool


class CodeUploader:
    """Upload a local folder as an anonymous code version of a workspace, reusing identical uploads.

    ``concurrency`` (default 8) blocks or files in flight; ``block_size`` / ``single_put_size`` as
    :class:`~azureml_rest._async.blob.BlobContainerClient`'s.
    """

    def __init__(self, ws: Any, **blob_options: Any) -> None:
        self._ws = ws
        self._blob_options = blob_options

    def find(self, code_hash: str) -> UploadedCode | None:
        """An existing code version with this content hash (any name), else None."""
        sub, rg, name = self._ws.ids
        result = call(CodeVersionResourceArmPaginatedResult, code_versions_list.sync_detailed, sub, rg,
                             name, str(uuid.uuid4()), client=self._ws.client(GROUP), hash_=code_hash,
                             hash_version=HASH_VERSION)
        for item in value(result.value) or []:
            m = _VERSION_ID.search(text(item.id) or "")
            if m:
                return UploadedCode(str(item.id), m.group(1), m.group(2), code_hash, uploaded=False)
        return None

    def upload(self, folder: str | os.PathLike[str], *, name: str | None = None, version: str = "1",
                     on_progress: Callable[[int, int], object] | None = None) -> UploadedCode:
        """The code version for ``folder``: found by hash, or uploaded and registered (``name`` defaults to a
        fresh UUID, as azure-ai-ml names anonymous code). ``on_progress(sent, total)``: bytes of the whole
        folder stored so far, growing with each stored file or block (see the module's docstring)."""
        root = Path(folder)
        files = run_blocking(lambda: list_code_files(root))
        code_hash = run_blocking(lambda: content_hash(files))
        total = sum(f.size for f in files)
        found = self.find(code_hash)
        if found is not None:
            if on_progress is not None:
                on_progress(total, total)
            return found
        progress = UploadProgress(total, on_progress)  # serialized: the sync twin uploads from worker threads
        sub, rg, ws_name = self._ws.ids
        name = name or str(uuid.uuid4())
        client = self._ws.client(GROUP)
        sas_url, blob_uri = start_pending_upload(self._ws, name, version)
        if not sas_url or not blob_uri:
            raise InvalidResponseError(PENDING_UPLOAD, "no blobReferenceForConsumption.credential.sasUri / blobUri")
        container = BlobContainerClient.from_sas_url(self._ws, sas_url, **self._blob_options)
        folder_name = root.name if root.is_dir() else ""
        prefix = f"{folder_name}/" if folder_name else ""
        progress.start()
        # Files larger than a block one after another (each sends ``concurrency`` blocks at a time), then the
        # others ``concurrency`` at a time, one request each (a project's many small files one by one cost
        # ~2.5 ms apiece on loopback: nox -s bench ``upload``). Either way at most ``concurrency`` blocks are in
        # memory.
        for f in files:
            if f.size > container.block_size:
                container.upload_file(prefix + f.name, f.path, on_progress=progress.file())

        def job(f: CodeFile) -> Any:
            def put() -> None:
                container.upload_file(prefix + f.name, f.path, on_progress=progress.file())

            return put

        run_parallel((job(f) for f in files if f.size <= container.block_size), container.concurrency)
        progress.finish()
        if files:  # marked only once every file is there, as azure-ai-ml marks its uploads
            container.set_metadata(prefix + files[0].name,
                                         {"upload_status": "completed", "name": name, "version": version})
        code_uri = f"{blob_uri.rstrip('/')}/{root.name}"  # the folder's name (or the file's)
        body = CodeVersion.from_dict({"properties": {
            "codeUri": code_uri, "isAnonymous": True,
            "properties": {"hash_sha256": code_hash, "hash_version": HASH_VERSION},
        }})
        created = call(CodeVersion, code_versions_create_or_update.sync_detailed, sub, rg, ws_name, name,
                              version, client=client, body=body)
        return UploadedCode(text(created.id) or "", name, version, code_hash, uploaded=True)

