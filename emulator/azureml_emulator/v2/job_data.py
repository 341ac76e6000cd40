"""Where a job's data lives in the blob store, and moving it between blobs and a run's work directory.

Addresses a command job uses (azure-ai-ml 1.35 ``constants/_common.py``: SHORT_URI_FORMAT, LONG_URI_FORMAT,
OUTPUT_URI_REGEX_FORMAT):

- ``azureml://datastores/{datastore}/paths/{path}`` and the long form
  ``azureml://subscriptions/{s}/resource[gG]roups/{rg}/workspaces/{ws}/datastores/{datastore}/paths/{path}``;
- ``azureml://datastores/{datastore}/{path}`` (the service's own output URIs, e.g. ``.../ExperimentRun/dcid.{job}``);
- ``azureml://jobs/{job}/outputs/{output}/paths/{path}`` (JOB_URI_FORMAT): a path below another job's output;
- a blob URL of an account the emulator serves, virtual-hosted (``https://{account}.blob.{suffix}/{container}/
  {path}``) or path-style (``http(s)://{host}/{account}/{container}/{path}``): a code version's ``codeUri``.

A datastore names an account and container: the workspace's two default blob datastores are
``workspaceblobstore`` (container ``azureml-blobstore-{workspaceId}``) and ``workspaceartifactstore``
(container ``azureml``), both on the workspace's storage account, as the service creates them; other
datastores are read from the store. Blob names never become paths unchecked: a name with ``..``, an absolute
part or a backslash is skipped when materialised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import blobstore
from ..blobstore.accounts import account_of_resource_id
from ..context import Context

BLOB_STORE = "workspaceblobstore"
ARTIFACT_STORE = "workspaceartifactstore"
ARTIFACT_CONTAINER = "azureml"
DATASTORES = "v2:datastores"  # the datastores module's store kind (keys ``sub/rg/ws/name``)
JOBS = "v2:jobs"  # the jobs module's store kind (keys ``sub/rg/ws/name``)
MAX_FILES = 10_000
_CHUNK = 1024 * 1024
_SHORT = re.compile(r"^azureml://datastores/([^/]+)/(?:paths/)?(.*)$", re.IGNORECASE)
_JOB = re.compile(r"^azureml://jobs/([^/]+)/outputs/([^/]+)(?:/paths/(.*))?$", re.IGNORECASE)
_LONG = re.compile(
    r"^azureml://subscriptions/([^/]+)/resource[gG]roups/([^/]+)/(?:providers/Microsoft\.MachineLearningServices/)?"
    r"workspaces/([^/]+)/datastores/([^/]+)/paths/(.*)$",
    re.IGNORECASE,
)


class DataProblem(Exception):
    """A URI the emulator cannot resolve, or data it cannot move; the message is for the run's error."""


@dataclass(frozen=True)
class Location:
    """A blob prefix (or one blob's name) in a container of an account the emulator serves."""

    account: str
    container: str
    path: str

    def child(self, name: str) -> Location:
        """The location ``name`` below this one."""
        base = self.path.strip("/")
        return Location(self.account, self.container, f"{base}/{name}" if base else name)


def workspace_account(ws_doc: Mapping[str, Any]) -> str:
    """The storage account of a workspace (``properties.storageAccount``), else the development account."""
    props = ws_doc.get("properties")
    name = account_of_resource_id(props.get("storageAccount")) if isinstance(props, Mapping) else None
    return name or blobstore.DEV_ACCOUNT


def datastore(ctx: Context, ws_key: str, ws_doc: Mapping[str, Any], name: str) -> tuple[str, str]:
    """``(account, container)`` of datastore ``name``; DataProblem for an unknown or non-blob datastore."""
    doc = ctx.store.get(DATASTORES, f"{ws_key}/{name}")
    if doc is not None:
        props = doc.get("properties") or {}
        account, container = props.get("accountName"), props.get("containerName")
        if isinstance(account, str) and isinstance(container, str) and account and container:
            return account.lower(), container
        raise DataProblem(f"Datastore '{name}' is not an Azure Blob datastore; the emulator reads blob datastores.")
    props = ws_doc.get("properties") or {}
    if name.lower() == BLOB_STORE:
        return workspace_account(ws_doc), f"azureml-blobstore-{props.get('workspaceId', '')}"
    if name.lower() == ARTIFACT_STORE:
        return workspace_account(ws_doc), ARTIFACT_CONTAINER
    raise DataProblem(f"Datastore '{name}' was not found in the workspace.")


