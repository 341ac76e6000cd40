"""Execution (``/execution/v1.0``): startrun, snapshotrun and cancel (specs/execution.yaml, CONTRIBUTING.md E).

startrun streams its multipart body to disk (python-multipart spools file parts to temporary files;
the byte count is enforced while reading, so an oversized upload is refused without holding it in memory).
"""

from __future__ import annotations

import shutil
import time
import uuid
import zipfile
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import tokens
from ..errors import history_error
from . import definition, records
from .common import BadRequest, ci_route, query_param, read_json
from .definition import RunSpec
from .handlers import ws_endpoint
from .history import _created_by, check_name
from .runner import LOG_NAME, Job
from .safezip import MAX_FILES, ZipProblem, safe_name, validate
from .state import DataPlane
from .workspace import PREFIX_EXECUTION, Workspace

MULTIPART_OVERHEAD = 1024 * 1024  # room for the definition part and multipart framing
MAX_DEFINITION = 1024 * 1024


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> BadRequest:
    return BadRequest(f"The upload exceeds the maximum project size of {limit} bytes.", "ProjectTooLarge", 413)


async def _part_bytes(part: UploadFile | str, limit: int) -> bytes:
    if isinstance(part, str):
        data = part.encode()
    else:
        data = await part.read(limit + 1)
    if len(data) > limit:
        raise BadRequest("runDefinitionFile is larger than 1 MiB", "InvalidRunDefinition")
    return data


def _form_part(form: FormData, name: str) -> UploadFile | str | None:
    for key, value in form.multi_items():
        if key.lower() == name.lower():
            return value
    return None


