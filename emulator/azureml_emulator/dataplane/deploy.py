"""Deployments: materialise a service's models and assets, start and supervise its scoring worker.

A deployment (the operation behind ``POST M/services``) resolves ``environmentImageRequest``:
``modelIds`` (registered models, copied under ``azureml-models/{name}/{version}/``; ``AZUREML_MODEL_DIR``
points at the single model's folder, or at ``azureml-models`` when there are several) and ``assets``
(``aml://artifact/ExperimentRun/dcid.{runId}/{path}``: a file lands at the app root under its name,
a folder's contents land at the app root). ``driverProgram`` must then exist in the app folder.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import blobstore
from ..context import Context
from . import records
from .blobs import BlobSigner
from .common import utc_now
from .safezip import ZipProblem, safe_name

WORKER = Path(__file__).with_name("scoring_worker.py")
READY_TIMEOUT = 120.0  # seconds init() may take
SCORE_TIMEOUT = 60.0  # seconds one run() may take
ARTIFACT_URL_PREFIX = "aml://artifact/experimentrun/dcid."
ASSET_URL_PREFIX = "aml://asset/"


class DeployError(Exception):
    """A deployment failure with a message for the operation's and the service's ``error``."""

    def __init__(self, message: str, code: str = "DeploymentFailed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ScoreError(Exception):
    """A failed scoring call: ``status`` and message (user exceptions are 500)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Line:
    buffer: bytes = b""


