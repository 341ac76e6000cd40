"""Run history (``/history/v1.0``): experiments, runs and run artifacts (specs/history.yaml, CONTRIBUTING.md P)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute

from ..errors import history_error
from . import records
from .blobs import _read_exactly
from .common import (
    NAME_RE,
    BadRequest,
    ci_route,
    decode_token,
    encode_token,
    page,
    parse_int,
    query_param,
    read_json,
)
from .handlers import ws_endpoint
from .query import parse_filter, parse_order, sort_docs
from .state import DataPlane
from .workspace import PREFIX_HISTORY, Workspace

DEFAULT_PAGE = 100
MAX_PAGE = 1000
_RUN_STRINGS = (
    "parentRunId", "status", "startTimeUtc", "endTimeUtc", "name", "dataContainerId", "description",
    "runType", "scriptName", "target", "cancelUri", "diagnosticsUri",
)  # fmt: skip
_RUN_MAPS = ("properties", "tags")
_RUN_BOOLS = ("hidden", "heartbeatEnabled")


def check_name(value: str, what: str) -> None:
    """400 unless ``value`` is a valid experiment name or run id (``NAME_RE``)."""
    if not NAME_RE.match(value):
        raise BadRequest(
            f"{what} {value[:300]!r} is invalid: it must start with a letter or digit and contain only "
            "letters, digits, '_' and '-' (at most 256 characters)",
            "InvalidName",
        )


def _absolute(dp: DataPlane, request: Request, **params: str) -> str:
    dropped = {p.lower() for p in params} | {"continuationtoken", "$continuationtoken"}
    query = {k: v for k, v in request.query_params.items() if k.lower() not in dropped}
    query.update(params)
    return f"{dp.ctx.base_url}{request.url.path}?{urlencode(query)}"


def _page_response(
    dp: DataPlane,
    request: Request,
    items: Sequence[Mapping[str, Any]],
    offset: int,
    size: int,
    *,
    link: bool,
    link_param: str = "continuationToken",
) -> JSONResponse:
    chunk, nxt = page(items, offset, size)
    token = None if nxt is None else encode_token(nxt)
    next_link = _absolute(dp, request, **{link_param: token}) if (token and link) else None
    return JSONResponse(
        {"value": [records.public(d) for d in chunk], "continuationToken": token, "nextLink": next_link}
    )


class HistoryApi:
    """Handlers of the run history group."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx

    # ---- experiments ----------------------------------------------------------------------------

    async def experiments_list(self, request: Request, ws: Workspace) -> Response:
        """GET P/experiments (the article's form) with ``continuationToken`` and ``$top`` paging."""
        offset = decode_token(query_param(request, "continuationToken", "$continuationToken"))
        top = parse_int(query_param(request, "$top", "top"), "$top", maximum=MAX_PAGE) or DEFAULT_PAGE
        docs = records.list_experiments(self.ctx, ws)
        docs = [d for d in docs if parse_filter(query_param(request, "$filter", "filter"))(d)]
        docs = sort_docs(docs, parse_order(query_param(request, "$orderby", "orderBy")))
        return _page_response(self.dp, request, docs, offset, top, link=True, link_param="$continuationToken")

    async def experiments_query(self, request: Request, ws: Workspace) -> Response:
        """POST P/experiments:query with QueryParams {filter, continuationToken, orderBy, top}."""
        params = await _query_params(request)
        docs = [d for d in records.list_experiments(self.ctx, ws) if params.predicate(d)]
        docs = sort_docs(docs, params.order)
        return _page_response(self.dp, request, docs, params.offset, params.top, link=False)

    async def experiment_get(self, request: Request, ws: Workspace) -> Response:
        """GET P/experiments/{experimentName}."""
        name = str(request.path_params["experimentName"])
        doc = records.get_experiment(self.ctx, ws, name)
        if doc is None:
            return history_error(404, "ExperimentNotFound", f"Experiment '{name[:300]}' was not found.")
        return JSONResponse(records.public(doc))

    async def experiment_create(self, request: Request, ws: Workspace) -> Response:
        """POST P/experiments/{experimentName}: create (an existing experiment is returned as is)."""
        name = str(request.path_params["experimentName"])
        check_name(name, "experiment name")
        return JSONResponse(records.public(records.ensure_experiment(self.ctx, ws, name)))

    # ---- runs -----------------------------------------------------------------------------------

    def _run(self, request: Request, ws: Workspace) -> dict[str, Any]:
        exp = str(request.path_params["experimentName"])
        run_id = str(request.path_params["runId"])
        doc = records.run_in_experiment(self.ctx, ws, exp, run_id)
        if doc is None:
            raise BadRequest(f"Run '{run_id[:300]}' was not found in experiment '{exp[:300]}'.", "RunNotFound", 404)
        return doc

    async def run_get(self, request: Request, ws: Workspace) -> Response:
        """GET P/experiments/{experimentName}/runs/{runId}."""
        return JSONResponse(records.public(self._run(request, ws)))

    async def run_patch(self, request: Request, ws: Workspace) -> Response:
        """PATCH P/experiments/{experimentName}/runs/{runId}: create or update (CreateRun body)."""
        exp = str(request.path_params["experimentName"])
        run_id = str(request.path_params["runId"])
        check_name(exp, "experiment name")
        check_name(run_id, "runId")
        body = await read_json(request, allow_empty=True) or {}
        fields = _run_fields(body, run_id)
        with records.LOCK:
            existing = records.get_run(self.ctx, ws, run_id)
            if existing is None:
                fields.setdefault("status", "NotStarted")
                claims = getattr(request.state, "claims", None) or {}
                fields["createdBy"] = _created_by(claims)
                fields["userId"] = fields["createdBy"]["userObjectId"]
                doc = records.create_run(self.ctx, ws, exp, run_id, fields)
                return JSONResponse(records.public(doc))
            if str(existing.get("_experiment", "")).lower() != exp.lower():
                return history_error(
                    409, "RunIdAlreadyExists",
                    f"Run '{run_id}' already exists in another experiment of this workspace.",
                )  # fmt: skip

            def change(doc: dict[str, Any]) -> None:
                for key, value in fields.items():
                    if key in _RUN_MAPS and isinstance(doc.get(key), dict):
                        doc[key] = {**doc[key], **value}
                    else:
                        doc[key] = value

            updated = records.update_run(self.ctx, ws.key, run_id, change)
        assert updated is not None
        return JSONResponse(records.public(updated))

    async def run_details(self, request: Request, ws: Workspace) -> Response:
        """GET .../runs/{runId}/details: RunDetails with ``logFiles`` (signed, auth-free URLs)."""
        doc = self._run(request, ws)
        logs = {
            str(a["path"]): self.dp.signer.url(str(a["_blob"]))
            for a in records.list_artifacts(self.ctx, ws.key, str(doc["runId"]))
            if str(a["path"]).startswith(("azureml-logs/", "logs/"))
        }
        keys = (
            "runId", "target", "status", "parentRunId", "startTimeUtc", "endTimeUtc", "error", "warnings",
            "tags", "properties", "runDefinition", "revision",
        )  # fmt: skip
        details = {k: doc.get(k) for k in keys}
        details["logFiles"] = logs
        return JSONResponse(details)

    async def run_children(self, request: Request, ws: Workspace) -> Response:
        """GET .../runs/{runId}/children with ``$filter``, ``$continuationtoken``, ``$top``, ``$orderby``."""
        parent = self._run(request, ws)
        offset = decode_token(query_param(request, "$continuationToken", "continuationToken"))
        top = parse_int(query_param(request, "$top", "top"), "$top", maximum=MAX_PAGE) or DEFAULT_PAGE
        predicate = parse_filter(query_param(request, "$filter", "filter"))
        desc = (query_param(request, "$sortorder") or "asc").lower()
        if desc not in ("asc", "desc"):
            raise BadRequest("$sortorder must be Asc or Desc", "InvalidOrderBy")
        orders = [v for k, v in request.query_params.multi_items() if k.lower() == "$orderby"]
        order = parse_order(orders, default_desc=desc == "desc")
        pid = str(parent["runId"]).lower()
        docs = [
            d for d in records.list_runs(self.ctx, ws)
            if str(d.get("parentRunId") or "").lower() == pid and predicate(d)
        ]  # fmt: skip
        docs = sort_docs(docs, order)
        return _page_response(self.dp, request, docs, offset, top, link=True, link_param="$continuationToken")

    async def runs_query(self, request: Request, ws: Workspace) -> Response:
        """POST P/experiments/{experimentName}/runs:query with QueryParams."""
        exp = str(request.path_params["experimentName"]).lower()
        params = await _query_params(request)
        docs = [
            d for d in records.list_runs(self.ctx, ws)
            if str(d.get("_experiment", "")).lower() == exp and params.predicate(d)
        ]  # fmt: skip
        docs = sort_docs(docs, params.order)
        return _page_response(self.dp, request, docs, params.offset, params.top, link=False)

    # ---- artifacts ------------------------------------------------------------------------------

    async def artifacts_list(self, request: Request, ws: Workspace) -> Response:
        """GET .../runs/{runId}/artifacts with ``continuationToken`` paging."""
        run = self._run(request, ws)
        offset = decode_token(query_param(request, "continuationToken", "$continuationToken"))
        top = parse_int(query_param(request, "$top", "top"), "$top", maximum=MAX_PAGE) or DEFAULT_PAGE
        docs = records.list_artifacts(self.ctx, ws.key, str(run["runId"]))
        return _page_response(self.dp, request, docs, offset, top, link=True)

    def _artifact(self, request: Request, ws: Workspace) -> dict[str, Any]:
        run = self._run(request, ws)
        path = query_param(request, "path")
        if not path:
            raise BadRequest("the query parameter 'path' is required", "MissingPath")
        doc = records.get_artifact(self.ctx, ws.key, str(run["runId"]), path.strip("/"))
        if doc is None:
            raise BadRequest(f"Artifact '{path[:300]}' was not found.", "ArtifactNotFound", 404)
        return doc

    async def artifact_contentinfo(self, request: Request, ws: Workspace) -> Response:
        """GET .../artifacts/contentinfo?path=: ``{contentUri, origin, container, path}``."""
        doc = self._artifact(request, ws)
        return JSONResponse(
            {
                "contentUri": self.dp.signer.url(str(doc["_blob"])),
                "origin": doc["origin"],
                "container": doc["container"],
                "path": doc["path"],
            }
        )

    async def artifact_content(self, request: Request, ws: Workspace) -> Response:
        """GET .../artifacts/content?path=: the bytes (``application/octet-stream``)."""
        doc = self._artifact(request, ws)
        path = self.ctx.store.blob_path(str(doc["_blob"]))
        if not path.is_file():
            raise BadRequest("the artifact's content is missing", "ArtifactNotFound", 404)
        size = path.stat().st_size
        return StreamingResponse(
            _read_exactly(path, size),
            media_type="application/octet-stream",
            headers={"Content-Length": str(size)},
        )


