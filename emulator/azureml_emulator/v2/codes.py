"""Code assets (2025-12-01): containers and versions (see ``assets.py``), the content-hash lookup and
CodeVersions_CreateOrGetStartPendingUpload.

How azure-ai-ml 1.35 uploads a code folder (``operations/_code_operations.py``, ``_utils/_asset_utils.py``):
it lists ``codes/{fresh uuid}/versions?hash=<sha256>&hashVersion=202208`` and reuses any version of the
workspace with that content hash, whatever its name (so the lookup spans every code asset); otherwise it asks
``startPendingUpload`` for a temporary blob reference, uploads the folder under the returned ``sasUri`` and PUTs
the version with ``codeUri`` = ``blobUri/<folder>`` and ``properties.hash_sha256``/``hash_version``.

The reference is a fresh path ``LocalUpload/{pendingUploadId}`` in the container of the workspace's default
datastore (``workspaceblobstore``), on the blob store of the emulator's port (path-style
``{base}/{account}/{container}/...``, which azure-storage-blob accepts for loopback hosts); ``sasUri`` carries a
container SAS (read, add, create, write, list) valid for a day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import blobstore
from ..armcommon import json_body
from ..context import Context
from . import assets, common, datastores
from .common import bad, handler, route

HASH_PROPERTY, HASH_VERSION_PROPERTY = "hash_sha256", "hash_version"
SAS_LIFETIME = dt.timedelta(days=1)


def _validate(props: Mapping[str, Any], existing: Mapping[str, Any] | None) -> dict[str, Any]:
    code_uri = common.opt_str(props, "codeUri")
    return {} if code_uri is None else {"codeUri": code_uri}


def _by_hash(ctx: Context, request: Request, prefix: str) -> list[Mapping[str, Any]] | None:
    """With ``hash``: every code version of the workspace with that content hash (and ``hashVersion``)."""
    wanted = request.query_params.get("hash")
    if wanted is None:
        return None
    hash_version = request.query_params.get("hashVersion")
    found = []
    for doc in ctx.store.scan(KIND.versions, prefix):
        props = (doc.get("properties") or {}).get("properties") or {}
        if str(props.get(HASH_PROPERTY, "")).lower() != wanted.lower():
            continue
        if hash_version is not None and str(props.get(HASH_VERSION_PROPERTY, "")) != hash_version:
            continue
        found.append(doc)
    return found


KIND = assets.AssetKind("codes", "code", _validate, list_hook=_by_hash, mutable=("codeUri",))


def routes(ctx: Context) -> list[BaseRoute]:
    """The code container/version routes and startPendingUpload."""

    @handler
    async def start_pending_upload(request: Request) -> Response:
        sub, rg, ws, workspace = common.workspace(ctx, request)
        common.check_name(request.path_params["name"], "code name")
        common.check_name(request.path_params["version"], "code version")
        body = await json_body(request)
        kind = common.choice(
            body.get("pendingUploadType"), ("None", "TemporaryBlobReference"), "pendingUploadType", "None"
        )
        upload_id = common.opt_str(body, "pendingUploadId", "body") or str(uuid.uuid4())
        if not upload_id.replace("-", "").isalnum() or len(upload_id) > 64:
            raise bad("'pendingUploadId' must be up to 64 letters, digits and '-'.")
        datastores.ensure_defaults(ctx, sub, rg, ws, workspace)
        account = datastores.account_of(ctx, workspace)
        container = datastores.default_container(workspace)
        blob_uri = f"{ctx.base_url}/{account}/{container}/LocalUpload/{upload_id}"
        expiry = dt.datetime.now(dt.UTC) + SAS_LIFETIME
        sas = blobstore.service_sas(account, blobstore.key_bytes(ctx, account), container, None, "racwl", expiry)
        return JSONResponse(
            {
                "blobReferenceForConsumption": {
                    "blobUri": blob_uri,
                    "storageAccountArmId": workspace["properties"].get("storageAccount"),
                    "credential": {"credentialType": "SAS", "sasUri": f"{blob_uri}?{sas}"},
                },
                "pendingUploadId": upload_id,
                "pendingUploadType": kind,
            }
        )

    return [
        route("/codes/{name}/versions/{version}/startPendingUpload", start_pending_upload, ["POST"]),
        *assets.routes(ctx, KIND),
    ]
