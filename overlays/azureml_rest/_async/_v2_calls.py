"""Uploading local files into the workspace's default datastore, for the current API's operations.

The service hands out a SAS for a fresh ``LocalUpload/{id}`` folder of the default datastore's container
(``startPendingUpload``, the flow azure-ai-ml uses for code); the files go up below it through the typed blob
client (:mod:`azureml_rest._async.blob`: Put Blob, or blocks for large files; every URL passes the session's
``check_storage_url``, so a SAS on a foreign host is refused before a byte leaves; no Authorization header).
azure-ai-ml uploads a model through the default datastore's account key instead (``listSecrets``); the pending
upload keeps the account key out of the client and lands in the same container. :func:`start_pending_upload` is
that service call alone (code upload uses it too).

Also shared by the current API's operations: :func:`v2_poller` (a long-running operation's poller, every polling
URL passing ``ws.url_guard``) and :func:`workspace_location` (the default region of new resources).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from azureml_machinelearning_client import API_VERSION
from azureml_machinelearning_client.api.codes import code_versions_create_or_get_start_pending_upload
from azureml_machinelearning_client.models import PendingUploadRequestDto, PendingUploadResponseDto, PendingUploadType

from .._call import acall, acall_raw
from .._redact import redact_url
from ..errors import InvalidResponseError
from ..lro import AsyncPoller
from ..operations._common import arun_blocking, text, value
from ..operations._v2 import GROUP

__all__ = [
    "PENDING_UPLOAD", "Uploaded", "start_pending_upload", "upload_to_default_datastore", "v2_poller",
    "workspace_location",
]

PENDING_UPLOAD = "CodeVersions_CreateOrGetStartPendingUpload"


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


async def start_pending_upload(ws: Any, name: str, version: str) -> tuple[str, str]:
    """``CodeVersions_CreateOrGetStartPendingUpload`` of code version ``name``/``version`` for a temporary blob
    reference: the container SAS URL (``blobReferenceForConsumption.credential.sasUri``) and the ``blobUri`` it
    hands out, ``""`` for either one missing (each caller checks what it needs before using the SAS)."""
    sub, rg, ws_name = ws.ids
    pending = await acall(PendingUploadResponseDto, code_versions_create_or_get_start_pending_upload.asyncio_detailed,
                          sub, rg, ws_name, name, version, client=await ws.aclient(GROUP),
                          body=PendingUploadRequestDto(pending_upload_type=PendingUploadType.TEMPORARYBLOBREFERENCE))
    ref = value(pending.blob_reference_for_consumption)
    sas_uri = text(getattr(value(getattr(ref, "credential", None)), "sas_uri", None))
    return sas_uri or "", text(getattr(ref, "blob_uri", None)) or ""


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
    files = await arun_blocking(lambda: _files_of(path))
    sas_uri, _blob_uri = await start_pending_upload(ws, str(uuid.uuid4()), "1")
    if not sas_uri or "?" not in sas_uri:
        raise InvalidResponseError(PENDING_UPLOAD, "no SAS in the answer")
    from .blob import AsyncBlobContainerClient  # loaded by the first upload, not by the operations importing this

    container = AsyncBlobContainerClient.from_sas_url(ws, sas_uri, **blob_options)  # host-checked here
    base = container.address.base
    marker = "/LocalUpload/"
    if marker not in base:
        raise InvalidResponseError(PENDING_UPLOAD, f"the SAS is not for a LocalUpload folder: {redact_url(sas_uri)}")
    prefix = "LocalUpload/" + base.split(marker, 1)[1].strip("/")
    await container.upload_files(files, on_progress=on_progress)
    tail = f"{path.name}/" if path.is_dir() else path.name
    return Uploaded(f"{base.rstrip('/')}/{tail}", f"{prefix}/{tail}")


async def v2_poller(ws: Any, operation: str, resp: Any, get: Callable[..., Any], *names: str, method: str,
                    prefer: Literal["azure-async-operation", "location"],
                    deserialize: Callable[[Any], Any] | None = None) -> AsyncPoller[Any]:
    """The poller of a long-running operation of the current API (``resp``: its first answer): polled with the
    group's authenticated client, every polling URL passing ``ws.url_guard`` first; ``deserialize`` makes the
    result of the final body (None: the operation has no result). ``get`` (a generated ``..._get``'s
    ``asyncio_detailed``, called with the workspace's ids and ``names``) reads the resource when the last answer
    has no body (regenerateKeys' ``Location`` may end 200 without one)."""
    sub, rg, ws_name = ws.ids
    client = await ws.aclient(GROUP)

    async def refresh() -> Any:
        return await acall_raw(get, sub, rg, ws_name, *names, client=client)

    return AsyncPoller(operation, resp, client=await ws.httpx_client(GROUP), method=method,
                       deserialize=deserialize or (lambda _b: None), prefer=prefer, api_version=API_VERSION,
                       url_guard=await ws.url_guard(GROUP), refresh=refresh)


async def workspace_location(ws: Any) -> str:
    """The workspace's region (``eastus`` when it names none): where new endpoints and deployments go by default."""
    return text(getattr(await ws.get(), "location", None)) or "eastus"
