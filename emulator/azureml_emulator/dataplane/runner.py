"""Really run submitted projects: one thread per run, the entry script under ``sys.executable``.

Statuses: Queued (waiting for a free node of the target compute; node count = the compute's
``properties.properties.scaleSettings.maxNodeCount``, default 1; target ``local`` never waits) →
Preparing (safe extraction of the snapshot) → Running → Finalizing (``./outputs/`` becomes run
artifacts) → Completed (exit 0) / Failed (non-zero exit or MaxRunDurationSeconds exceeded) / Canceled.
stdout and stderr go to the driver log blob as they are written.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..context import Context
from . import records
from .safezip import ZipProblem, extract, remove_tree

LOG_NAME = "azureml-logs/70_driver_log.txt"
MAX_OUTPUT_FILES = 10_000
#: The ``[emulator]`` log line of a canceled run (v2 command jobs write it too).
CANCELED_LINE = "run canceled"
_POLL = 0.05  # seconds between checks of a running process (cancel, time limit)
# Environment variables of the emulator that a user script must not inherit.
_SECRET_MARKERS = ("SECRET", "PASSWORD", "TOKEN", "CREDENTIAL")
# Runs the script, then flushes azureml-core's run context as Azure ML's run wrapper does (its docstring).
BOOTSTRAP = Path(__file__).with_name("run_bootstrap.py")


def node_count(compute: dict[str, Any] | None) -> int:
    """Nodes of a compute: ``properties.properties.scaleSettings.maxNodeCount`` (default 1)."""
    try:
        props = (compute or {}).get("properties") or {}
        inner = props.get("properties") or {}
        value = int((inner.get("scaleSettings") or {}).get("maxNodeCount", 1))
    except (TypeError, ValueError, AttributeError):
        return 1
    return max(value, 1)


@dataclass
class Job:
    """One submitted run. ``compute_key`` None = the ``local`` target (never queued)."""

    ws_key: str
    subscription_id: str
    resource_group: str
    workspace: str
    experiment: str
    run_id: str
    script: str
    arguments: list[str]
    max_duration: float | None
    environment_variables: dict[str, str]
    snapshot_blob: str
    log_blob: str
    blob_prefix: str
    compute_key: str | None
    cancel: threading.Event = field(default_factory=threading.Event)
    proc: subprocess.Popen[bytes] | None = None
    #: How to run the job once it holds a node (in a fresh work directory); None = a v1 project snapshot.
    #: Other job kinds (v2 command jobs) pass their own and use the manager's public helpers below.
    execute: Callable[[Job, Path], None] | None = None
    #: The definition's ``interpreterPath`` (user-managed dependencies); None = the emulator's interpreter.
    interpreter: str | None = None
    #: The run context a run on Azure ML gets in its environment (run token, ids, discovery URL), read by
    #: azureml-core's ``Run.get_context()`` (azureml/core/run.py ``_load_scope``).
    context_environment: dict[str, str] = field(default_factory=dict)


class RunManager:
    """Schedules and supervises run processes of one emulator."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._cond = threading.Condition()
        self._busy: dict[str, int] = {}
        self._waiting: dict[str, list[Job]] = {}
        self._jobs: dict[str, Job] = {}
        self._stopping = False
        self._threads: list[threading.Thread] = []

    # ---- public API -----------------------------------------------------------------------------

    def submit(self, job: Job) -> None:
        """Start supervising ``job`` in its own daemon thread."""
        with self._cond:
            self._jobs[f"{job.ws_key}/{job.run_id}".lower()] = job
        thread = threading.Thread(target=self._guarded, args=(job,), name=f"run-{job.run_id}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def cancel(self, ws_key: str, run_id: str) -> bool:
        """Ask a live run to stop; False when no process supervises it."""
        with self._cond:
            job = self._jobs.get(f"{ws_key}/{run_id}".lower())
            if job is None:
                return False
            job.cancel.set()
            self._cond.notify_all()
            return True

    def shutdown(self) -> None:
        """Kill every run process (on emulator shutdown)."""
        with self._cond:
            self._stopping = True
            jobs = list(self._jobs.values())
            self._cond.notify_all()
        for job in jobs:
            job.cancel.set()
            _kill(job.proc)
        deadline = time.monotonic() + 10
        for thread in self._threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.1))

    # ---- for the executors of other job kinds (Job.execute) --------------------------------------

    @property
    def stopping(self) -> bool:
        """True once the emulator shuts down (the store may be closed: write nothing more)."""
        return self._stopping

    def status(self, job: Job, status: str, error: dict[str, Any] | None = None) -> None:
        """Move the job's run to ``status`` (ignored while the emulator shuts down)."""
        self._status(job, status, error)

    def log(self, job: Job, line: str) -> None:
        """Append an ``[emulator]`` line to the job's log file."""
        self._log(job, line)

    def wait(self, job: Job) -> str:
        """Supervise ``job.proc``: "exited", "canceled" or "timeout" (the process is killed for the last two)."""
        return self._wait(job)

    def environment(self, job: Job) -> dict[str, str]:
        """The process environment: the emulator's minus its secrets, the job's variables, the run context."""
        return self._environment(job)

    def recover(self) -> None:
        """Mark runs left non-terminal by an earlier emulator process as Failed."""
        for doc in self._ctx.store.list("dp:runs"):
            status = str(doc.get("status") or "")
            if status in records.TERMINAL:
                continue
            key = str(doc.get("_ws") or "")
            if not key:
                continue
            records.set_status(
                self._ctx,
                key,
                str(doc["runId"]),
                "Failed",
                error=records.run_error(
                    "ServiceError", f"The emulator restarted while the run was {status or 'unknown'}."
                ),
            )

    # ---- the run thread -------------------------------------------------------------------------

    def _capacity(self, compute_key: str) -> int:
        return node_count(self._ctx.store.get("computes", compute_key))

    def _acquire(self, job: Job) -> bool:
        """Wait for a node of the job's compute; False if canceled while waiting."""
        ck = job.compute_key
        if ck is None:
            return not job.cancel.is_set()
        ck = ck.lower()
        with self._cond:
            queue = self._waiting.setdefault(ck, [])
            queue.append(job)
            try:
                while True:
                    if job.cancel.is_set() or self._stopping:
                        return False
                    if queue[0] is job and self._busy.get(ck, 0) < self._capacity(ck):
                        self._busy[ck] = self._busy.get(ck, 0) + 1
                        return True
                    self._cond.wait(0.5)
            finally:
                queue.remove(job)
                self._cond.notify_all()

    def _release(self, job: Job) -> None:
        with self._cond:
            if job.compute_key is not None:
                ck = job.compute_key.lower()
                self._busy[ck] = max(self._busy.get(ck, 1) - 1, 0)
            self._jobs.pop(f"{job.ws_key}/{job.run_id}".lower(), None)
            self._cond.notify_all()

    def _status(self, job: Job, status: str, error: dict[str, Any] | None = None) -> None:
        # While the emulator shuts down the store may already be closed; the next start's recover()
        # marks the run Failed ("emulator restarted") instead.
        if self._stopping:
            return
        records.set_status(self._ctx, job.ws_key, job.run_id, status, error=error)

    def _log(self, job: Job, line: str) -> None:
        with self._ctx.store.blob_path(job.log_blob).open("a", encoding="utf-8") as fh:
            fh.write(f"[emulator] {line}\n")

    def _guarded(self, job: Job) -> None:
        try:
            self._run(job)
        except Exception:
            if not self._stopping:  # at shutdown the store may be closed under us; nothing to report
                raise

    def _run(self, job: Job) -> None:
        self._status(job, "Queued")
        if not self._acquire(job):
            self._finish_canceled(job)
            with self._cond:
                self._jobs.pop(f"{job.ws_key}/{job.run_id}".lower(), None)
            return
        workdir = Path(tempfile.mkdtemp(prefix="azureml-run-"))
        try:
            (job.execute or self._execute)(job, workdir)
        except Exception as exc:  # the supervisor must never die silently: fail the run instead
            self._status(
                job,
                "Failed",
                records.run_error("ServiceError", f"The emulator could not run the job: {type(exc).__name__}"),
            )
        finally:
            _kill(job.proc)
            remove_tree(workdir)
            self._release(job)

    def _finish_canceled(self, job: Job) -> None:
        self._log(job, CANCELED_LINE)
        self._status(job, "Canceled")

    def _execute(self, job: Job, workdir: Path) -> None:
        self._status(job, "Preparing")
        project = workdir / "project"
        try:
            extract(self._ctx.store.blob_path(job.snapshot_blob), project, self._ctx.config.max_upload_bytes)
        except ZipProblem as exc:
            self._status(job, "Failed", records.run_error("UserError", exc.message))
            return
        script = project / job.script
        if not script.is_file():
            self._status(job, "Failed", records.run_error("UserError", f"Script '{job.script}' is not in the project."))
            return
        if job.cancel.is_set():
            self._finish_canceled(job)
            return
        self._status(job, "Running")
        log_path = self._ctx.store.blob_path(job.log_blob)
        interpreter = job.interpreter or sys.executable
        with log_path.open("ab") as log:
            try:
                job.proc = subprocess.Popen(
                    [interpreter, str(BOOTSTRAP), str(script), *job.arguments],
                    cwd=project,
                    env=self._environment(job),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                message = f"The interpreter '{interpreter}' could not be started: {exc.strerror or exc}."
                self._status(job, "Failed", records.run_error("UserError", message))
                return
        outcome = self._wait(job)
        if outcome == "canceled":
            self._finish_canceled(job)
            return
        if outcome == "timeout":
            message = f"The run exceeded MaxRunDurationSeconds={job.max_duration:g} and was terminated."
            self._log(job, message)
            self._status(job, "Failed", records.run_error("RunTimeout", message))
            return
        code = job.proc.returncode
        self._status(job, "Finalizing")
        self._collect_outputs(job, project / "outputs")
        if code == 0:
            self._status(job, "Completed")
        else:
            self._status(
                job,
                "Failed",
                records.run_error(
                    "UserError",
                    f"User script '{job.script}' failed with exit code {code}. See {LOG_NAME} for details.",
                ),
            )

    def _wait(self, job: Job) -> str:
        """Wait for the process; returns "exited", "canceled" or "timeout"."""
        proc = job.proc
        assert proc is not None
        deadline = None if job.max_duration is None else time.monotonic() + job.max_duration
        while proc.poll() is None:
            if job.cancel.wait(_POLL):
                _kill(proc)
                return "canceled"
            if deadline is not None and time.monotonic() > deadline:
                _kill(proc)
                return "timeout"
        return "exited"

    def _environment(self, job: Job) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.upper().startswith("AZUREML_EMULATOR") and not any(m in k.upper() for m in _SECRET_MARKERS)
        }
        env.update(job.environment_variables)
        env.update(job.context_environment)
        env.update(
            {
                "AZUREML_RUN_ID": job.run_id,
                "AZUREML_EXPERIMENT_NAME": job.experiment,
                "AZUREML_ARM_SUBSCRIPTION": job.subscription_id,
                "AZUREML_ARM_RESOURCEGROUP": job.resource_group,
                "AZUREML_ARM_WORKSPACE_NAME": job.workspace,
                "AZUREML_ARM_PROJECT_NAME": job.experiment,
                "AZUREML_SERVICE_ENDPOINT": self._ctx.base_url,
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def _collect_outputs(self, job: Job, outputs: Path) -> None:
        """Upload every regular file under ``outputs/`` as artifact ``outputs/<path>``."""
        if not outputs.is_dir() or outputs.is_symlink():
            return
        count = 0
        for dirpath, dirnames, filenames in os.walk(outputs, followlinks=False):
            for name in sorted(filenames):
                src = Path(dirpath) / name
                if src.is_symlink() or not src.is_file():
                    continue
                count += 1
                if count > MAX_OUTPUT_FILES:
                    self._log(job, f"more than {MAX_OUTPUT_FILES} output files; the rest were not uploaded")
                    return
                rel = src.relative_to(outputs).as_posix()
                blob = f"{job.blob_prefix}/outputs/{uuid.uuid4().hex}"
                shutil.copyfile(src, self._ctx.store.blob_path(blob))
                records.add_artifact(self._ctx, job.ws_key, job.run_id, f"outputs/{rel}", blob)
            dirnames.sort()


def _kill(proc: subprocess.Popen[bytes] | None) -> None:
    """Kill a run process and its children (it leads its own session)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass
