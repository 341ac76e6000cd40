"""Jobs (api-version 2025-12-01 and the versions azure-ai-ml 1.35 sends): createOrUpdate, get, list, cancel, delete.

Microsoft's spec (stable/2025-12-01, Jobs_*): the client chooses the name; PUT is not long-running (201 created,
200 for a repeated PUT, which may change only the mutable ``tags``, ``properties``, ``description``,
``isArchived`` and ``notificationSetting``: any other difference is 400); cancel (POST ``.../cancel``) and delete are
long-running, 202 with ``Location`` (v2/lro.py). A job's name is its run id in run history: the run (store kind
``dp:runs``) carries the status that ``properties.status`` reports, and ``/history/v1.0/.../runs/{name}/details``
serves its log (dataplane/history_v2.py). Command jobs run (v2/job_runner.py); the other job types are stored and
readable and stay ``NotStarted`` until canceled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from ..armcommon import ML, ArmFailure, json_body
from ..context import Context
from ..dataplane import records
from ..dataplane.runner import Job
from ..dataplane.state import state_of
from ..dataplane.workspace import Workspace
from . import jobs_body, lro, run_history
from .common import caller, check_name, handler, list_view, page, resource_id, route, system_data, workspace, ws_key
from .job_runner import CommandJob

KIND = "v2:jobs"
REQUESTS = "v2:jobs.requests"  # what each job's first PUT asked for (jobs_body.read), for repeated PUTs
STUDIO = "https://ml.azure.com/runs/{name}?wsid={wsid}"


def _forget_request(ctx: Context, key: str, action: str) -> None:
    if action == "delete":
        ctx.store.delete(REQUESTS, key)


lro.register(KIND, on_succeeded=_forget_request)
lro.register(REQUESTS)


def _bad(exc: jobs_body.BadJob) -> ArmFailure:
    return ArmFailure(400, exc.code, exc.message)


def _default_outputs(name: str, outputs: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Outputs with the URIs the service fills in, plus the ``default`` (artifacts) output."""
    filled: dict[str, dict[str, Any]] = {}
    for out, spec in outputs.items():
        spec = dict(spec)
        if not spec.get("uri"):
            leaf = f"/{out}" if spec["jobOutputType"] == "uri_file" else "/"
            spec["uri"] = f"azureml://datastores/workspaceblobstore/paths/azureml/{name}/{out}{leaf}"
        spec.setdefault("mode", "ReadWriteMount")
        filled[out] = spec
    filled.setdefault(
        "default",
        {
            "jobOutputType": "uri_folder",
            "mode": "ReadWriteMount",
            "uri": f"azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.{name}",
            "description": None,
            "assetName": None,
        },
    )
    return filled


class JobsApi:
    """The handlers, bound to one emulator."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.runs = state_of(ctx).runs

    def _compute_key(self, sub: str, rg: str, ws: str, compute_id: str | None) -> str | None:
        """The store key of the job's compute (None: serverless, run at once); 400 when it does not exist."""
        if not compute_id:
            return None
        segs = [s for s in compute_id.split("/") if s]
        low = [s.lower() for s in segs]
        if len(segs) != 10 or low[0] != "subscriptions" or low[6] != "workspaces" or low[8] != "computes":
            raise ArmFailure(
                400, "UserError", f"'properties.computeId' must be a compute's ARM id: '{compute_id[:200]}'."
            )
        if (low[1], low[3], low[7]) != (sub.lower(), rg.lower(), ws.lower()):
            raise ArmFailure(400, "UserError", "'properties.computeId' names a compute of another workspace.")
        key = ws_key(sub, rg, ws, segs[9])
        if self.ctx.store.get("computes", key) is None:
            raise ArmFailure(400, "UserError", f"The compute '{segs[9][:100]}' was not found in this workspace.")
        return key

    def _view(self, doc: Mapping[str, Any], key: str) -> dict[str, Any]:
        """The JobBase answer: the stored resource with the run's status."""
        body = {k: v for k, v in doc.items() if not k.startswith("_")}
        props = dict(body["properties"])
        run = self.ctx.store.get("dp:runs", key)
        props["status"] = str((run or {}).get("status") or "NotStarted")
        body["properties"] = props
        return body

    def _job(self, request: Request) -> tuple[str, dict[str, Any], dict[str, Any]]:
        sub, rg, ws, _ = workspace(self.ctx, request)
        name = str(request.path_params["name"])
        key = ws_key(sub, rg, ws, name)
        doc = self.ctx.store.get(KIND, key)
        if doc is None:
            raise ArmFailure(404, "ResourceNotFound", f"The job '{name[:100]}' was not found in this workspace.")
        return key, doc, self.ctx.store.get("dp:runs", key) or {}

    async def put(self, request: Request) -> Response:
        """Jobs_CreateOrUpdate: 201 and the job starts; a repeated PUT is 200 (mutable properties only)."""
        sub, rg, ws, ws_doc = workspace(self.ctx, request)
        name = check_name(str(request.path_params["name"]), "job name")
        body = await json_body(request)
        try:
            asked = jobs_body.read(body, name)
        except jobs_body.BadJob as exc:
            raise _bad(exc) from None
        key = ws_key(sub, rg, ws, name)
        existing = self.ctx.store.get(KIND, key)
        if existing is not None:
            return self._update(key, existing, asked, request)
        compute = self._compute_key(sub, rg, ws, asked.get("computeId"))
        wsp = Workspace(sub, rg, ws, ws_doc)
        props = dict(asked)
        if props["jobType"] == "Command":
            props["outputs"] = _default_outputs(name, props["outputs"])
        props["services"] = {
            "Studio": {
                "jobServiceType": "Studio",
                "endpoint": STUDIO.format(name=name, wsid=resource_id(sub, rg, ws)),
                "status": None, "errorMessage": None, "port": None, "properties": None, "nodes": None,
            },
        }  # fmt: skip
        fields = {
            "name": props["displayName"],
            "description": props.get("description"),
            "tags": dict(props["tags"]),
            "properties": {**props["properties"], "azureml.jobType": props["jobType"]},
            "target": (compute or "serverless").rsplit("/", 1)[-1],
            "runType": f"azureml.{props['jobType']}Job",
            "_v2": True,
        }
        try:
            records.create_run(self.ctx, wsp, props["experimentName"], name, fields)
        except records.Conflict:
            raise ArmFailure(409, "UserError", f"A run named '{name}' already exists in this workspace.") from None
        doc = {
            "id": resource_id(sub, rg, ws, "jobs", name),
            "name": name,
            "type": f"{ML}/workspaces/jobs",
            "properties": props,
            "systemData": system_data(None, caller(request)),
        }
        self.ctx.store.put(KIND, key, doc)
        self.ctx.store.put(REQUESTS, key, asked)
        if props["jobType"] == "Command":
            self._submit(wsp, key, name, props, compute)
        return JSONResponse(self._view(doc, key), status_code=201)

    def _update(self, key: str, doc: dict[str, Any], asked: dict[str, Any], request: Request) -> Response:
        first = self.ctx.store.get(REQUESTS, key) or {}
        changed = jobs_body.immutable_change(first, doc["properties"], asked)
        if changed is not None:
            raise ArmFailure(
                400, "UserError",
                f"The job '{doc['name']}' exists; only {', '.join(jobs_body.MUTABLE)} can change, not '{changed}'.",
            )  # fmt: skip
        props = dict(doc["properties"])
        props.update({k: asked[k] for k in jobs_body.MUTABLE})
        doc = {**doc, "properties": props, "systemData": system_data(doc, caller(request))}
        self.ctx.store.put(KIND, key, doc)
        self.ctx.store.put(REQUESTS, key, {**first, **{k: asked[k] for k in jobs_body.MUTABLE}})
        return JSONResponse(self._view(doc, key), status_code=200)

    def _submit(self, ws: Workspace, key: str, name: str, props: dict[str, Any], compute: str | None) -> None:
        timeout = (props.get("limits") or {}).get("timeout")
        job = Job(
            ws_key=ws.key,
            subscription_id=ws.subscription_id,
            resource_group=ws.resource_group,
            workspace=ws.name,
            experiment=str(props["experimentName"]),
            run_id=name,
            script="",
            arguments=[],
            max_duration=jobs_body.duration_seconds(timeout, "timeout") if timeout else None,
            environment_variables=dict(props["environmentVariables"]),
            snapshot_blob="",
            log_blob=f"v2jobs/{key}/std_log.txt",
            blob_prefix="",
            compute_key=compute,
        )
        job.execute = CommandJob(self.ctx, self.runs, ws.key, ws.doc, name, props)
        self.runs.submit(job)

    async def get(self, request: Request) -> Response:
        """Jobs_Get."""
        key, doc, _ = self._job(request)
        return JSONResponse(self._view(doc, key))

    async def list(self, request: Request) -> Response:
        """Jobs_List: newest first; ``jobType``, ``tag``, ``listViewType``, ``properties`` filters; ``$skip`` paging."""
        sub, rg, ws, _ = workspace(self.ctx, request)
        prefix = ws_key(sub, rg, ws) + "/"
        view = list_view(request)
        job_type = (request.query_params.get("jobType") or "").lower()
        tag = request.query_params.get("tag")
        wanted = _property_filter(request.query_params.get("properties"))
        items = []
        for key in reversed(self.ctx.store.keys(KIND, prefix)):
            doc = self.ctx.store.get(KIND, key)
            if doc is None:
                continue
            props = doc["properties"]
            if view != "All" and (view == "ArchivedOnly") != bool(props.get("isArchived")):
                continue
            if job_type and str(props.get("jobType", "")).lower() != job_type:
                continue
            if tag and tag not in (props.get("tags") or {}):
                continue
            if not all(_has_property(props.get("properties") or {}, k, v) for k, v in wanted):
                continue
            items.append(self._view(doc, key))
        return JSONResponse(page(self.ctx, request, items))

    async def cancel(self, request: Request) -> Response:
        """Jobs_Cancel: 202 + Location; the job's process is terminated and the run ends Canceled."""
        key, doc, run = self._job(request)
        sub, rg, ws, ws_doc = workspace(self.ctx, request)
        self._stop(ws_key(sub, rg, ws), str(doc["name"]), run)
        op = lro.begin(self.ctx, request, sub=sub, location=str(ws_doc.get("location") or ""), kind=KIND, key=key,
                       action="update")  # fmt: skip
        return lro.accepted(self.ctx, op)

    async def delete(self, request: Request) -> Response:
        """Jobs_Delete: 202 + Location; a running job is canceled first."""
        key, doc, run = self._job(request)
        sub, rg, ws, ws_doc = workspace(self.ctx, request)
        self._stop(ws_key(sub, rg, ws), str(doc["name"]), run)
        op = lro.begin(self.ctx, request, sub=sub, location=str(ws_doc.get("location") or ""), kind=KIND, key=key,
                       action="delete")  # fmt: skip
        return lro.accepted(self.ctx, op)

    def _stop(self, wskey: str, name: str, run: Mapping[str, Any]) -> None:
        if str(run.get("status")) in records.TERMINAL or not run:
            return
        records.set_status(self.ctx, wskey, name, "CancelRequested")
        if not self.runs.cancel(wskey, name):  # nothing supervises it (another job type): cancel at once
            records.set_status(self.ctx, wskey, name, "Canceled")


def _property_filter(raw: str | None) -> list[tuple[str, str | None]]:
    """``prop1,prop2=value2`` -> ``[("prop1", None), ("prop2", "value2")]``."""
    out: list[tuple[str, str | None]] = []
    for part in (raw or "").split(","):
        if part.strip():
            name, eq, value = part.partition("=")
            out.append((name.strip(), value if eq else None))
    return out


def _has_property(props: Mapping[str, Any], name: str, value: str | None) -> bool:
    return name in props and (value is None or props[name] == value)


def routes(ctx: Context) -> list[BaseRoute]:
    """The jobs routes of one emulator, and the run-history routes v2 clients read them with."""
    api = JobsApi(ctx)
    return [
        *run_history.routes(ctx),
        route("/jobs", handler(api.list), ["GET"]),
        route("/jobs/{name}", handler(api.get), ["GET"]),
        route("/jobs/{name}", handler(api.put), ["PUT"]),
        route("/jobs/{name}", handler(api.delete), ["DELETE"]),
        route("/jobs/{name}/cancel", handler(api.cancel), ["POST"]),
    ]
