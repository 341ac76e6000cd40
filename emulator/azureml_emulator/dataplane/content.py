"""The project content (snapshot) service (``/content``): what azureml-core's default ``exp.submit`` uses.

azureml-core snapshots the project before a snapshot run (azureml/_restclient/snapshots_client.py
``create_snapshot``, azureml/_base_sdk_common/project_snapshot_cache.py ``get_latest_snapshot``):

1. ``GET /content/v1.0{WS}/snapshots/latest/metadata``: the workspace's latest snapshot ``{id, root}`` (its
   directory tree), which the SDK diffs against; a workspace without one answers ``{"id": null, "root": {}}``
   (the SDK raises on any status >= 400, and then diffs against an empty tree).
2. ``POST /content/v2.0{WS}/snapshots/getblob`` ``{"FileNames": [...]}``: one write SAS URL per new or changed
   file, ``{"fileNodes": [{"fullName", "blobUri"}]}``, in the workspace's storage account (container
   ``snapshots``); the SDK uploads each with its vendored azure-storage-blob (azureml/_file_utils/upload.py
   ``upload_blob_from_stream``), which addresses the account virtual-hosted (``{account}.blob.{suffix}``).
3. ``POST /content/v2.0{WS}/snapshots/{snapshotId}`` ``{ParentSnapshotId, DirTreeNode, FileRevisionList}``:
   the snapshot is the tree; each file comes from the revision list or, unchanged, from the parent snapshot.
   The emulator then zips the files into the project zip execution's ``snapshotrun`` starts from.

A missing parent or file is answered 400: the SDK then drops its local cache and sends every file again.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import blobstore
from ..blobstore.accounts import account_of_resource_id
from ..context import Context
from . import records
from .common import BadRequest, ci_get, ci_route, read_json, utc_now
from .handlers import ws_endpoint
from .state import DataPlane
from .workspace import WS_SEGMENT, Workspace

KIND = "dp:contentsnapshots"
CONTAINER = "snapshots"
SAS_LIFETIME = dt.timedelta(hours=2)
MAX_FILES = 2000  # the SDK's own limit (azureml/_restclient/snapshots_client.py SNAPSHOT_MAX_FILES)


def _account(ctx: Context, ws: Workspace) -> str:
    name = account_of_resource_id((ws.doc.get("properties") or {}).get("storageAccount"))
    return name or blobstore.DEV_ACCOUNT


def _blob_host_url(ctx: Context, account: str) -> str:
    """The account's virtual-hosted URL on the emulator's port (``https://{account}.blob.core.localhost:P``)."""
    parts = urlsplit(ctx.base_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{account}.blob.core.localhost{port}"


def _files(node: Any, prefix: str = "") -> Iterator[str]:
    """The file paths of a DirTreeNode (children as a name-keyed object, as the SDK's V2 encoder sends)."""
    if not isinstance(node, dict):
        return
    children = node.get("children") or {}
    items = children.values() if isinstance(children, dict) else children
    for child in items:
        if not isinstance(child, dict) or not isinstance(child.get("name"), str):
            raise BadRequest("DirTreeNode children need a 'name'", "InvalidSnapshot")
        path = f"{prefix}{child['name']}"
        if child.get("type") == "File":
            yield path
        else:
            yield from _files(child, path + "/")


def _blob_of(uri: str, account: str) -> str:
    """The blob name in ``snapshots`` that a revision's ``BlobUri`` (one we issued) names."""
    path = urlsplit(uri).path.lstrip("/")
    container, _, name = path.partition("/")
    host = urlsplit(uri).hostname or ""
    if container != CONTAINER or not name or not host.lower().startswith(account.lower() + "."):
        raise BadRequest("a FileRevisionList BlobUri does not name a blob this workspace was given", "InvalidSnapshot")
    return name


class ContentApi:
    """Handlers of the content service, bound to one emulator."""

    def __init__(self, dp: DataPlane) -> None:
        self.ctx = dp.ctx

    async def latest(self, request: Request, ws: Workspace) -> Response:
        docs = self.ctx.store.list(KIND, ws.child(""))
        if not docs:
            return JSONResponse({"id": None, "root": {}})
        doc = docs[-1]
        return JSONResponse({"id": doc["id"], "root": doc["root"], "createdTime": doc["createdTime"]})

    async def get_blob_uris(self, request: Request, ws: Workspace) -> Response:
        body = await read_json(request)
        names = ci_get(body, "FileNames") if isinstance(body, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise BadRequest("'FileNames' must be a list of relative file paths", "InvalidSnapshot")
        if len(names) > MAX_FILES:
            raise BadRequest(f"a snapshot holds at most {MAX_FILES} files", "SnapshotTooManyFiles")
        account = _account(self.ctx, ws)
        blobstore.for_context(self.ctx).storage.ensure_container(account, CONTAINER)
        staging = uuid.uuid4().hex
        expiry = dt.datetime.now(dt.UTC) + SAS_LIFETIME
        key = blobstore.key_bytes(self.ctx, account)
        base = _blob_host_url(self.ctx, account)
        nodes = []
        for name in names:
            blob = f"{staging}/{name.replace(chr(92), '/').lstrip('/')}"
            sas = blobstore.service_sas(account, key, CONTAINER, blob, "rcw", expiry)
            nodes.append({"fullName": name, "blobUri": f"{base}/{CONTAINER}/{quote(blob)}?{sas}"})
        return JSONResponse({"fileNodes": nodes})

    async def create(self, request: Request, ws: Workspace) -> Response:
        snapshot_id = str(request.path_params["snapshotId"])
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be a snapshot object", "InvalidSnapshot")
        root = ci_get(body, "DirTreeNode")
        if not isinstance(root, dict):
            raise BadRequest("'DirTreeNode' is required", "InvalidSnapshot")
        account = _account(self.ctx, ws)
        blobs: dict[str, str] = {}
        parent_id = ci_get(body, "ParentSnapshotId")
        if parent_id:
            parent = self.ctx.store.get(KIND, ws.child(str(parent_id)))
            if parent is None:
                raise BadRequest(f"Parent snapshot '{str(parent_id)[:100]}' was not found.", "SnapshotNotFound")
            blobs.update(parent["blobs"])
        revisions = ci_get(ci_get(body, "FileRevisionList") or {}, "FileNodes") or []
        for rev in revisions if isinstance(revisions, list) else []:
            name, uri = ci_get(rev, "FullName"), ci_get(rev, "BlobUri")
            if not isinstance(name, str) or not isinstance(uri, str):
                raise BadRequest("each FileNodes entry needs 'FullName' and 'BlobUri'", "InvalidSnapshot")
            blobs[name.replace("\\", "/")] = _blob_of(uri, account)
        files = list(_files(root))
        missing = [f for f in files if f not in blobs]
        if missing:
            raise BadRequest(f"no content was uploaded for '{missing[0][:200]}'", "SnapshotFileMissing")
        zip_key = f"dp/snapshots/{snapshot_id}.zip"
        size = await run_in_threadpool(self._zip, account, {f: blobs[f] for f in files}, zip_key)
        records.add_snapshot(self.ctx, ws, snapshot_id, zip_key, size)
        doc = {"id": snapshot_id, "root": root, "blobs": {f: blobs[f] for f in files}, "createdTime": utc_now()}
        self.ctx.store.put(KIND, ws.child(snapshot_id), doc)
        return JSONResponse({"id": snapshot_id, "root": root, "createdTime": doc["createdTime"]})

    def _zip(self, account: str, files: dict[str, str], zip_key: str) -> int:
        storage = blobstore.for_context(self.ctx).storage
        path = self.ctx.store.blob_path(zip_key)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, blob in sorted(files.items()):
                try:
                    _, fh = storage.open(account, CONTAINER, blob)
                except blobstore.StorageError:
                    path.unlink(missing_ok=True)
                    raise BadRequest(f"no content was uploaded for '{name[:200]}'", "SnapshotFileMissing") from None
                with fh, zf.open(name, "w") as out:
                    while chunk := fh.read(1 << 20):
                        out.write(chunk)
        return path.stat().st_size


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The content service routes."""
    api = ContentApi(dp)

    def r(path: str, fn: Any, *methods: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "history", fn), methods)

    return [
        r("/content/v1.0" + WS_SEGMENT + "/snapshots/latest/metadata", api.latest, "GET"),
        r("/content/v2.0" + WS_SEGMENT + "/snapshots/getblob", api.get_blob_uris, "POST"),
        r("/content/v2.0" + WS_SEGMENT + "/snapshots/{snapshotId}", api.create, "POST"),
    ]