class _Query:
    def __init__(self, body: dict[str, Any]) -> None:
        self.predicate = parse_filter(_str_field(body, "filter"))
        order = body.get("orderBy", body.get("orderby"))
        if order is not None and not isinstance(order, (str, list)):
            raise BadRequest("'orderBy' must be a string", "InvalidOrderBy")
        self.order = parse_order(order)
        self.offset = decode_token(_str_field(body, "continuationToken"))
        self.top = parse_int(body.get("top"), "top", maximum=MAX_PAGE) or DEFAULT_PAGE


def _str_field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    return value


async def _query_params(request: Request) -> _Query:
    body = await read_json(request, allow_empty=True)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise BadRequest("the body must be a QueryParams object")
    return _Query(body)


def _created_by(claims: dict[str, Any]) -> dict[str, Any]:
    oid = claims.get("oid") or claims.get("appid") or claims.get("sub")
    return {
        "userObjectId": str(oid) if oid else None,
        "userTenantId": str(claims["tid"]) if claims.get("tid") else None,
        "userName": str(claims.get("name") or claims.get("appid") or "emulator"),
    }


def _run_fields(body: Any, run_id: str) -> dict[str, Any]:
    """The writable CreateRun fields of ``body`` after type checks (unknown fields are ignored)."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a CreateRun object")
    if body.get("runId") not in (None, run_id):
        raise BadRequest("the body's runId differs from the runId in the path")
    fields: dict[str, Any] = {}
    for key in _RUN_STRINGS:
        if key in body:
            value = body[key]
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"'{key}' must be a string")
            fields[key] = value
    for key in _RUN_MAPS:
        if key in body and body[key] is not None:
            value = body[key]
            if not isinstance(value, dict) or not all(isinstance(v, (str, type(None))) for v in value.values()):
                raise BadRequest(f"'{key}' must be an object of strings")
            fields[key] = dict(value)
    for key in _RUN_BOOLS:
        if key in body and body[key] is not None:
            if not isinstance(body[key], bool):
                raise BadRequest(f"'{key}' must be a boolean")
            fields[key] = body[key]
    for key in ("options", "runDefinition", "createdFrom"):
        if key in body:
            if body[key] is not None and not isinstance(body[key], dict):
                raise BadRequest(f"'{key}' must be an object")
            fields[key] = body[key]
    if fields.get("status") == "":
        raise BadRequest("'status' must not be empty")
    return fields


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The run history routes."""
    api = HistoryApi(dp)
    p = PREFIX_HISTORY
    run = p + "/experiments/{experimentName}/runs/{runId}"

    def r(path: str, fn: Any, *methods: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "history", fn), methods)

    return [
        r(p + "/experiments", api.experiments_list, "GET"),
        r(p + "/experiments:query", api.experiments_query, "POST"),
        r(p + "/experiments/{experimentName}/runs:query", api.runs_query, "POST"),
        r(p + "/experiments/{experimentName}", api.experiment_get, "GET"),
        r(p + "/experiments/{experimentName}", api.experiment_create, "POST"),
        r(run + "/details", api.run_details, "GET"),
        r(run + "/children", api.run_children, "GET"),
        r(run + "/artifacts/contentinfo", api.artifact_contentinfo, "GET"),
        r(run + "/artifacts/content", api.artifact_content, "GET"),
        r(run + "/artifacts", api.artifacts_list, "GET"),
        r(run, api.run_get, "GET"),
        r(run, api.run_patch, "PATCH"),
    ]
