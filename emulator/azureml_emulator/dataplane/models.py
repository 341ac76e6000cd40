"""Model management models (``M/models``, specs/modelmanagement.yaml): register, list, get, json-patch, delete."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from ..errors import mms_error
from . import jsonpatch, records
from .common import BadRequest, ci_route, decode_token, encode_token, page, parse_int, query_param, read_json, utc_now
from .handlers import ws_endpoint
from .history import _created_by
from .query import D
from .state import DataPlane
from .workspace import PREFIX_MMS, Workspace

MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,254}$")
ARTIFACT_URL = re.compile(r"^aml://artifact/ExperimentRun/dcid\.(?P<run>[^/]+)/(?P<path>.+)$", re.IGNORECASE)
DEFAULT_PAGE = 100
MAX_PAGE = 1000
ORDERS = {
    "createdatdesc": ("createdTime", True),
    "createdatasc": ("createdTime", False),
    "updatedatdesc": ("modifiedTime", True),
    "updatedatasc": ("modifiedTime", False),
}
_STRINGS = ("description", "framework", "frameworkVersion", "parentModelId", "runId", "experimentName")
PATCHABLE: dict[str, jsonpatch.Field] = {"description": str, "kvTags": dict, "properties": dict}


def parse_artifact_url(url: str) -> tuple[str, str] | None:
    """``(runId, path)`` of an ``aml://artifact/ExperimentRun/dcid.{runId}/{path}`` URL, else None."""
    match = ARTIFACT_URL.match(url)
    return None if match is None else (match["run"], match["path"])


def check_artifact_url(dp: DataPlane, ws: Workspace, url: str, what: str) -> dict[str, Any] | None:
    """The run an artifact URL points into (400 unless the run and the artifact or prefix exist)."""
    parsed = parse_artifact_url(url)
    if parsed is None:
        return None
    run_id, path = parsed
    run = records.get_run(dp.ctx, ws, run_id)
    if run is None:
        raise BadRequest(f"{what} url names run '{run_id[:200]}', which does not exist.", "ArtifactNotFound")
    if not records.resolve_artifacts(dp.ctx, ws.key, str(run["runId"]), path):
        raise BadRequest(
            f"{what} url names '{path[:300]}', which is not an artifact (or folder of artifacts) of run "
            f"'{run['runId']}'.",
            "ArtifactNotFound",
        )
    return run