class ExecutionApi:
    """Handlers of the execution group."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx

    # ---- shared ---------------------------------------------------------------------------------

    def _run_id(self, request: Request, ws: Workspace, experiment: str) -> str:
        given = query_param(request, "runId")
        if given:
            check_name(given, "runId")
            if records.get_run(self.ctx, ws, given) is not None:
                raise BadRequest(f"A run with id '{given}' already exists.", "RunIdAlreadyExists", 409)
            return given
        stamp = int(time.time() * 1000)
        while True:  # the article's form: {experiment}_{epoch ms}
            candidate = f"{experiment[:240]}_{stamp}"
            if records.get_run(self.ctx, ws, candidate) is None:
                return candidate
            stamp += 1

    def _compute_key(self, ws: Workspace, spec: RunSpec) -> str | None:
        if spec.target.lower() == "local":
            return None
        key = ws.child(spec.target)
        if self.ctx.store.get("computes", key) is None:
            raise BadRequest(
                f"Compute target '{spec.target[:200]}' was not found in workspace '{ws.name}'. "
                "Create it first (PUT .../computes/{name}) or use target 'local'.",
                "ComputeNotFound",
            )
        return key

    def _parent(self, ws: Workspace, spec: RunSpec) -> dict[str, Any]:
        if not spec.parent_run_id:
            return {}
        parent = records.get_run(self.ctx, ws, spec.parent_run_id)
        if parent is None:
            raise BadRequest(f"Parent run '{spec.parent_run_id[:300]}' was not found.", "ParentRunNotFound")
        return {"parentRunId": parent["runId"], "rootRunId": parent.get("rootRunId") or parent["runId"]}

    def _start(
        self,
        request: Request,
        ws: Workspace,
        experiment: str,
        run_id: str,
        spec: RunSpec,
        compute_key: str | None,
        snapshot_id: str,
        snapshot_blob: str,
    ) -> Response:
        blob_prefix = f"dp/runs/{uuid.uuid4().hex}"
        log_blob = f"{blob_prefix}/{LOG_NAME}"
        self.ctx.store.blob_path(log_blob).write_bytes(b"")
        claims = getattr(request.state, "claims", None) or {}
        created_by = _created_by(claims)
        fields: dict[str, Any] = {
            "target": spec.target,
            "scriptName": spec.script,
            "runDefinition": spec.raw,
            "runType": spec.run_type or "azureml.scriptrun",
            "properties": {"ContentSnapshotId": snapshot_id, "azureml.runsource": "experiment"},
            "createdBy": created_by,
            "userId": created_by["userObjectId"],
            "cancelUri": (
                f"{self.ctx.base_url}/execution/v1.0/subscriptions/{ws.subscription_id}/resourceGroups/"
                f"{ws.resource_group}/providers/Microsoft.MachineLearningServices/workspaces/{ws.name}"
                f"/experiments/{experiment}/runId/{run_id}/cancel"
            ),
        }
        fields.update(self._parent(ws, spec))
        try:
            records.create_run(self.ctx, ws, experiment, run_id, fields)
        except records.Conflict:
            return history_error(409, "RunIdAlreadyExists", f"A run with id '{run_id}' already exists.")
        records.add_artifact(self.ctx, ws.key, run_id, LOG_NAME, log_blob)
        records.set_status(self.ctx, ws.key, run_id, "Starting")
        context = self._run_context(ws, experiment)
        self.dp.runs.submit(
            Job(
                ws_key=ws.key,
                subscription_id=ws.subscription_id,
                resource_group=ws.resource_group,
                workspace=ws.name,
                experiment=experiment,
                run_id=run_id,
                script=spec.script,
                arguments=spec.arguments,
                max_duration=spec.max_duration,
                environment_variables=spec.environment_variables,
                snapshot_blob=snapshot_blob,
                log_blob=log_blob,
                blob_prefix=blob_prefix,
                compute_key=compute_key,
                interpreter=spec.interpreter,
                context_environment=context,
            )
        )
        return JSONResponse({"runId": run_id})

    def _run_context(self, ws: Workspace, experiment: str) -> dict[str, str]:
        """What azureml-core's ``Run.get_context()`` reads inside a run (azureml/core/run.py ``_load_scope``,
        lines 215-246; azureml/core/authentication.py ``_get_initial_token_and_expiry``, line 1594): a run
        token for the data plane, its expiry, the workspace and experiment ids and the discovery URL (without
        which the SDK asks ARM, which a run token may not call)."""
        token, _, _, expires_on = tokens.issue(self.ctx, "https://ml.azure.com", version="1.0")
        exp = records.ensure_experiment(self.ctx, ws, experiment)
        return {
            "AZUREML_RUN_TOKEN": token,
            "AZUREML_RUN_TOKEN_EXPIRY": str(int(expires_on)),
            "AZUREML_WORKSPACE_ID": str((ws.doc.get("properties") or {}).get("workspaceId") or ""),
            "AZUREML_EXPERIMENT_ID": str(exp["experimentId"]),
            "AZUREML_DISCOVERY_SERVICE_ENDPOINT": self.ctx.base_url + "/discovery",
        }

    # ---- startrun -------------------------------------------------------------------------------

    async def _read_form(self, request: Request) -> FormData:
        limit = self.ctx.config.max_upload_bytes
        ctype = request.headers.get("content-type", "")
        if not ctype.lower().startswith("multipart/form-data"):
            raise BadRequest(
                "startrun needs a multipart/form-data body with the parts runDefinitionFile and projectZipFile",
                "UnsupportedMediaType",
                415,
            )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
            raise _too_large(limit)

        async def counted() -> AsyncGenerator[bytes, None]:
            seen = 0
            async for chunk in request.stream():
                seen += len(chunk)
                if seen > limit + MULTIPART_OVERHEAD:
                    raise _TooLarge()
                yield chunk

        parser = MultiPartParser(request.headers, counted(), max_files=8, max_fields=32, max_part_size=MAX_DEFINITION)
        try:
            return await parser.parse()
        except _TooLarge:
            raise _too_large(limit) from None
        except MultiPartException as exc:
            raise BadRequest(f"the multipart body could not be read: {exc.message}", "InvalidMultipart") from None

    async def startrun(self, request: Request, ws: Workspace) -> Response:
        """POST E/startrun: multipart ``runDefinitionFile`` + ``projectZipFile``; query ``runId`` optional."""
        experiment = str(request.path_params["experimentName"])
        check_name(experiment, "experiment name")
        form = await self._read_form(request)
        snapshot_id = str(uuid.uuid4())
        blob = f"dp/snapshots/{snapshot_id}.zip"
        path = self.ctx.store.blob_path(blob)
        keep = False
        try:
            def_part = _form_part(form, "runDefinitionFile")
            zip_part = _form_part(form, "projectZipFile")
            if def_part is None:
                raise BadRequest("the multipart part 'runDefinitionFile' is missing", "MissingRunDefinition")
            if zip_part is None:
                raise BadRequest("the multipart part 'projectZipFile' is missing", "MissingProjectZip")
            spec = definition.parse(definition.parse_bytes(await _part_bytes(def_part, MAX_DEFINITION)))
            compute_key = self._compute_key(ws, spec)
            run_id = self._run_id(request, ws, experiment)
            size = await run_in_threadpool(_save_part, zip_part, path)
            if size > self.ctx.config.max_upload_bytes:
                raise _too_large(self.ctx.config.max_upload_bytes)
            names = await run_in_threadpool(self._check_zip, path)
            _check_script(spec, names)
            records.add_snapshot(self.ctx, ws, snapshot_id, blob, size)
            keep = True
            return self._start(request, ws, experiment, run_id, spec, compute_key, snapshot_id, blob)
        finally:
            await form.close()
            if not keep:
                path.unlink(missing_ok=True)

    def _check_zip(self, path: Path) -> list[str]:
        try:
            return validate(path, self.ctx.config.max_upload_bytes, MAX_FILES)
        except ZipProblem as exc:
            raise BadRequest(exc.message, exc.code) from None

    # ---- snapshotrun ----------------------------------------------------------------------------

    async def snapshotrun(self, request: Request, ws: Workspace) -> Response:
        """POST E/snapshotrun: JSON RunDefinition whose ``snapshotId`` names an earlier run's project."""
        experiment = str(request.path_params["experimentName"])
        check_name(experiment, "experiment name")
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be a RunDefinition object", "InvalidRunDefinition")
        spec = definition.parse(body, need_snapshot=True)
        assert spec.snapshot_id is not None
        snap = records.get_snapshot(self.ctx, ws, spec.snapshot_id)
        if snap is None:
            raise BadRequest(f"Snapshot '{spec.snapshot_id[:100]}' was not found.", "SnapshotNotFound", 404)
        compute_key = self._compute_key(ws, spec)
        run_id = self._run_id(request, ws, experiment)
        names = await run_in_threadpool(_names, self.ctx.store.blob_path(str(snap["blob"])))
        _check_script(spec, names)
        return self._start(request, ws, experiment, run_id, spec, compute_key, str(snap["id"]), str(snap["blob"]))

    # ---- cancel ---------------------------------------------------------------------------------

    async def cancel(self, request: Request, ws: Workspace) -> Response:
        """POST E/runId/{runId}/cancel: CancelRequested, then Canceled once the process is gone."""
        experiment = str(request.path_params["experimentName"])
        run_id = str(request.path_params["runId"])
        doc = records.run_in_experiment(self.ctx, ws, experiment, run_id)
        if doc is None:
            raise BadRequest(
                f"Run '{run_id[:300]}' was not found in experiment '{experiment[:300]}'.", "RunNotFound", 404
            )
        run_id = str(doc["runId"])
        if doc.get("status") not in records.TERMINAL:
            records.set_status(self.ctx, ws.key, run_id, "CancelRequested")
            if not self.dp.runs.cancel(ws.key, run_id):
                records.set_status(self.ctx, ws.key, run_id, "Canceled")
        return JSONResponse({"runId": run_id})


