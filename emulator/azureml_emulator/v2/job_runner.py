"""Running a v2 command job on the v1 run supervisor (``dataplane/runner.py``): its node queue, process
supervision, cancel and run-history statuses, with this module's :class:`CommandJob` as the ``Job.execute``.

Statuses (run history, which ``properties.status`` of the job reads): NotStarted -> Queued (a node of the job's
compute: ``maxNodeCount`` jobs at a time) -> Preparing (code and inputs fetched from the blob store) -> Starting ->
Running -> Finalizing (outputs stored) -> Completed / Failed / Canceled.

The command runs under ``/bin/sh -c`` in the code folder, with ``python``/``python3`` on ``PATH`` being the
emulator's own interpreter: the job's environment image is recorded, never pulled or used. ``${{inputs.x}}`` become
local paths (``literal`` inputs their value), ``${{outputs.y}}`` empty local folders that are stored at the output's
URI afterwards; ``./outputs`` of the code folder and the log ``user_logs/std_log.txt`` go to the artifact store
under ``ExperimentRun/dcid.{job}/``, where azure-ai-ml's ``jobs.stream``/``jobs.download`` look. The log is
copied to its blob while the job runs (every :data:`LOG_SYNC` seconds) and once more at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..context import Context
from ..dataplane import records
from ..dataplane.runner import CANCELED_LINE, Job, RunManager
from . import job_data, jobs_body
from .job_data import DataProblem, Location

LOG_NAME = "user_logs/std_log.txt"
LOG_SYNC = 0.5  # seconds between copies of the growing log to its blob
CODE_VERSIONS = "v2:codes:versions"  # v2/codes.py's store kind for versions (keys ``sub/rg/ws/name/version``)


def artifact_root(ws_doc: Mapping[str, Any], name: str) -> Location:
    """``ExperimentRun/dcid.{name}`` in the workspace's artifact store (the job's ``default`` output)."""
    return Location(job_data.workspace_account(ws_doc), job_data.ARTIFACT_CONTAINER, f"ExperimentRun/dcid.{name}")


def log_location(ws_doc: Mapping[str, Any], name: str) -> Location:
    """Where the job's ``user_logs/std_log.txt`` is stored."""
    return artifact_root(ws_doc, name).child(LOG_NAME)


