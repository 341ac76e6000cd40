"""Run history as v2 clients use it: run details by run id, ``rundata``, output URIs, metrics.

What azure-ai-ml 1.35 calls (``operations/_job_ops_helper.py``, ``_run_operations.py``,
``_dataset_dataplane_operations.py``; the routes are in Microsoft's run-history spec, specification/
machinelearningservices/data-plane/Microsoft.MachineLearningServices.RunHistory/stable/v1.0/run-history.json):

- ``GET /history/v1.0{WS}/runs/{runId}/details``: ``RunDetails`` with ``logFiles`` mapping
  ``user_logs/std_log.txt`` to a read-only service SAS URL of the log blob on the emulator's blob store (path-style,
  so it needs no name resolution), which ``jobs.stream`` GETs without an Authorization header;
- ``GET /history/v1.0{WS}/runs/{runId}``: the ``Run``;
- ``POST /history/v1.0{WS}/rundata``: ``{runMetadata, runDefinition, jobSpecification}``; ``runMetadata.outputs``
  names each job output's data asset id and type, which ``jobs.download`` resolves through
- ``POST /data/v1.0{WS}/dataversion/batchGetResolvedUris``: ``{values: {assetId: {uri, type}}}`` with the output's
  long-form ``azureml://subscriptions/.../datastores/{ds}/paths/{path}`` URI;
- ``/metric/v2.0{WS}/runs/{runId}/batch`` (post ``IMetricV2`` values), ``/list`` (the metric definitions) and
  ``/full`` (one metric's values).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import blobstore
from ..context import Context
from ..dataplane import records
from ..dataplane.common import BadRequest, ci_route, read_json
from ..dataplane.handlers import ws_endpoint
from ..dataplane.state import state_of
from ..dataplane.workspace import PREFIX_HISTORY, WS_SEGMENT, Workspace
from .job_data import Location
from .job_runner import LOG_NAME, log_location

PREFIX_DATA = "/data/v1.0" + WS_SEGMENT
PREFIX_METRIC = "/metric/v2.0" + WS_SEGMENT
METRICS = "v2:metrics"  # key ``ws/runId/name`` -> {name, columns, values: [...]}
SAS_HOURS = 24
MAX_METRIC_VALUES = 10_000
_METRIC_NAME = re.compile(r"^[^\x00-\x1f/]{1,255}$")
_OUTPUT_TYPES = {"uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"}


def sas_url(ctx: Context, where: Location) -> str:
    """A read-only, :data:`SAS_HOURS`-hour service SAS URL of one blob, path-style on the emulator's port."""
    expiry = dt.datetime.now(dt.UTC) + dt.timedelta(hours=SAS_HOURS)
    query = blobstore.service_sas(
        where.account, blobstore.key_bytes(ctx, where.account), where.container, where.path, "r", expiry
    )
    return f"{ctx.base_url}/{where.account}/{where.container}/{quote(where.path)}?{query}"


def output_asset_id(ws: Workspace, job: str, output: str) -> str:
    """The data asset id run history gives a job output (the service's ``azureml_{job}_output_data_{name}``)."""
    location = str(ws.doc.get("location") or "local")
    wsid = str((ws.doc.get("properties") or {}).get("workspaceId") or ws.name)
    return f"azureml://locations/{location}/workspaces/{wsid}/data/azureml_{job}_output_data_{output}/versions/1"


def _long_uri(ws: Workspace, uri: str) -> str:
    """``azureml://datastores/{ds}/paths/{p}`` (or the service's ``azureml://datastores/{ds}/{p}``) in long form."""
    match = re.match(r"^azureml://datastores/([^/]+)/(?:paths/)?(.*)$", uri, re.IGNORECASE)
    if match is None:
        return uri
    return (
        f"azureml://subscriptions/{ws.subscription_id}/resourcegroups/{ws.resource_group}/workspaces/{ws.name}"
        f"/datastores/{match.group(1)}/paths/{match.group(2)}"
    )


