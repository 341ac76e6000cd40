"""Online deployments at work: a scoring worker per deployment, and the long-running operation that waits for it.

A PUT starts a thread that lays out ``<tmp>/app`` (the code version's files) and ``<tmp>/azureml-models/...``
(the model's), then starts the v1 scoring worker (``dataplane/deploy.py`` ``Worker``: the user's script in its
own process, ``init()`` once, ``run(raw_data)`` per request) and waits for ``init()``. The operation ends then:
``Succeeded`` with the worker registered in the emulator's one worker registry (``ServiceManager.adopt``, so the
emulator's shutdown stops it), or ``Failed`` with the reason, the deployment kept with ``provisioningState``
``Failed`` and its logs readable (``getLogs``), as the service keeps failed deployments. The operation is the
shared v2 one (``v2/lro.py``) except that it is not settled by time: it is taken off the timed queue and settled
when the worker is ready or has failed (never before ``config.lro_delay``, so clients see it in progress).

Logs (``getLogs``): ``StorageInitializer`` is what the emulator did to fetch code and model; ``InferenceServer``
is the worker's output (the script's prints and tracebacks).

After a restart (``--data-dir``) nothing runs yet: the first scoring request of a ``Succeeded`` deployment
starts its worker again, and a deployment left ``Creating``/``Updating`` by the old process is failed when read.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.requests import Request

from .. import lro as _records
from ..context import Context
from ..dataplane.deploy import DeployError, Worker
from ..dataplane.state import state_of
from ..errors import arm_error_body
from ..timeutil import iso
from . import deployments_assets, job_data, lro
from .endpoints_records import DEP_KIND

RUNS = "v2:onlinedeploymentruns"  # deployment key -> {"op": the id of its operation in progress}
POOL_PREFIX = "v2-online:"  # this module's names in the shared worker registry
LOG_TYPES = ("StorageInitializer", "InferenceServer")
MAX_LOG_READ = 1024 * 1024  # bytes of a log's end that getLogs reads
log = logging.getLogger("azureml_emulator")


def log_path(ctx: Context, key: str, container: str) -> Path:
    """The log file of one of a deployment's containers (``LOG_TYPES``)."""
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
    return ctx.store.blob_path(f"v2/online/{digest}/{container}.log")


def tail(ctx: Context, key: str, container: str, lines: int | None) -> str:
    """The last ``lines`` lines (all when None) of a deployment's log ('' before it has one)."""
    path = log_path(ctx, key, container)
    if not path.is_file():
        return ""
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - MAX_LOG_READ))
        text = fh.read().decode("utf-8", errors="replace")
    if lines is None:
        return text
    kept = text.splitlines(keepends=True)[-lines:] if lines > 0 else []
    return "".join(kept)


