"""The artifact service (``/artifact/v2.0``): a run's files by ``{origin}/{container}/{path}``.

The same artifacts run history lists under ``.../runs/{runId}/artifacts`` (records ``dp:artifacts``), addressed
the way azureml-core's artifact client does (azureml/_restclient/operations/artifact_operations.py, route
templates in each operation's ``metadata``): origin ``ExperimentRun``, container ``dcid.{runId}``. Served:

- ``GET {WS}/artifacts/{origin}/{container}``: ``PaginatedArtifactDto`` (``Run.get_file_names``);
- ``GET {WS}/artifacts/contentinfo/{origin}/{container}/{path}``: ``{contentUri, origin, container, path}``
  (``Run.download_file``); ``GET .../prefix/contentinfo/...``: every artifact under a prefix, paginated
  (``Run.get_details`` reads ``user_logs`` this way, ``artifacts_client.get_files_by_artifact_prefix_id``);
- ``GET {WS}/artifacts/content/{origin}/{container}/{path}``: the bytes.

- ``POST {WS}/artifacts/batch/metadata/{origin}/{container}`` ``{paths: [{path}]}``: creates empty artifacts and
  answers ``{artifacts, artifactContentInformation, errors}`` with a write SAS URL per path in the workspace's
  storage account (virtual-hosted, as the SDK's blob upload needs: azureml/_file_utils/upload.py); this is how
  ``Model.register`` uploads a local file (origin ``LocalUpload``, azureml/core/model.py ``_create_artifacts``).

Content URLs need no Authorization header (as the service's SAS URLs): run artifacts get the emulator's signed
blob URLs, uploaded ones a read SAS on the blob store. Lists come in one page (``continuationToken`` null).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute

from .. import blobstore
from ..blobstore.accounts import account_of_resource_id
from . import records
from .blobs import _read_exactly
from .common import BadRequest, ci_get, ci_route, read_json, utc_now
from .handlers import ws_endpoint
from .state import DataPlane
from .workspace import WS_SEGMENT, Workspace

ORIGIN = "ExperimentRun"
PREFIX = "/artifact/v2.0" + WS_SEGMENT + "/artifacts"
UPLOADS = "dp:uploads"  # key ``ws/origin/container/path``: artifacts uploaded through batch/metadata
BLOB_CONTAINER = "azureml"  # where uploaded artifacts live in the workspace's storage account
SAS_LIFETIME = dt.timedelta(hours=2)
MAX_BATCH = 1000


def _read_all(fh: Any) -> bytes:
    with fh:
        return bytes(fh.read())


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


class ArtifactApi:
    """Handlers of the artifact service, bound to one emulator."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx

    def _run_id(self, request: Request, ws: Workspace) -> str | None:
        """The run a ``{origin}/{container}`` names (None: a container of no run, which holds nothing)."""
        origin = str(request.path_params["origin"])
        container = str(request.path_params["container"])
        if origin.lower() != ORIGIN.lower() or not container.lower().startswith("dcid."):
            return None
        run = records.get_run(self.ctx, ws, container[len("dcid.") :])
        return None if run is None else str(run["runId"])

    def _uploads_key(self, request: Request, ws: Workspace, path: str = "") -> str:
        return ws.child(str(request.path_params["origin"]), str(request.path_params["container"]), path)

    def _docs(self, request: Request, ws: Workspace) -> list[dict[str, Any]]:
        run_id = self._run_id(request, ws)
        found = [] if run_id is None else records.list_artifacts(self.ctx, ws.key, run_id)
        return found + self.ctx.store.list(UPLOADS, self._uploads_key(request, ws))

    def _one(self, request: Request, ws: Workspace) -> dict[str, Any]:
        path = str(request.path_params["path"]).strip("/")
        run_id = self._run_id(request, ws)
        doc = None if run_id is None else records.get_artifact(self.ctx, ws.key, run_id, path)
        doc = doc or self.ctx.store.get(UPLOADS, self._uploads_key(request, ws, path))
        if doc is None:
            raise BadRequest(f"Artifact '{path[:300]}' was not found.", "ArtifactNotFound", 404)
        return doc

    def _sas_url(self, account: str, blob: str, permissions: str, *, virtual_hosted: bool) -> str:
        expiry = dt.datetime.now(dt.UTC) + SAS_LIFETIME
        sas = blobstore.service_sas(account, blobstore.key_bytes(self.ctx, account), BLOB_CONTAINER, blob,
                                    permissions, expiry)
        if virtual_hosted:  # the SDK's uploader rebuilds https://{account}.blob.{suffix} from the URL
            parts = urlsplit(self.ctx.base_url)
            port = f":{parts.port}" if parts.port else ""
            return f"{parts.scheme}://{account}.blob.core.localhost{port}/{BLOB_CONTAINER}/{quote(blob)}?{sas}"
        return f"{self.ctx.base_url}/{account}/{BLOB_CONTAINER}/{quote(blob)}?{sas}"

    def _content_info(self, doc: dict[str, Any]) -> dict[str, Any]:
        if "_account" in doc:
            uri = self._sas_url(str(doc["_account"]), str(doc["_blobName"]), "r", virtual_hosted=False)
        else:
            uri = self.dp.signer.url(str(doc["_blob"]))
        return {
            "contentUri": uri,
            "origin": doc["origin"],
            "container": doc["container"],
            "path": doc["path"],
        }

    async def list_in_container(self, request: Request, ws: Workspace) -> Response:
        return JSONResponse({"value": [_public(d) for d in self._docs(request, ws)], "continuationToken": None})

    async def content_info(self, request: Request, ws: Workspace) -> Response:
        return JSONResponse(self._content_info(self._one(request, ws)))

    async def prefix_content_info(self, request: Request, ws: Workspace) -> Response:
        prefix = str(request.path_params["path"]).strip("/")
        docs = [d for d in self._docs(request, ws) if str(d["path"]).startswith(prefix)]
        return JSONResponse({"value": [self._content_info(d) for d in docs], "continuationToken": None})

    async def batch_create(self, request: Request, ws: Workspace) -> Response:
        body = await read_json(request)
        paths = ci_get(body, "paths") if isinstance(body, dict) else None
        if not isinstance(paths, list) or not paths or len(paths) > MAX_BATCH:
            raise BadRequest(f"'paths' must be a list of 1 to {MAX_BATCH} {{path}} objects", "InvalidArtifact")
        origin, container = str(request.path_params["origin"]), str(request.path_params["container"])
        account = account_of_resource_id((ws.doc.get("properties") or {}).get("storageAccount"))
        account = account or blobstore.DEV_ACCOUNT
        blobstore.for_context(self.ctx).storage.ensure_container(account, BLOB_CONTAINER)
        artifacts: dict[str, Any] = {}
        infos: dict[str, Any] = {}
        for item in paths:
            path = ci_get(item, "path") if isinstance(item, dict) else None
            if not isinstance(path, str) or not path.strip("/") or ".." in path.split("/"):
                raise BadRequest("each entry of 'paths' needs a relative 'path'", "InvalidArtifact")
            path = path.strip("/")
            blob = f"{ws.key}/{origin}/{container}/{uuid.uuid4().hex}"
            doc = {
                "artifactId": f"{origin}/{container}/{path}", "origin": origin, "container": container, "path": path,
                "etag": uuid.uuid4().hex, "createdTime": utc_now(), "dataPath": None,
                "_account": account, "_blobName": blob,
            }  # fmt: skip
            self.ctx.store.put(UPLOADS, self._uploads_key(request, ws, path), doc)
            artifacts[path] = _public(doc)
            infos[path] = {**self._content_info(doc), "contentUri": self._sas_url(account, blob, "rcw",
                                                                                  virtual_hosted=True)}
        return JSONResponse({"artifacts": artifacts, "artifactContentInformation": infos, "errors": {}})

    async def content(self, request: Request, ws: Workspace) -> Response:
        doc = self._one(request, ws)
        if "_account" in doc:
            _, fh = blobstore.for_context(self.ctx).storage.open(str(doc["_account"]), BLOB_CONTAINER,
                                                                 str(doc["_blobName"]))
            data = await run_in_threadpool(_read_all, fh)
            return Response(data, media_type="application/octet-stream")
        path = self.ctx.store.blob_path(str(doc["_blob"]))
        if not path.is_file():
            raise BadRequest("the artifact's content is missing", "ArtifactNotFound", 404)
        size = path.stat().st_size
        return StreamingResponse(
            _read_exactly(path, size), media_type="application/octet-stream", headers={"Content-Length": str(size)}
        )


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The artifact service routes (the fixed first segments before the catch-all listing)."""
    api = ArtifactApi(dp)

    def r(path: str, fn: Any, method: str = "GET") -> BaseRoute:
        return ci_route(PREFIX + path, ws_endpoint(dp.ctx, "history", fn), [method])

    return [
        r("/batch/metadata/{origin}/{container}", api.batch_create, "POST"),
        r("/prefix/contentinfo/{origin}/{container}/{path:path}", api.prefix_content_info),
        r("/contentinfo/{origin}/{container}/{path:path}", api.content_info),
        r("/content/{origin}/{container}/{path:path}", api.content),
        r("/{origin}/{container}", api.list_in_container),
    ]