class Worker:
    """One scoring worker process; requests are serialised (one ``run()`` at a time).

    ``extra_env``: variables the deployment sets (a v2 deployment's ``environmentVariables``);
    ``AZUREML_MODEL_DIR`` and the emulator's own ``AZUREML_EMULATOR*`` settings cannot be overridden by them.
    """

    def __init__(
        self, app_dir: Path, script: Path, model_dir: Path, log_path: Path, extra_env: Mapping[str, str] | None = None
    ) -> None:
        self.app_dir = app_dir
        self._lock = threading.Lock()
        self._line = _Line()
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("AZUREML_EMULATOR")}
        env.update({k: v for k, v in (extra_env or {}).items() if not k.upper().startswith("AZUREML_EMULATOR")})
        env.update({"AZUREML_MODEL_DIR": str(model_dir), "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"})
        with log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(WORKER), str(script)],
                cwd=app_dir,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )

    def _readline(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._line.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the scoring worker did not answer in time")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise EOFError("the scoring worker exited")
                self._line.buffer += chunk
        line, _, rest = self._line.buffer.partition(b"\n")
        self._line.buffer = rest
        doc = json.loads(line)
        if not isinstance(doc, dict):
            raise ValueError("bad worker answer")
        return doc

    def wait_ready(self) -> None:
        """Wait for ``init()``; raises DeployError with the script's exception when it fails."""
        try:
            doc = self._readline(READY_TIMEOUT)
        except (TimeoutError, EOFError, ValueError) as exc:
            raise DeployError(f"The scoring script did not start: {exc}.", "ScoringScriptFailed") from None
        if not doc.get("ready"):
            raise DeployError(f"The scoring script's init() failed: {doc.get('error')}", "ScoringScriptFailed")

    def score(self, raw: str) -> str:
        """The JSON text ``run(raw)`` answers; ScoreError for a user exception or a dead worker."""
        with self._lock:
            if self.proc.poll() is not None or self.proc.stdin is None:
                raise ScoreError(502, "The scoring worker is not running.")
            try:
                self.proc.stdin.write((json.dumps({"data": raw}) + "\n").encode())
                self.proc.stdin.flush()
                doc = self._readline(SCORE_TIMEOUT)
            except TimeoutError:
                self.stop()
                raise ScoreError(504, "The scoring script's run() did not return in time.") from None
            except (EOFError, OSError, ValueError):
                raise ScoreError(502, "The scoring worker exited.") from None
        if not doc.get("ok"):
            raise ScoreError(500, str(doc.get("error") or "run() failed"))
        return str(doc["body"])

    def stop(self) -> None:
        """Kill the worker and remove its folder."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError, OSError):
                self.proc.kill()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        shutil.rmtree(self.app_dir.parent, ignore_errors=True)


class ServiceManager:
    """Runs deployments and owns the scoring workers of one emulator."""

    def __init__(self, ctx: Context, signer: BlobSigner) -> None:
        self._ctx = ctx
        self._signer = signer
        self._lock = threading.Lock()
        self._workers: dict[str, Worker] = {}
        self._stopping = False
        self._threads: list[threading.Thread] = []

    def worker(self, service_key: str) -> Worker | None:
        """The live worker of a service, or None."""
        with self._lock:
            return self._workers.get(service_key.lower())

    def stop(self, service_key: str) -> None:
        """Stop a service's worker (delete)."""
        with self._lock:
            worker = self._workers.pop(service_key.lower(), None)
        if worker is not None:
            worker.stop()

    @property
    def stopping(self) -> bool:
        """True once the emulator is shutting down (workers still starting elsewhere should be stopped)."""
        return self._stopping

    def adopt(self, key: str, worker: Worker) -> bool:
        """Serve ``key`` (another owner's name space, e.g. a v2 online deployment) with a ready ``worker``.

        The worker it replaces is stopped; False (and ``worker`` stopped) when the emulator is shutting down.
        """
        with self._lock:
            stopping = self._stopping
            old = None
            if not stopping:
                old = self._workers.pop(key.lower(), None)
                self._workers[key.lower()] = worker
        if stopping:
            worker.stop()
        elif old is not None:
            old.stop()
        return not stopping

    def shutdown(self) -> None:
        """Stop every worker (emulator shutdown)."""
        with self._lock:
            self._stopping = True
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            worker.stop()
        for thread in self._threads:
            thread.join(timeout=2)

    def start(self, ws_key: str, name: str, op_id: str | None) -> None:
        """Deploy service ``name`` in a background thread, tracking operation ``op_id``."""
        thread = threading.Thread(target=self._guarded, args=(ws_key, name, op_id), name=f"deploy-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _guarded(self, ws_key: str, name: str, op_id: str | None) -> None:
        try:
            self._deploy(ws_key, name, op_id)
        except Exception:
            if not self._stopping:  # at shutdown the store may be closed under us
                raise

    def recover(self) -> None:
        """After a restart: fail unfinished operations, redeploy services that were Healthy."""
        for op in self._ctx.store.list("dp:mmsops"):
            if op.get("state") in ("NotStarted", "Running"):
                op.update(state="Failed", endTime=utc_now(), error=_mms_error_body(
                    "DeploymentFailed", "The emulator restarted during the operation.", 500))  # fmt: skip
                self._ctx.store.put("dp:mmsops", f"{op['_ws']}/{op['id']}", op)
        for svc in self._ctx.store.list("dp:services"):
            if svc.get("state") == "Transitioning":
                self._set_service(str(svc["_ws"]), str(svc["name"]), state="Failed", error=_mms_error_body(
                    "DeploymentFailed", "The emulator restarted during the deployment.", 500))  # fmt: skip
            elif svc.get("state") == "Healthy":
                self.start(str(svc["_ws"]), str(svc["name"]), None)

    # ---- the deployment thread ------------------------------------------------------------------

    def _set_op(self, ws_key: str, op_id: str | None, **fields: Any) -> None:
        if op_id is None or self._stopping:
            return
        with records.LOCK:
            op = self._ctx.store.get("dp:mmsops", f"{ws_key}/{op_id}")
            if op is not None:
                op.update(fields)
                self._ctx.store.put("dp:mmsops", f"{ws_key}/{op_id}", op)

    def _set_service(self, ws_key: str, name: str, **fields: Any) -> bool:
        if self._stopping:
            return False
        with records.LOCK:
            svc = self._ctx.store.get("dp:services", f"{ws_key}/{name}")
            if svc is None:
                return False
            svc.update(fields)
            svc["updatedTime"] = utc_now()
            self._ctx.store.put("dp:services", f"{ws_key}/{name}", svc)
            return True

    def _deploy(self, ws_key: str, name: str, op_id: str | None) -> None:
        started = time.monotonic()
        self._set_op(ws_key, op_id, state="Running")
        worker: Worker | None = None
        try:
            svc = self._ctx.store.get("dp:services", f"{ws_key}/{name}")
            if svc is None:
                raise DeployError("The service was deleted during its deployment.")
            worker = self._launch(ws_key, svc)
            worker.wait_ready()
            rest = self._ctx.config.lro_delay - (time.monotonic() - started)
            if rest > 0:
                time.sleep(rest)
            with self._lock:
                if self._stopping:
                    raise DeployError("The emulator is shutting down.")
                old = self._workers.pop(f"{ws_key}/{name}".lower(), None)
                self._workers[f"{ws_key}/{name}".lower()] = worker
            if old is not None:
                old.stop()
            if not self._set_service(ws_key, name, state="Healthy", error=None):
                self.stop(f"{ws_key}/{name}")
                raise DeployError("The service was deleted during its deployment.")
            self._set_op(ws_key, op_id, state="Succeeded", endTime=utc_now())
        except Exception as exc:
            if worker is not None and self.worker(f"{ws_key}/{name}") is not worker:
                worker.stop()
            message = exc.message if isinstance(exc, DeployError) else f"Deployment failed: {type(exc).__name__}"
            code = exc.code if isinstance(exc, DeployError) else "DeploymentFailed"
            error = _mms_error_body(code, message, 400 if isinstance(exc, DeployError) else 500)
            self._set_service(ws_key, name, state="Failed", error=error)
            self._set_op(ws_key, op_id, state="Failed", endTime=utc_now(), error=error)

    def _launch(self, ws_key: str, svc: dict[str, Any]) -> Worker:
        request = svc.get("environmentImageRequest") or {}
        root = Path(tempfile.mkdtemp(prefix="azureml-service-"))
        try:
            app = root / "app"
            models_root = root / "azureml-models"
            app.mkdir()
            models_root.mkdir()
            model_dirs = [self._materialise_model(ws_key, mid, models_root) for mid in svc.get("_modelIds", [])]
            for asset in request.get("assets") or []:
                self._materialise_asset(ws_key, asset, app)
            driver = str(request.get("driverProgram") or "")
            try:
                rel = safe_name(driver)
            except ZipProblem:
                rel = None
            script = app / rel if rel else None
            if script is None or not script.is_file():
                shown = ", ".join(sorted(p.relative_to(app).as_posix() for p in app.rglob("*") if p.is_file())[:10])
                raise DeployError(
                    f"driverProgram '{driver[:200]}' was not found among the service's assets "
                    f"(they hold: {shown or 'no files'}).",
                    "DriverProgramNotFound",
                )
            model_dir = model_dirs[0] if len(model_dirs) == 1 else models_root
            log_blob = str(svc.get("_logBlob") or f"dp/services/{svc['name']}/log.txt")
            return Worker(app, script, model_dir, self._ctx.store.blob_path(log_blob))
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    def _copy_asset(self, ws_key: str, url: str, dest: Path, *, keep_folder: bool, what: str) -> None:
        """``aml://asset/{id}`` (how azureml-core registers models, azureml/core/model.py ``_create_asset``):
        each of the asset's artifact prefixes, from run history or from the uploads of the artifact service."""
        asset = self._ctx.store.get("dp:assets", f"{ws_key}/{url[len(ASSET_URL_PREFIX):]}")
        if asset is None:
            raise DeployError(f"{what} url '{url[:200]}' names no asset of the workspace.", "AssetNotFound")
        for item in asset.get("artifacts") or []:
            ref = str(item.get("prefix") or item.get("id") or "")
            if ref.lower().startswith("experimentrun/"):
                self._copy_artifacts(ws_key, "aml://artifact/" + ref, dest, keep_folder=keep_folder, what=what)
                continue
            origin, container, path = [*ref.split("/", 2), "", ""][:3]
            prefix = f"{ws_key}/{origin}/{container}/{path}"
            docs = [d for d in self._ctx.store.list("dp:uploads", prefix)
                    if str(d["path"]) == path or str(d["path"]).startswith(path.rstrip("/") + "/")]
            if not docs:
                raise DeployError(f"{what} asset names '{ref[:200]}', which holds no artifact.", "ArtifactNotFound")
            storage = blobstore.for_context(self._ctx).storage
            base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
            for doc in docs:
                target = dest / str(doc["path"])[len(base):]
                target.parent.mkdir(parents=True, exist_ok=True)
                _, fh = storage.open(str(doc["_account"]), "azureml", str(doc["_blobName"]))
                with fh, target.open("wb") as out:
                    shutil.copyfileobj(fh, out)

    def _copy_artifacts(self, ws_key: str, url: str, dest: Path, *, keep_folder: bool, what: str) -> None:
        if url.lower().startswith(ASSET_URL_PREFIX):
            self._copy_asset(ws_key, url, dest, keep_folder=keep_folder, what=what)
            return
        if not url.lower().startswith(ARTIFACT_URL_PREFIX):
            raise DeployError(
                f"{what} url '{url[:200]}' cannot be fetched by the emulator; use "
                "aml://artifact/ExperimentRun/dcid.{runId}/{path}.",
                "UnsupportedUrl",
            )
        run_id, _, path = url[len(ARTIFACT_URL_PREFIX) :].partition("/")
        found = records.resolve_artifacts(self._ctx, ws_key, run_id, path)
        if not found:
            raise DeployError(
                f"{what} url '{url[:200]}' names no artifact of run '{run_id[:100]}'.", "ArtifactNotFound"
            )
        exact = len(found) == 1 and "/" not in found[0][0]
        for name, doc in found:
            rel = name if (keep_folder or exact) else name.split("/", 1)[1]
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self._ctx.store.blob_path(str(doc["_blob"])), target)

    def _materialise_model(self, ws_key: str, model_id: str, models_root: Path) -> Path:
        model = self._ctx.store.get("dp:models", f"{ws_key}/{model_id}")
        if model is None:
            raise DeployError(f"Model '{model_id[:200]}' was not found.", "ModelNotFound")
        dest = models_root / str(model["name"]) / str(model["version"])
        dest.mkdir(parents=True, exist_ok=True)
        self._copy_artifacts(ws_key, str(model["url"]), dest, keep_folder=True, what=f"Model '{model_id}'")
        return dest

    def _materialise_asset(self, ws_key: str, asset: dict[str, Any], app: Path) -> None:
        self._copy_artifacts(ws_key, str(asset.get("url") or ""), app, keep_folder=False, what="The asset")


def _mms_error_body(code: str, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "statusCode": status, "message": message, "details": []}
