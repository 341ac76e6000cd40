"""Uploading local files into the workspace's default datastore, for the current API's operations.

The service hands out a container SAS for a fresh ``LocalUpload/{id}`` folder of the default
datastore's container (``startPendingUpload``, the flow azure-ai-ml uses for code); the SAS URL is checked with
the session's ``check_storage_url`` (a SAS on a foreign host is refused before a byte leaves) and the files are
PUT as block blobs through ``ws.content_client()`` (no Authorization header: the SAS is the credential).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azureml_machinelearning_client.api.codes import code_versions_create_or_get_start_pending_upload
from azureml_machinelearning_client.models import PendingUploadRequestDto, PendingUploadResponseDto, PendingUploadType

from .._call import acall
from .._redact import redact_url
from ..errors import InvalidResponseError, error_from_parts
from ..operations._common import arun_blocking, text, value
from ..operations._v2 import GROUP

__all__ = ["Uploaded", "upload_to_default_datastore"]

BLOB_API_VERSION = "2021-08-06"


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


async def upload_to_default_datastore(ws: Any, local: str | os.PathLike[str]) -> Uploaded:
    """Upload a local file or folder under a fresh ``LocalUpload/{id}/`` of the default datastore (see the
    module docstring); a folder keeps its name: ``LocalUpload/{id}/{folder}/...``."""
    path = Path(local)
    files = _files_of(path)
    sub, rg, name = ws.ids
    pending = await acall(PendingUploadResponseDto, code_versions_create_or_get_start_pending_upload.asyncio_detailed,
                          sub, rg, name, str(uuid.uuid4()), "1", client=await ws.aclient(GROUP),
                          body=PendingUploadRequestDto(pending_upload_type=PendingUploadType.TEMPORARYBLOBREFERENCE))
    ref = value(pending.blob_reference_for_consumption)
    blob_uri = text(getattr(ref, "blob_uri", None))
    sas_uri = text(getattr(value(getattr(ref, "credential", None)), "sas_uri", None))
    if not blob_uri or not sas_uri or "?" not in sas_uri:
        raise InvalidResponseError("CodeVersions_CreateOrGetStartPendingUpload", "no blobUri or SAS in the answer")
    trust = ws._session.trust
    trust.check_storage_url(blob_uri)
    trust.check_storage_url(sas_uri)
    marker = "/LocalUpload/"
    if marker not in blob_uri.split("?", 1)[0]:
        raise InvalidResponseError("CodeVersions_CreateOrGetStartPendingUpload",
                                   f"blobUri is not a LocalUpload folder: {redact_url(blob_uri)}")
    prefix = "LocalUpload/" + blob_uri.split("?", 1)[0].split(marker, 1)[1].strip("/")
    sas = sas_uri.split("?", 1)[1]
    http = ws.content_client()
    for rel, file in files:
        url = f"{blob_uri.rstrip('/')}/{rel}?{sas}"
        resp = await http.put(url, content=await arun_blocking(file.read_bytes),
                              headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": BLOB_API_VERSION,
                                       "Content-Type": "application/octet-stream"})
        await resp.aread()
        if resp.status_code not in (200, 201):
            raise error_from_parts(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, resp.content)
    tail = f"{path.name}/" if path.is_dir() else path.name
    return Uploaded(f"{blob_uri.split('?', 1)[0].rstrip('/')}/{tail}", f"{prefix}/{tail}")