def _save_part(part: UploadFile | str, path: Path) -> int:
    """Copy an uploaded part to ``path``; returns its size."""
    with path.open("wb") as out:
        if isinstance(part, str):
            out.write(part.encode())
        else:
            part.file.seek(0)
            shutil.copyfileobj(part.file, out, 1024 * 1024)
        return out.tell()


def _names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return [n for n in (safe_name(i.filename) for i in zf.infolist()) if n]
    except (zipfile.BadZipFile, OSError, ZipProblem):
        return []


def _check_script(spec: RunSpec, names: list[str]) -> None:
    if spec.script not in names:
        shown = ", ".join(sorted(names)[:10]) or "no files"
        raise BadRequest(
            f"Script '{spec.script}' is not in the project zip (it holds: {shown}). "
            "The entry script must be at the path given by configuration.script, relative to the zip's root.",
            "ScriptNotFound",
        )


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The execution routes."""
    api = ExecutionApi(dp)
    e = PREFIX_EXECUTION + "/experiments/{experimentName}"

    def r(path: str, fn: Any) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "execution", fn), ["POST"])

    return [
        r(e + "/startrun", api.startrun),
        r(e + "/snapshotrun", api.snapshotrun),
        r(e + "/runId/{runId}/cancel", api.cancel),
    ]
