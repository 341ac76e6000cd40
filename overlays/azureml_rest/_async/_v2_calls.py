"""Uploading local files into the workspace's default datastore, for the current API's operations.

The service hands out a SAS for a fresh ``LocalUpload/{id}`` folder of the default datastore's container
(``startPendingUpload``, the flow azure-ai-ml uses for code); the files go up below it through the typed blob
client (:mod:`azureml_rest._async.blob`: Put Blob, or blocks for large files; every URL passes the session's
``check_storage_url``, so a SAS on a foreign host is refused before a byte leaves; no Authorization header).
azure-ai-ml uploads a model through the default datastore's account key instead (``listSecrets``); the pending
upload keeps the account key out of the client and lands in the same container.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azureml_machinelearning_client.api.codes import code_versions_create_or_get_start_pending_upload
from azureml_machinelearning_client.models import PendingUploadRequestDto, PendingUploadResponseDto, PendingUploadType

from .._call import acall
from .._redact import redact_url
from ..errors import InvalidResponseError
from ..operations._common import text, value
from ..operations._v2 import GROUP
from .blob import AsyncBlobContainerClient

__all__ = ["Uploaded", "upload_to_default_datastore"]

def _files_of(local: Path) -> list[tuple[str, Path]]:
    """``(relative blob path, file)`` for a file (its name) or every file below a folder (``folder/...``)."""
    if local.is_file():
        return [(local.name, local)]
    if not local.is_dir():
        raise FileNotFoundError(f"no such file or folder: {local}")
    out: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(local):
        dirs.sort()
        for f in sorted(files):
            p = Path(root) / f
            out.append((f"{local.name}/{p.relative_to(local).as_posix()}", p))
    return out


@dataclass(frozen=True)
class Uploaded:
    """Where an upload landed: ``blob_url`` (no SAS: ``https://{account}.blob.../{container}/LocalUpload/{id}/
    {name}``) and ``path``, the same place inside the datastore's container (``LocalUpload/{id}/{name}``); a
    folder's both end in ``/``."""

    blob_url: str
    path: str


async def upload_to_default_datastore(ws: Any, local: str | os.PathLike[str], *,
                                      on_progress: Callable[[int, int], object] | None = None,
                                      **blob_options: Any) -> Uploaded:
    """Upload a local file or folder under a fresh ``LocalUpload/{id}/`` of the default datastore (see the
    module docstring); a folder keeps its name: ``LocalUpload/{id}/{folder}/...``. ``on_progress(sent,
    total)``: the bytes stored so far, ``(0, total)`` first, growing with each stored file and each acknowledged
    block of a large one (one call at a time, never going back), ``(total, total)`` last. ``blob_options``
    go to the blob client (``concurrency``, ``block_size``, ``single_put_size``)."""
    path = Path(local)
    files = _files_of(path)
    sub, rg, name = ws.ids
    pending = await acall(PendingUploadResponseDto, code_versions_create_or_get_start_pending_upload.asyncio_detailed,
                          sub, rg, name, str(uuid.uuid4()), "1", client=await ws.aclient(GROUP),
                          body=PendingUploadRequestDto(pending_upload_type=PendingUploadType.TEMPORARYBLOBREFERENCE))
    ref = value(pending.blob_reference_for_consumption)
    sas_uri = text(getattr(value(getattr(ref, "credential", None)), "sas_uri", None))
    if not sas_uri or "?" not in sas_uri:
        raise InvalidResponseError("CodeVersions_CreateOrGetStartPendingUpload", "no SAS in the answer")
    container = AsyncBlobContainerClient.from_sas_url(ws, sas_uri, **blob_options)  # host-checked here
    base = container.address.base
    marker = "/LocalUpload/"
    if marker not in base:
        raise InvalidResponseError("CodeVersions_CreateOrGetStartPendingUpload",
                                   f"the SAS is not for a LocalUpload folder: {redact_url(sas_uri)}")
    prefix = "LocalUpload/" + base.split(marker, 1)[1].strip("/")
    await container.upload_files(files, on_progress=on_progress)
    tail = f"{path.name}/" if path.is_dir() else path.name
    return Uploaded(f"{base.rstrip('/')}/{tail}", f"{prefix}/{tail}")