@dataclass
class CommandJob:
    """One command job's plan; :meth:`__call__` is its ``Job.execute``."""

    ctx: Context
    manager: RunManager
    ws_key: str
    ws_doc: dict[str, Any]
    name: str
    props: dict[str, Any]  # the stored properties (jobs_body.read + output uris)
    #: The background log copier and its stop signal (started by :meth:`__call__`, stopped by :meth:`_end`).
    _pump_stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _pump: threading.Thread | None = field(default=None, init=False, repr=False)

    def __call__(self, job: Job, workdir: Path) -> None:
        self._pump_stop = threading.Event()
        self._pump = threading.Thread(target=self._pump_log, args=(job,), name=f"log-{self.name}", daemon=True)
        self._pump.start()
        try:
            self._execute(job, workdir)  # every return goes through _end (the last log copy, then the status)
        except BaseException:
            self._stop_pump()
            self._sync_log(job)  # before the run supervisor records the failure
            raise
        finally:
            self._stop_pump()

    # ---- steps ----------------------------------------------------------------------------------

    def _execute(self, job: Job, workdir: Path) -> None:
        m = self.manager
        m.status(job, "Preparing")
        code = workdir / "code"
        try:
            self._fetch_code(code)
            values = self._inputs(workdir / "inputs")
            outputs = self._outputs(workdir / "outputs")
        except DataProblem as exc:
            m.log(job, str(exc))
            self._end(job, "Failed", records.run_error("UserError", str(exc)))
            return
        values.update({("outputs", n): str(p) for n, p in outputs.items()})
        command = substitute(str(self.props["command"]), values)
        if job.cancel.is_set():
            m.log(job, CANCELED_LINE)  # copied to the blob by _end, before the status
            self._end(job, "Canceled")
            return
        m.status(job, "Starting")
        env = m.environment(job)
        env.update({f"AZURE_ML_INPUT_{n}": v for (g, n), v in values.items() if g == "inputs"})
        env.update({f"AZURE_ML_OUTPUT_{n}": str(p) for n, p in outputs.items()})
        env["PATH"] = str(_python_shims(workdir / ".bin")) + os.pathsep + env.get("PATH", "")
        m.status(job, "Running")
        with self.ctx.store.blob_path(job.log_blob).open("ab") as log:
            job.proc = subprocess.Popen(  # the job's own command, in its own session
                ["/bin/sh", "-c", command] if os.name != "nt" else ["cmd", "/c", command],
                cwd=code,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        outcome = m.wait(job)
        if outcome == "canceled":
            m.log(job, CANCELED_LINE)
            self._end(job, "Canceled")
            return
        if outcome == "timeout":
            message = f"The job exceeded its limits.timeout of {job.max_duration:g} seconds and was terminated."
            m.log(job, message)
            self._end(job, "Failed", records.run_error("JobTimeout", message))
            return
        m.status(job, "Finalizing")
        try:
            job_data.upload_tree(self.ctx, code / "outputs", artifact_root(self.ws_doc, self.name).child("outputs"))
            for name, path in outputs.items():
                self._store_output(name, path)
        except DataProblem as exc:
            m.log(job, str(exc))
            self._end(job, "Failed", records.run_error("UserError", str(exc)))
            return
        code_ = job.proc.returncode
        if code_ == 0:
            self._end(job, "Completed")
        else:
            self._end(
                job,
                "Failed",
                records.run_error("UserError", f"The command exited with code {code_}. See {LOG_NAME} for details."),
            )

    def _fetch_code(self, dest: Path) -> None:
        dest.mkdir(parents=True)
        code_id = self.props.get("codeId")
        if not code_id:
            return
        doc = self.ctx.store.get(CODE_VERSIONS, _code_key(code_id))
        uri = ((doc or {}).get("properties") or {}).get("codeUri")
        if not isinstance(uri, str) or not uri:
            raise DataProblem(f"The code '{code_id[:300]}' was not found or has no codeUri.")
        job_data.download(self.ctx, job_data.resolve(self.ctx, self.ws_key, self.ws_doc, uri), dest)

    def _inputs(self, root: Path) -> dict[tuple[str, str], str]:
        values: dict[tuple[str, str], str] = {}
        for name, spec in (self.props.get("inputs") or {}).items():
            if spec["jobInputType"] == "literal":
                values[("inputs", name)] = str(spec["value"])
                continue
            where = job_data.resolve(self.ctx, self.ws_key, self.ws_doc, str(spec["uri"]))
            single = spec["jobInputType"] == "uri_file"
            values[("inputs", name)] = str(job_data.download(self.ctx, where, root / name, single=single))
        return values

    def _outputs(self, root: Path) -> dict[str, Path]:
        paths: dict[str, Path] = {}
        for name, spec in (self.props.get("outputs") or {}).items():
            if name == "default":
                continue
            folder = root / name
            folder.mkdir(parents=True)
            if spec["jobOutputType"] == "uri_file":
                leaf = str(spec.get("uri") or name).rstrip("/").rsplit("/", 1)[-1]
                paths[name] = folder / (job_data.safe_relative(leaf) or Path(name)).name
            else:
                paths[name] = folder
        return paths

    def _store_output(self, name: str, path: Path) -> None:
        spec = self.props["outputs"][name]
        where = job_data.resolve(self.ctx, self.ws_key, self.ws_doc, str(spec["uri"]))
        if path.is_dir():
            job_data.upload_tree(self.ctx, path, where)
        elif path.is_file() and not path.is_symlink():
            job_data.upload_file(self.ctx, path, where)

    def _end(self, job: Job, status: str, error: dict[str, Any] | None = None) -> None:
        """A terminal status, set only once the log's blob holds everything written to the log: a client that
        sees the job end reads its whole log. The copier is stopped first, so no older copy of its can land
        after the last one."""
        self._stop_pump()
        self._sync_log(job)
        self.manager.status(job, status, error)

    # ---- the log --------------------------------------------------------------------------------

    def _pump_log(self, job: Job) -> None:
        while not self._pump_stop.wait(LOG_SYNC):
            self._sync_log(job)

    def _stop_pump(self) -> None:
        self._pump_stop.set()
        if self._pump is not None:
            self._pump.join(timeout=5)

    def _sync_log(self, job: Job) -> None:
        path = self.ctx.store.blob_path(job.log_blob)
        if not path.is_file() or self.manager.stopping:
            return
        try:
            job_data.upload_file(self.ctx, path, log_location(self.ws_doc, self.name), "text/plain; charset=utf-8")
        except Exception:  # (a log copy must never fail the job; the next copy retries)
            return


def substitute(command: str, values: Mapping[tuple[str, str], str]) -> str:
    """``command`` with ``${{inputs.x}}``/``${{outputs.y}}`` replaced; a ``$[[...]]`` part is kept (without the
    brackets) when every input it references has a value, else dropped."""

    def optional(match: Any) -> str:
        inner = str(match.group(1))
        refs = jobs_body.references(inner)
        return inner if all(r in values for r in refs) else ""

    text = jobs_body.OPTIONAL.sub(optional, command)
    return jobs_body.REFERENCE.sub(lambda m: values.get((m.group(1), m.group(2)), m.group(0)), text)


def _code_key(code_id: str) -> str:
    """``sub/rg/ws/name/version`` of a code version ARM id (``.../workspaces/{ws}/codes/{n}/versions/{v}``)."""
    segs = [s for s in code_id.split("/") if s]
    low = [s.lower() for s in segs]
    try:
        at = low.index("workspaces")
        if low[at + 2] != "codes" or low[at + 4] != "versions":
            raise ValueError
        return "/".join((segs[1], segs[3], segs[at + 1], segs[at + 3], segs[at + 5]))
    except (ValueError, IndexError):
        return ""


def _python_shims(folder: Path) -> Path:
    """A folder whose ``python`` and ``python3`` are the emulator's interpreter."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("python", "python3"):
        link = folder / name
        if not link.exists():
            try:
                link.symlink_to(sys.executable)
            except OSError:  # pragma: no cover - no symlinks (Windows without privilege)
                pass
    return folder