def resolve(ctx: Context, ws_key: str, ws_doc: Mapping[str, Any], uri: str, *, follow_jobs: bool = True) -> Location:
    """The blob location of a data or code URI (see the module docstring); DataProblem otherwise."""
    job = _JOB.match(uri) if follow_jobs else None
    if job is not None:
        doc = ctx.store.get(JOBS, f"{ws_key}/{job.group(1)}")
        outputs = ((doc or {}).get("properties") or {}).get("outputs") or {}
        target = (outputs.get(job.group(2)) or {}).get("uri")
        if not isinstance(target, str) or not target:
            raise DataProblem(f"'{uri[:300]}': the job has no output '{job.group(2)[:100]}'.")
        base = resolve(ctx, ws_key, ws_doc, target, follow_jobs=False)
        rel = unquote(job.group(3) or "").strip("/")
        return base.child(rel) if rel else base
    long = _LONG.match(uri)
    if long is not None:
        sub, rg, ws = ws_key.split("/")
        if (long.group(1).lower(), long.group(2).lower(), long.group(3).lower()) != (
            sub.lower(),
            rg.lower(),
            ws.lower(),
        ):
            raise DataProblem(f"'{uri[:300]}' names another workspace's datastore.")
        account, container = datastore(ctx, ws_key, ws_doc, long.group(4))
        return Location(account, container, unquote(long.group(5)))
    short = _SHORT.match(uri)
    if short is not None:
        account, container = datastore(ctx, ws_key, ws_doc, short.group(1))
        return Location(account, container, unquote(short.group(2)))
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        segs = [unquote(s) for s in parts.path.split("/") if s]
        if ".blob." in host:
            segs = [host.split(".blob.", 1)[0], *segs]
        if len(segs) >= 2 and blobstore.is_account(ctx, segs[0]):
            return Location(segs[0].lower(), segs[1], "/".join(segs[2:]))
    raise DataProblem(f"The emulator cannot read '{uri[:300]}': use a datastore URI (azureml://datastores/...).")


def safe_relative(name: str) -> PurePosixPath | None:
    """``name`` as a relative path with no ``..``, absolute or drive part, or None when it is not one."""
    if "\\" in name or "\x00" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts) or ":" in parts[0]:
        return None
    return PurePosixPath(*parts)


def download(ctx: Context, where: Location, dest: Path, *, single: bool = False) -> Path:
    """Copy the blob ``where.path`` (``single``) or every blob below it into ``dest``; the local path made.

    A single blob lands as ``dest/<its file name>``; a folder keeps its layout under ``dest``.
    """
    storage = blobstore.for_context(ctx).storage
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if single:
            rel = safe_relative(where.path)
            if rel is None or storage.blob(where.account, where.container, where.path) is None:
                raise DataProblem(f"No blob '{where.path[:300]}' in container '{where.container}'.")
            target = dest / rel.name
            _copy_out(ctx, where, where.path, target)
            return target
        prefix = where.path.strip("/")
        prefix = prefix + "/" if prefix else ""
        docs = storage.list_blobs(where.account, where.container, prefix)
    except blobstore.StorageError as exc:
        raise DataProblem(f"Container '{where.container}' cannot be read ({exc.code}).") from None
    if len(docs) > MAX_FILES:
        raise DataProblem(f"'{where.path[:300]}' holds more than {MAX_FILES} blobs.")
    for doc in docs:
        name = str(doc["name"])
        rel = safe_relative(name[len(prefix) :])
        if rel is not None:
            _copy_out(ctx, where, name, dest.joinpath(*rel.parts))
    return dest


def _copy_out(ctx: Context, where: Location, name: str, target: Path) -> None:
    storage = blobstore.for_context(ctx).storage
    target.parent.mkdir(parents=True, exist_ok=True)
    _, fh = storage.open(where.account, where.container, name)
    with fh, target.open("wb") as out:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            out.write(chunk)


def upload_file(ctx: Context, src: Path, where: Location, content_type: str = "application/octet-stream") -> None:
    """Store the file ``src`` as blob ``where.path`` (replacing it), creating the container when missing."""
    storage = blobstore.for_context(ctx).storage
    storage.ensure_container(where.account, where.container)
    upload = storage.upload(where.account, where.container, blobstore.storage.MAX_PUT_BLOB)
    try:
        with src.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                upload.write(chunk)
        md5 = upload.finish()
    except BaseException:
        upload.discard()
        raise
    storage.put_blob(
        where.account, where.container, where.path, upload,
        {"contentType": content_type, "contentMD5": md5, "metadata": {}},
    )  # fmt: skip


def upload_tree(ctx: Context, src: Path, where: Location) -> int:
    """Store every regular file below ``src`` (symlinks skipped) under ``where``; how many were stored."""
    if not src.is_dir() or src.is_symlink():
        return 0
    count = 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            count += 1
            if count > MAX_FILES:
                raise DataProblem(f"More than {MAX_FILES} output files; the rest were not stored.")
            upload_file(ctx, path, where.child(path.relative_to(src).as_posix()))
    return count
