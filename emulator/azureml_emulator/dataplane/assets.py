"""Model-management assets (``M/assets``): named sets of artifact prefixes a model's ``url`` points at.

azureml-core registers every model through an asset: ``run.register_model`` and ``Model.register`` first
``POST M/assets`` ``{name, artifacts: [{prefix}], kvTags, properties, runid, meta, type}`` (route templates in
azureml/_restclient/operations/asset_operations.py, body in azureml/_restclient/assets_client.py
``create_asset``), then register the model with ``url: aml://asset/{id}`` (azureml/core/model.py
``_create_asset``). The answer is the ``Asset`` with its ``id`` and ``createdTime``. ``GET M/assets``,
``GET`` and ``DELETE M/assets/{id}`` are served too.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from ..errors import mms_error
from .common import BadRequest, ci_route, no_content, read_json, utc_now
from .handlers import ws_endpoint
from .state import DataPlane
from .workspace import PREFIX_MMS, Workspace

KIND = "dp:assets"


def _string_map(value: Any, name: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadRequest(f"'{name}' must be an object of strings")
    return {str(k): v for k, v in value.items()}


class AssetsApi:
    """Handlers of the assets routes, bound to one emulator."""

    def __init__(self, dp: DataPlane) -> None:
        self.ctx = dp.ctx

    async def create(self, request: Request, ws: Workspace) -> Response:
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be an Asset object")
        name, artifacts = body.get("name"), body.get("artifacts")
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("'name' is required")
        if not isinstance(artifacts, list) or not artifacts:
            raise BadRequest("'artifacts' must be a non-empty array of {prefix} or {id}")
        for item in artifacts:
            ref = item.get("prefix") or item.get("id") if isinstance(item, dict) else None
            if not isinstance(ref, str) or ref.count("/") < 2:
                raise BadRequest("each artifact needs a 'prefix' or 'id' of the form {origin}/{container}/{path}")
        asset_id = uuid.uuid4().hex
        doc: dict[str, Any] = {
            "id": asset_id,
            "name": name,
            "type": body.get("type"),
            "description": body.get("description"),
            "artifacts": [{"id": a.get("id"), "prefix": a.get("prefix")} for a in artifacts],
            "kvTags": _string_map(body.get("kvTags"), "kvTags"),
            "properties": _string_map(body.get("properties"), "properties"),
            "runid": body.get("runid"),
            "meta": _string_map(body.get("meta"), "meta"),
            "createdTime": utc_now(),
        }
        self.ctx.store.put(KIND, ws.child(asset_id), doc)
        return JSONResponse(doc)

    async def list(self, request: Request, ws: Workspace) -> Response:
        return JSONResponse({"value": self.ctx.store.list(KIND, ws.child(""))})  # one page: no nextLink

    async def get(self, request: Request, ws: Workspace) -> Response:
        asset_id = str(request.path_params["id"])
        doc = self.ctx.store.get(KIND, ws.child(asset_id))
        if doc is None:
            return mms_error(404, "AssetNotFound", f"Asset '{asset_id[:300]}' was not found.")
        return JSONResponse(doc)

    async def delete(self, request: Request, ws: Workspace) -> Response:
        asset_id = str(request.path_params["id"])
        if self.ctx.store.get(KIND, ws.child(asset_id)) is None:
            return no_content()
        self.ctx.store.delete(KIND, ws.child(asset_id))
        return JSONResponse({})


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The assets routes."""
    api = AssetsApi(dp)

    def r(path: str, fn: Any, method: str) -> BaseRoute:
        return ci_route(PREFIX_MMS + path, ws_endpoint(dp.ctx, "modelmanagement", fn), [method])

    return [
        r("/assets", api.list, "GET"),
        r("/assets", api.create, "POST"),
        r("/assets/{id}", api.get, "GET"),
        r("/assets/{id}", api.delete, "DELETE"),
    ]