class RunHistoryV2:
    """The handlers, bound to one emulator."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.signer = state_of(ctx).signer

    def _run(self, ws: Workspace, run_id: str) -> dict[str, Any]:
        doc = records.get_run(self.ctx, ws, run_id)
        if doc is None:
            raise BadRequest(f"Run '{run_id[:300]}' was not found.", "RunNotFound", 404)
        return doc

    def _job(self, ws: Workspace, run_id: str) -> dict[str, Any] | None:
        return self.ctx.store.get("v2:jobs", ws.child(run_id))

    def _log_files(self, ws: Workspace, run: Mapping[str, Any]) -> dict[str, str]:
        run_id = str(run["runId"])
        logs = {
            str(a["path"]): self.signer.url(str(a["_blob"]))
            for a in records.list_artifacts(self.ctx, ws.key, run_id)
            if str(a["path"]).startswith(("azureml-logs/", "logs/", "user_logs/"))
        }
        where = log_location(ws.doc, run_id)
        storage = blobstore.for_context(self.ctx).storage
        if storage.blob(where.account, where.container, where.path) is not None:
            logs[LOG_NAME] = sas_url(self.ctx, where)
        return logs

    def _outputs(self, ws: Workspace, run_id: str) -> dict[str, dict[str, str]]:
        job = self._job(ws, run_id)
        outputs = ((job or {}).get("properties") or {}).get("outputs") or {}
        return {
            name: {"assetId": output_asset_id(ws, run_id, name), "type": str(spec.get("jobOutputType"))}
            for name, spec in outputs.items()
            if isinstance(spec, dict) and spec.get("jobOutputType") in _OUTPUT_TYPES and spec.get("uri")
        }

    async def details(self, request: Request, ws: Workspace) -> Response:
        """GET P/runs/{runId}/details."""
        run = self._run(ws, str(request.path_params["runId"]))
        keys = (
            "runId", "runNumber", "target", "status", "parentRunId", "rootRunId", "startTimeUtc", "endTimeUtc",
            "error", "warnings", "tags", "properties", "runDefinition", "revision", "createdBy",
        )  # fmt: skip
        body: dict[str, Any] = {k: run.get(k) for k in keys}
        body.update(
            runUuid=run.get("_uuid") or hashlib.md5(ws.child(str(run["runId"])).encode()).hexdigest(),  # noqa: S324
            createdTimeUtc=run.get("createdUtc"),
            logFiles=self._log_files(ws, run),
            services={},
            inputDatasets=[],
            outputDatasets=[],
        )
        return JSONResponse(body)

    async def run(self, request: Request, ws: Workspace) -> Response:
        """GET P/runs/{runId}."""
        return JSONResponse(records.public(self._run(ws, str(request.path_params["runId"]))))

    async def rundata(self, request: Request, ws: Workspace) -> Response:
        """POST P/rundata: the run with its outputs' asset ids, its definition and job specification."""
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("runId"), str) or not body["runId"]:
            raise BadRequest("The body must be a GetRunDataRequest with a 'runId' string.")
        run_id = str(body["runId"])
        run = self._run(ws, run_id)
        meta = records.public(run)
        meta["outputs"] = self._outputs(ws, run_id)
        job = self._job(ws, run_id)
        spec = {k: v for k, v in (job or {}).items() if not k.startswith("_")} or None
        return JSONResponse(
            {
                "runMetadata": meta if body.get("selectRunMetadata", True) else None,
                "runDefinition": run.get("runDefinition") if body.get("selectRunDefinition", True) else None,
                "jobSpecification": spec if body.get("selectJobSpecification", True) else None,
            }
        )

    async def resolved_uris(self, request: Request, ws: Workspace) -> Response:
        """POST /data/v1.0{WS}/dataversion/batchGetResolvedUris: job outputs' asset ids -> their URIs."""
        body = await read_json(request)
        ids = body.get("values") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 1000:
            raise BadRequest('The body must be {"values": [asset ids]} (at most 1000).')
        found: dict[str, dict[str, str]] = {}
        for asset_id in ids:
            match = re.search(r"/data/azureml_(.+)_output_data_([A-Za-z_][A-Za-z0-9_]*)/versions/1$", asset_id)
            job = self._job(ws, match.group(1)) if match else None
            spec = ((job or {}).get("properties") or {}).get("outputs", {}).get(match.group(2)) if match else None
            if match and isinstance(spec, dict) and asset_id == output_asset_id(ws, match.group(1), match.group(2)):
                found[asset_id] = {"uri": _long_uri(ws, str(spec["uri"])), "type": str(spec["jobOutputType"])}
        return JSONResponse({"values": found})

    # ---- metrics --------------------------------------------------------------------------------

    async def metrics_post(self, request: Request, ws: Workspace) -> Response:
        """POST /metric/v2.0{WS}/runs/{runId}/batch: ``{values: [IMetricV2]}``."""
        run_id = str(self._run(ws, str(request.path_params["runId"]))["runId"])
        body = await read_json(request)
        metrics = body.get("values") if isinstance(body, dict) else None
        if not isinstance(metrics, list):
            raise BadRequest('The body must be a BatchIMetricV2 {"values": [...]}.')
        for metric in metrics:
            name = metric.get("name") if isinstance(metric, dict) else None
            values = metric.get("value") if isinstance(metric, dict) else None
            if not isinstance(name, str) or not _METRIC_NAME.match(name) or not isinstance(values, list):
                raise BadRequest("Each metric needs a 'name' (1-255 characters) and a 'value' list.")
            key = ws.child(run_id, name)
            with records.LOCK:
                doc = self.ctx.store.get(METRICS, key) or {"name": name, "columns": {}, "values": []}
                if len(doc["values"]) + len(values) > MAX_METRIC_VALUES:
                    raise BadRequest(f"A metric holds at most {MAX_METRIC_VALUES} values.", "TooManyValues")
                doc["columns"].update(metric.get("columns") or {})
                if doc.get("properties") is None and isinstance(metric.get("properties"), dict):
                    # azureml-core sends {"uxMetricType": "azureml.v1.scalar"} and reads it back from /full
                    # (azureml/_restclient/metrics_client.py, dto_v2_to_metric_cells)
                    doc["properties"] = metric["properties"]
                doc["values"].extend(v for v in values if isinstance(v, dict))
                self.ctx.store.put(METRICS, key, doc)
        return JSONResponse({}, status_code=200)

    async def metrics_list(self, request: Request, ws: Workspace) -> Response:
        """POST /metric/v2.0{WS}/runs/{runId}/list: the run's metric definitions."""
        run_id = str(self._run(ws, str(request.path_params["runId"]))["runId"])
        docs = self.ctx.store.list(METRICS, ws.child(run_id) + "/")
        value = [{"metricKey": {"name": d["name"], "namespace": None}, "columns": d["columns"]} for d in docs]
        return JSONResponse({"value": value, "continuationToken": None, "nextLink": None})

    async def metrics_full(self, request: Request, ws: Workspace) -> Response:
        """POST /metric/v2.0{WS}/runs/{runId}/full: every value of ``metricName``."""
        run_id = str(self._run(ws, str(request.path_params["runId"]))["runId"])
        body = await read_json(request)
        name = body.get("metricName") if isinstance(body, dict) else None
        if not isinstance(name, str):
            raise BadRequest("The body must name the 'metricName'.")
        doc = self.ctx.store.get(METRICS, ws.child(run_id, name))
        if doc is None:
            raise BadRequest(f"Metric '{name[:100]}' was not found.", "MetricNotFound", 404)
        return JSONResponse(
            {"name": name, "columns": doc["columns"], "value": doc["values"], "dataContainerId": f"dcid.{run_id}",
             "continuationToken": None, "nextLink": None,
             # the properties the metric was posted with (azureml-core's uxMetricType); none when none were sent
             **({"properties": doc["properties"]} if doc.get("properties") else {})}
        )  # fmt: skip


def routes(ctx: Context) -> list[BaseRoute]:
    """The run-history routes v2 clients use."""
    api = RunHistoryV2(ctx)

    def r(path: str, fn: Any, method: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(ctx, "history", fn), [method])

    run = PREFIX_HISTORY + "/runs/{runId}"
    metric = PREFIX_METRIC + "/runs/{runId}"
    return [
        r(run + "/details", api.details, "GET"),
        r(run, api.run, "GET"),
        r(PREFIX_HISTORY + "/rundata", api.rundata, "POST"),
        r(PREFIX_DATA + "/dataversion/batchGetResolvedUris", api.resolved_uris, "POST"),
        r(metric + "/batch", api.metrics_post, "POST"),
        r(metric + "/list", api.metrics_list, "POST"),
        r(metric + "/full", api.metrics_full, "POST"),
    ]