class Runtime:
    """The deployments of one emulator that are starting or serving."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._busy: set[str] = set()  # deployment keys with a start in flight in this process
        self._restart = threading.Lock()
        # The emulator's one worker registry, taken once: at shutdown the data plane forgets its state, and
        # asking for it again then would make a new one.
        self._pool = state_of(ctx).services

    def begin(self, request: Request, key: str, doc: Mapping[str, Any], *, fresh: bool) -> dict[str, Any]:
        """Start deploying the stored deployment ``key``; the operation to answer the PUT with."""
        sub = key.split("/", 1)[0]
        op = lro.begin(
            self.ctx, request, sub=sub, location=str(doc.get("location") or ""), kind=DEP_KIND, key=key, action="update"
        )  # "update": a failure keeps the deployment, as Failed
        self.ctx.store.delete(_records.PENDING, str(op["name"]))  # settled by the worker, not by time
        with self._lock:
            self._busy.add(key.lower())
        self.ctx.store.put(RUNS, key, {"op": op["name"]})
        thread = threading.Thread(
            target=self._run, args=(key, str(op["name"]), fresh), daemon=True, name=f"online-deploy-{doc.get('name')}"
        )
        thread.start()
        return op

    def busy(self, key: str) -> bool:
        """True while this process is starting deployment ``key``."""
        with self._lock:
            return key.lower() in self._busy

    def worker(self, key: str) -> Worker | None:
        """The running worker of deployment ``key``, or None."""
        found = self._pool.worker(POOL_PREFIX + key)
        return found if isinstance(found, Worker) else None

    def stop(self, key: str) -> None:
        """Stop deployment ``key``'s worker (delete, or its endpoint's delete)."""
        self._pool.stop(POOL_PREFIX + key)

    def ensure_worker(self, key: str) -> Worker | None:
        """The worker of a ``Succeeded`` deployment, started again when this process has none (after a restart)
        or its process died (as the service restarts a container that fails its liveness probe); None while it
        is being deployed or when it is not ``Succeeded``. Raises DeployError/DataProblem."""
        found = self.worker(key)
        if found is not None and found.proc.poll() is None:
            return found
        with self._restart:
            found = self.worker(key)
            if found is not None and found.proc.poll() is not None:
                self.stop(key)
                found = None
            doc = self.ctx.store.get(DEP_KIND, key)
            if found is not None or self.busy(key) or doc is None:
                return found
            if (doc.get("properties") or {}).get("provisioningState") != "Succeeded":
                return None
            worker = self._start_worker(key, fresh=False)
            return worker if self._pool.adopt(POOL_PREFIX + key, worker) else None

    def reconcile(self, key: str, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc``, failed first when it is left in progress by an earlier emulator process."""
        state = (doc.get("properties") or {}).get("provisioningState")
        if state not in ("Creating", "Updating") or self.busy(key):
            return doc
        run = self.ctx.store.get(RUNS, key)
        if run is None:
            return doc
        self._finish(key, str(run["op"]), ("DeploymentFailed", "The emulator restarted during the deployment."))
        return self.ctx.store.get(DEP_KIND, key) or doc

    # ---- the deployment thread ------------------------------------------------------------------

    def _run(self, key: str, op_id: str, fresh: bool) -> None:
        started = time.monotonic()
        error: tuple[str, str] | None = None
        try:
            worker = self._start_worker(key, fresh=fresh)
            rest = self.ctx.config.lro_delay - (time.monotonic() - started)
            if rest > 0:
                time.sleep(rest)
            doc = self.ctx.store.get(DEP_KIND, key)
            if doc is None or doc["properties"].get("provisioningState") == "Deleting":
                worker.stop()
                raise DeployError("The deployment was deleted during its deployment.")
            if not self._pool.adopt(POOL_PREFIX + key, worker):
                raise DeployError("The emulator is shutting down.")
        except DeployError as exc:
            error = (exc.code, exc.message)
        except job_data.DataProblem as exc:
            error = ("DeploymentFailed", str(exc))
        except Exception as exc:  # any failure of a deployment is reported, not raised
            log.exception("online deployment %s failed", key)
            error = ("DeploymentFailed", f"The deployment failed: {type(exc).__name__}.")
        try:
            if not self._pool.stopping:  # a stopped emulator records nothing more: the next one reconciles
                self._finish(key, op_id, error)
        except Exception:  # at shutdown the store may already be closed
            log.debug("online deployment %s: could not record the outcome", key, exc_info=True)
        finally:
            with self._lock:
                self._busy.discard(key.lower())

    def _start_worker(self, key: str, *, fresh: bool) -> Worker:
        doc = self.ctx.store.get(DEP_KIND, key)
        if doc is None:
            raise DeployError("The deployment was deleted during its deployment.")
        sub, rg, ws = key.split("/")[:3]
        ws_key = f"{sub}/{rg}/{ws}"
        ws_doc = self.ctx.store.get("workspaces", ws_key) or {}
        init_log = log_path(self.ctx, key, "StorageInitializer")
        if fresh:
            for container in LOG_TYPES:
                log_path(self.ctx, key, container).write_bytes(b"")

        def note(line: str) -> None:
            with init_log.open("a", encoding="utf-8") as fh:
                fh.write(f"{iso(time.time())} {line}\n")

        props = doc.get("properties") or {}
        root = Path(tempfile.mkdtemp(prefix="azureml-online-"))
        try:
            app, models = root / "app", root / "azureml-models"
            app.mkdir()
            models.mkdir()
            code = props.get("codeConfiguration")
            if not isinstance(code, dict):
                raise DeployError(
                    "The emulator runs deployments that have a codeConfiguration (codeId and a scoringScript with "
                    "init() and run()); no-code (MLflow) deployments need the service's inference server.",
                    "ScoringScriptRequired",
                )
            if code.get("codeId"):
                deployments_assets.fetch_code(self.ctx, ws_key, ws_doc, str(code["codeId"]), app, note)
            model_dir = models
            if props.get("model"):
                model_dir = deployments_assets.fetch_model(self.ctx, ws_key, ws_doc, str(props["model"]), models, note)
            rel = job_data.safe_relative(str(code.get("scoringScript") or ""))
            script = app.joinpath(*rel.parts) if rel is not None else None
            if script is None or not script.is_file():
                shown = ", ".join(sorted(p.relative_to(app).as_posix() for p in app.rglob("*") if p.is_file())[:10])
                raise DeployError(
                    f"The scoring script '{str(code.get('scoringScript'))[:200]}' is not in the code "
                    f"(it holds: {shown or 'no files'}).",
                    "ScoringScriptNotFound",
                )
            note(f"Starting the scoring script {rel}")
            env = props.get("environmentVariables") or {}
            worker = Worker(app, script, model_dir, log_path(self.ctx, key, "InferenceServer"), extra_env=env)
        except BaseException as exc:
            note(f"Failed: {exc}")
            shutil.rmtree(root, ignore_errors=True)
            raise
        started = threading.Event()
        watcher = threading.Thread(target=self._stop_at_shutdown, args=(worker, started), daemon=True)
        watcher.start()
        try:
            worker.wait_ready()
        except BaseException as exc:
            note(f"Failed: {exc}")
            worker.stop()
            raise
        finally:
            started.set()
        note("The scoring script's init() returned; the deployment is serving")
        return worker

    def _stop_at_shutdown(self, worker: Worker, started: threading.Event) -> None:
        """Stop a worker whose ``init()`` is still running when the emulator shuts down (the registry stops
        only the workers it holds)."""
        while not started.wait(0.2):
            if self._pool.stopping:
                worker.stop()
                return

    def _finish(self, key: str, op_id: str, error: tuple[str, str] | None) -> None:
        self.ctx.store.delete(RUNS, key)
        if error is not None:
            record = self.ctx.store.get(_records.OPS, op_id)
            if record is not None and record["status"] == "InProgress":
                record["internal"]["error"] = arm_error_body(*error)
                record["internal"]["errorStatus"] = 400
                self.ctx.store.put(_records.OPS, op_id, record)
            doc = self.ctx.store.get(DEP_KIND, key)
            if doc is not None and doc["properties"].get("provisioningState") != "Deleting":
                doc["properties"]["provisioningState"] = "Failed"
                self.ctx.store.put(DEP_KIND, key, doc)
        _records.settle(self.ctx, op_id)


_RUNTIMES: dict[int, Runtime] = {}
_LOCK = threading.Lock()


def runtime_of(ctx: Context) -> Runtime:
    """The runtime of ``ctx``'s emulator, created on first use."""
    with _LOCK:
        found = _RUNTIMES.get(id(ctx))
        if found is None or found.ctx is not ctx:
            found = _RUNTIMES[id(ctx)] = Runtime(ctx)
        return found