def _string_map(value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadRequest(f"'{name}' must be an object of strings")
    return dict(value)


def _tag_filter(text: str | None) -> list[tuple[str, str | None]]:
    """``[(key, value or None)]`` from ``"a,b=c"`` (specs/modelmanagement.yaml parameter ``TagsFilter``)."""
    if not text:
        return []
    out: list[tuple[str, str | None]] = []
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        out.append((key.strip(), value.strip() if sep else None))
    return out


def _matches_map(doc_map: Any, wanted: list[tuple[str, str | None]]) -> bool:
    if not wanted:
        return True
    if not isinstance(doc_map, dict):
        return False
    return all(k in doc_map and (v is None or doc_map[k] == v) for k, v in wanted)


def next_link(dp: DataPlane, request: Request, token: str) -> str:
    """The absolute URL of the next page: the request's URL with ``$skipToken`` replaced."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k.lower() != "$skiptoken"]
    query.append(("$skipToken", token))
    return f"{dp.ctx.base_url}{request.url.path}?{urlencode(query)}"


def paged(dp: DataPlane, request: Request, docs: Sequence[Mapping[str, Any]]) -> JSONResponse:
    """A ``{value, nextLink}`` page following ``count`` and ``$skipToken``."""
    size = parse_int(query_param(request, "count", "$top"), "count", maximum=MAX_PAGE) or DEFAULT_PAGE
    offset = decode_token(query_param(request, "$skipToken", "skipToken"))
    chunk, nxt = page(docs, offset, size)
    body: dict[str, Any] = {"value": [records.public(d) for d in chunk]}
    # The last page has no nextLink at all: azureml-core follows 'nextLink' while the key is present
    # (azureml/_model_management/_util.py get_paginated_results, line 302), so a null would be fetched.
    if nxt is not None:
        body["nextLink"] = next_link(dp, request, encode_token(nxt))
    return JSONResponse(body)


def order_docs(docs: Sequence[D], order: str | None, default: str) -> list[D]:
    """Sort by an MMS orderBy value (CreatedAtDesc, CreatedAtAsc, UpdatedAtDesc, UpdatedAtAsc)."""
    key = (order or default).lower()
    if key not in ORDERS:
        raise BadRequest("orderBy must be one of CreatedAtDesc, CreatedAtAsc, UpdatedAtDesc, UpdatedAtAsc")
    field, desc = ORDERS[key]
    return sorted(docs, key=lambda d: (str(d.get(field) or ""), int(d.get("_seq") or 0)), reverse=desc)


class ModelsApi:
    """Handlers of the model registry."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx

    def _all(self, ws: Workspace) -> list[Mapping[str, Any]]:
        return self.ctx.store.scan("dp:models", ws.key + "/")  # read-only

    async def register(self, request: Request, ws: Workspace) -> Response:
        """POST M/models: 200 with id ``{name}:{version}`` (version auto-incremented per name)."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be a Model object")
        name, url, mime = body.get("name"), body.get("url"), body.get("mimeType")
        if not isinstance(name, str) or not MODEL_NAME.match(name):
            raise BadRequest(
                "'name' is required: letters, digits, '-', '_' and '.', starting with a letter or digit, "
                "at most 255 characters"
            )
        if not isinstance(url, str) or not url.strip():
            raise BadRequest("'url' is required (e.g. aml://artifact/ExperimentRun/dcid.{runId}/outputs/model.pkl)")
        if not isinstance(mime, str) or not mime.strip():
            raise BadRequest("'mimeType' is required (e.g. application/json)")
        claims = getattr(request.state, "claims", None) or {}
        # createdBy is indexed by azureml-core (azureml/core/model.py Model._initialize, line 354).
        doc: dict[str, Any] = {"name": name, "url": url, "mimeType": mime, "createdBy": _created_by(claims)}
        for key in _STRINGS:
            value = body.get(key)
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"'{key}' must be a string")
            doc[key] = value
        doc["kvTags"] = _string_map(body.get("kvTags"), "kvTags")
        doc["properties"] = _string_map(body.get("properties"), "properties")
        unpack = body.get("unpack", False)
        if not isinstance(unpack, bool):
            raise BadRequest("'unpack' must be a boolean")
        doc["unpack"] = unpack
        datasets = body.get("datasets") or []
        if not isinstance(datasets, list) or not all(isinstance(d, dict) for d in datasets):
            raise BadRequest("'datasets' must be an array of {name, id}")
        doc["datasets"] = datasets
        run = check_artifact_url(self.dp, ws, url, "the model's")
        if run is not None:
            doc["runId"] = doc["runId"] or run["runId"]
            doc["experimentName"] = doc["experimentName"] or run.get("_experiment")
        with records.LOCK:
            # A counter per name, not a scan of every model: registration stays O(1) however many there are.
            counter = self.ctx.store.get("dp:counters", ws.child(f"modelVersion/{name}")) or {"value": 0}
            version = int(counter["value"]) + 1
            self.ctx.store.put("dp:counters", ws.child(f"modelVersion/{name}"), {"value": version})
            now = utc_now()
            seq = self.ctx.store.get("dp:counters", ws.child("modelSeq")) or {"value": 0}
            seq["value"] = int(seq["value"]) + 1
            self.ctx.store.put("dp:counters", ws.child("modelSeq"), seq)
            doc.update(
                {"id": f"{name}:{version}", "version": version, "createdTime": now, "modifiedTime": now,
                 "_seq": seq["value"]}
            )  # fmt: skip
            self.ctx.store.put("dp:models", ws.child(doc["id"]), doc)
        return JSONResponse(records.public(doc))

    async def list(self, request: Request, ws: Workspace) -> Response:
        """GET M/models with filters name, framework, description, runId, tags, properties; paging."""
        docs = self._all(ws)
        for param, field in (("name", "name"), ("framework", "framework"), ("description", "description"),
                             ("runId", "runId")):  # fmt: skip
            wanted = query_param(request, param)
            if wanted:
                docs = [d for d in docs if str(d.get(field) or "") == wanted]
        tags = _tag_filter(query_param(request, "tags"))
        props = _tag_filter(query_param(request, "properties"))
        docs = [d for d in docs if _matches_map(d.get("kvTags"), tags) and _matches_map(d.get("properties"), props)]
        docs = order_docs(docs, query_param(request, "orderBy", "orderby"), "CreatedAtDesc")
        return paged(self.dp, request, docs)

    def _get(self, ws: Workspace, model_id: str) -> dict[str, Any] | None:
        return self.ctx.store.get("dp:models", ws.child(model_id))

    async def get(self, request: Request, ws: Workspace) -> Response:
        """GET M/models/{id}."""
        model_id = str(request.path_params["id"])
        doc = self._get(ws, model_id)
        if doc is None:
            return mms_error(404, "ModelNotFound", f"Model '{model_id[:300]}' was not found.")
        return JSONResponse(records.public(doc))

    async def patch(self, request: Request, ws: Workspace) -> Response:
        """PATCH M/models/{id} with a json-patch array on description, kvTags and properties."""
        model_id = str(request.path_params["id"])
        ops = await read_json(request)
        with records.LOCK:
            doc = self._get(ws, model_id)
            if doc is None:
                return mms_error(404, "ModelNotFound", f"Model '{model_id[:300]}' was not found.")
            updated = jsonpatch.apply(doc, ops, PATCHABLE)
            before, after = doc.get("properties") or {}, updated.get("properties") or {}
            if any(after.get(k) != v for k, v in before.items()):
                # properties are immutable once set (tags are mutable): specs/modelmanagement.yaml
                raise BadRequest("model properties are immutable: existing keys cannot change", "PropertyImmutable")
            updated["modifiedTime"] = utc_now()
            self.ctx.store.put("dp:models", ws.child(str(doc["id"])), updated)
        return JSONResponse(records.public(updated))

    async def delete(self, request: Request, ws: Workspace) -> Response:
        """DELETE M/models/{id}: 200 when deleted, 204 when it did not exist."""
        model_id = str(request.path_params["id"])
        if self.ctx.store.delete("dp:models", ws.child(model_id)):
            return Response(status_code=200)
        return Response(status_code=204)


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The model routes."""
    api = ModelsApi(dp)
    m = PREFIX_MMS

    def r(path: str, fn: Any, method: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "modelmanagement", fn), [method])

    return [
        r(m + "/models", api.list, "GET"),
        r(m + "/models", api.register, "POST"),
        r(m + "/models/{id}", api.get, "GET"),
        r(m + "/models/{id}", api.patch, "PATCH"),
        r(m + "/models/{id}", api.delete, "DELETE"),
    ]
