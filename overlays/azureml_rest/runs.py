"""Runs: submit a project, wait for it (with its driver log), cancel, list, children, artifacts.

``ws.runs`` is a :class:`RunOperations` (or :class:`AsyncRunOperations` on an async workspace).

Submitting (facts §7, CONTRIBUTING.md "A duplicate client-chosen runId"):

- the run definition comes from typed arguments or the user's ``definition.json`` (:mod:`.definition`);
- the project folder is checked (script present, Azure ML's 300 MB / 2000-file limits) and zipped to a
  temporary file (:mod:`.snapshot`) before any request is made;
- the ``runId`` is chosen here (``{experiment}_{unix ms}_{8 hex}``, the article's form plus randomness), so the
  retry transport may repeat ``startrun`` (``retry.is_retry_safe``: startrun WITH runId) without starting two
  runs; when a repeat is answered 409 ``RunIdAlreadyExists`` the run is read back and its id returned (the
  first attempt landed);
- the zip is handed to the generated ``Runs_StartRun`` as an open file, so httpx streams it from disk.

Waiting: ``Runs_Get`` is polled every ``poll_interval`` (default 1 s), the interval growing by ``poll_backoff``
(default x1.5) up to ``max_poll_interval`` (default 10 s) and starting over at each status change, until the
run is Completed, Failed or Canceled. Unknown statuses are waited through. ``timeout`` counts only from the
moment the run leaves the queue (see :class:`_WaitClock`).
"""

from __future__ import annotations

import codecs
import fnmatch
import io
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, overload

import httpx
from azureml_execution_client.api.runs import runs_cancel_run_with_uri, runs_start_run
from azureml_execution_client.models.start_run_request import StartRunRequest
from azureml_execution_client.models.start_run_result import StartRunResult
from azureml_execution_client.types import File
from azureml_history_client.api.run_artifacts import run_artifacts_get_content_information, run_artifacts_list
from azureml_history_client.api.runs import runs_get, runs_get_by_query, runs_get_child, runs_get_details
from azureml_history_client.models.artifact import Artifact
from azureml_history_client.models.artifact_content_information import ArtifactContentInformation
from azureml_history_client.models.paginated_artifact_list import PaginatedArtifactList
from azureml_history_client.models.paginated_run_list import PaginatedRunList
from azureml_history_client.models.query_params import QueryParams
from azureml_history_client.models.run import Run
from azureml_history_client.models.run_details import RunDetails
from azureml_history_client.types import UNSET, Unset

from ._call import acall, call
from ._logging import get_logger
from .definition import (
    apply_overrides,
    build_definition,
    definition_bytes,
    definition_script,
    load_definition,
)
from .errors import (
    AzureMLError,
    ConflictError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    error_from_response,
)
from .paging import AsyncPager, Page, Pager
from .snapshot import MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_FILES, Snapshot, build_snapshot

if TYPE_CHECKING:
    from .workspace import AsyncWorkspace, Workspace

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_BACKOFF",
    "DEFAULT_POLL_INTERVAL",
    "DRIVER_LOG",
    "QUEUE_STATUSES",
    "TERMINAL_STATUSES",
    "AsyncRunOperations",
    "LogSink",
    "RunFailedError",
    "RunOperations",
    "new_run_id",
    "pick_driver_log",
    "progress_printer",
    "run_status",
]

_log = get_logger("runs")

#: First wait between two polls of a run, in seconds.
DEFAULT_POLL_INTERVAL = 1.0
#: Each wait is the previous one times this, up to DEFAULT_MAX_POLL_INTERVAL; it starts over on a status change.
DEFAULT_POLL_BACKOFF = 1.5
#: Longest wait between two polls, in seconds.
DEFAULT_MAX_POLL_INTERVAL = 10.0

#: A run in one of these will not change again (facts §6.2).
TERMINAL_STATUSES = frozenset({"Completed", "Failed", "Canceled"})
#: Terminal statuses that :meth:`RunOperations.wait` raises RunFailedError for.
FAILED_STATUSES = frozenset({"Failed", "Canceled"})
#: Before user code runs: accepted, getting a node ready, or waiting for one. Time here is not timed.
QUEUE_STATUSES = frozenset({"NotStarted", "Starting", "Provisioning", "Preparing", "Queued"})
#: The driver log's name in ``RunDetails.logFiles`` (CONTRIBUTING.md "Run logs").
DRIVER_LOG = "azureml-logs/70_driver_log.txt"
#: The spec's runId pattern (facts §7): a letter or digit, then up to 255 word characters or dashes.
RUN_ID_RE = re.compile(r"^[A-Za-z0-9][\w-]{0,255}$", re.ASCII)

#: A log sink: a callable receiving text chunks, or a text stream (``sys.stdout``, ``io.StringIO``).
LogSink = Callable[[str], object] | TextIO


class RunFailedError(OperationFailedError):
    """A run ended Failed or Canceled. ``run_id``, ``experiment``, ``status``, ``error_code`` and ``message``
    (the service's, from ``Run.error``), and ``run`` (the final generated ``Run``)."""

    def __init__(self, experiment: str, run_id: str, status: str, run: Run) -> None:
        code, message = _run_error(run)
        self.run_id = run_id
        self.experiment = experiment
        self.run = run
        super().__init__(f"run {run_id} (experiment {experiment})", status, error_code=code, message=message)


# --- small pure helpers ---------------------------------------------------------------------------------------


def new_run_id(experiment: str) -> str:
    """``{experiment}_{unix ms}_{8 hex}``: the article's ``{experiment}_{ms}`` plus 32 random bits, so two
    clients submitting in the same millisecond cannot collide. At most 256 characters (spec pattern)."""
    suffix = f"_{int(time.time() * 1000)}_{secrets.token_hex(4)}"
    prefix = experiment[: 256 - len(suffix)]
    candidate = prefix + suffix
    return candidate if RUN_ID_RE.match(candidate) else "run" + suffix


def _check_run_id(run_id: str) -> str:
    if not RUN_ID_RE.match(run_id):
        raise ValueError(
            f"run_id {run_id!r} is invalid: it must start with a letter or digit and hold only letters, digits, "
            "'_' and '-' (at most 256 characters)"
        )
    return run_id


def _value(v: Any) -> Any:
    return None if isinstance(v, Unset) else v


def run_status(run: Run | RunDetails) -> str:
    """The run's status as a plain string (``"Unknown"`` when the service sent none)."""
    status = _value(run.status)
    return str(status) if status else "Unknown"


def _run_error(run: Run | RunDetails) -> tuple[str | None, str | None]:
    err = _value(run.error)
    root = _value(getattr(err, "error", None)) if err is not None else None
    if root is None:
        return None, None
    code = _value(root.code)
    message = _value(root.message)
    return (str(code) if code else None), (str(message) if message else None)


def pick_driver_log(names: Sequence[str]) -> str | None:
    """``azureml-logs/70_driver_log.txt`` if present, else the first name matching ``*driver*log*``."""
    if DRIVER_LOG in names:
        return DRIVER_LOG
    matches = sorted(n for n in names if fnmatch.fnmatch(n.lower(), "*driver*log*"))
    return matches[0] if matches else None


def _log_files(details: RunDetails) -> dict[str, str]:
    files = _value(details.log_files)
    if files is None:
        return {}
    return {str(k): str(v) for k, v in files.additional_properties.items() if v}


def _seconds(value: float | timedelta | None) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def progress_printer(stream: TextIO | None = None, *, min_interval: float = 0.5) -> Callable[[int, int], None]:
    """An ``on_progress`` callback printing ``uploaded 12.0 of 40.0 MB (30%), 8.1 MB/s`` at most every
    ``min_interval`` seconds (default 0.5) and at the end, to ``stream`` (default ``sys.stderr``)."""
    out = stream or sys.stderr
    state = {"start": time.monotonic(), "last": 0.0}

    def report(sent: int, total: int) -> None:
        now = time.monotonic()
        if sent == 0 or sent < state.get("sent", 0):  # a new attempt (retry) starts the clock again
            state["start"] = now
        state["sent"] = sent
        if sent < total and now - state["last"] < min_interval:
            return
        state["last"] = now
        rate = sent / max(now - state["start"], 1e-6)
        pct = 100.0 * sent / total if total else 100.0
        mb = 1024 * 1024
        out.write(f"uploaded {sent / mb:.1f} of {total / mb:.1f} MB ({pct:.0f}%), {rate / mb:.1f} MB/s\n")
        out.flush()

    return report


class _UploadFile(io.FileIO):
    """The zip as the multipart part's file object: counts bytes read (= handed to httpx to send) for
    ``on_progress``, and counts attempts (every send reads the file again from offset 0, after httpx's
    ``seek(0)``)."""

    def __init__(self, path: Path, total: int, on_progress: Callable[[int, int], object] | None) -> None:
        super().__init__(path, "rb")
        self.total = total
        self.sent = 0
        self.attempts = 0
        self._on_progress = on_progress

    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() == 0:
            self.attempts += 1
            self.sent = 0
        data = super().read(size)
        if data:
            self.sent += len(data)
            if self._on_progress is not None:
                self._on_progress(self.sent, self.total)
        return data


class _WaitClock:
    """Status changes, backoff and the timeout of one wait.

    The timeout clock starts when the run leaves the queue: at the first status seen outside
    :data:`QUEUE_STATUSES`, or at the first status other than Queued seen after Queued (the emulator prepares
    after queueing, the service before). Time spent waiting for a node never counts.
    """

    def __init__(self, timeout: float | None, interval: float, backoff: float, max_interval: float) -> None:
        if interval <= 0 or backoff < 1 or max_interval < interval:
            raise ValueError("need poll_interval > 0, poll_backoff >= 1 and max_poll_interval >= poll_interval")
        self.timeout = timeout
        self.begin = time.monotonic()
        self.started_at: float | None = None
        self.last: str | None = None
        self.seen_queued = False
        self._first = interval
        self._interval = interval
        self._backoff = backoff
        self._max = max_interval

    def observe(self, status: str, now: float) -> bool:
        """Record a status; True when it differs from the previous one."""
        changed = status != self.last
        self.last = status
        if status == "Queued":
            self.seen_queued = True
        if self.started_at is None and (status not in QUEUE_STATUSES or (self.seen_queued and status != "Queued")):
            self.started_at = now
        if changed:
            self._interval = self._first
        return changed

    def elapsed(self, now: float) -> float:
        return now - self.begin

    def remaining(self, now: float) -> float | None:
        """Seconds left before the timeout (None = no timeout or the clock has not started)."""
        if self.timeout is None or self.started_at is None:
            return None
        return self.timeout - (now - self.started_at)

    def next_delay(self, now: float) -> float:
        delay = self._interval
        self._interval = min(self._interval * self._backoff, self._max)
        left = self.remaining(now)
        if left is not None:
            delay = min(delay, max(left, 0.0) + 0.01)
        return delay


class _LogFollower:
    """Where the driver log is and how much of it has been passed on; decodes UTF-8 across chunk edges."""

    def __init__(self, sink: LogSink) -> None:
        write = getattr(sink, "write", None)
        self._write: Callable[[str], object] = write if callable(write) else sink  # type: ignore[assignment]
        self._flush: Callable[[], object] | None = getattr(sink, "flush", None)
        self.url: str | None = None
        self.name: str | None = None
        self.offset = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def choose(self, files: Mapping[str, str]) -> None:
        # Keep following the log already started (its URL may have been renewed); else pick one.
        name = self.name if self.name is not None and self.name in files else pick_driver_log(list(files))
        if name is None or (self.name is not None and name != self.name):
            return
        self.name, self.url = name, files[name]

    def skip_for(self, response: httpx.Response) -> int | None:
        """Bytes of ``response`` to drop (already emitted), or None to ignore the answer."""
        if response.status_code == 206:
            match = re.match(r"bytes (\d+)-", response.headers.get("content-range", ""))
            start = int(match.group(1)) if match else self.offset
            return max(self.offset - start, 0)
        if response.status_code == 200:  # the server ignored Range: drop what was already passed on
            return self.offset
        return None

    def emit(self, data: bytes) -> None:
        self.offset += len(data)
        text = self._decoder.decode(data)
        if text:
            self._write(text)

    def finish(self) -> None:
        text = self._decoder.decode(b"", final=True)
        if text:
            self._write(text)
        if callable(self._flush):
            self._flush()


def _range_headers(offset: int) -> dict[str, str]:
    return {"Range": f"bytes={offset}-"} if offset else {}


def _prepare_definition(
    definition: str | os.PathLike[str] | Mapping[str, Any] | None,
    script: str | None,
    target: str | None,
    arguments: Sequence[str | int | float] | None,
    max_run_duration: float | timedelta | None,
) -> dict[str, Any]:
    seconds = _seconds(max_run_duration)
    duration = int(seconds) if seconds is not None else None
    if duration is not None and duration <= 0:
        raise ValueError("max_run_duration must be at least one second")
    if definition is None:
        if not script:
            raise ValueError("submit needs script=... (or a definition naming one)")
        if not target:
            raise ValueError("submit needs target=... (a compute name, or 'local'), or a definition naming one")
        return build_definition(
            script=script, target=target, arguments=tuple(arguments or ()), max_run_duration_seconds=duration
        )
    doc = apply_overrides(
        load_definition(definition),
        script=script,
        target=target,
        arguments=arguments,
        max_run_duration_seconds=duration,
    )
    definition_script(doc)  # fails early with a clear message when no script is named
    return doc


def _start_body(doc: Mapping[str, Any], payload: _UploadFile) -> StartRunRequest:
    return StartRunRequest(
        run_definition_file=File(
            payload=io.BytesIO(definition_bytes(doc)), file_name="definition.json", mime_type="application/json"
        ),
        project_zip_file=File(payload=payload, file_name="project.zip", mime_type="application/zip"),
    )


def _landed_earlier(exc: ConflictError, payload: _UploadFile) -> bool:
    """A 409 RunIdAlreadyExists after the body was sent more than once: our own earlier attempt landed."""
    return exc.error_code == "RunIdAlreadyExists" and payload.attempts > 1


def _query_body(token: str | None, filter_: str | None, order_by: str | None, top: int | None) -> QueryParams:
    body = QueryParams()
    if token:
        body.continuation_token = token
    if filter_:
        body.filter_ = filter_
    if order_by:
        body.order_by = order_by
    if top:
        body.top = top
    return body


def _run_page(result: PaginatedRunList) -> Page[Run]:
    return Page(list(_value(result.value) or []), _value(result.continuation_token), raw=result)


def _artifact_page(result: PaginatedArtifactList) -> Page[Artifact]:
    return Page(list(_value(result.value) or []), _value(result.continuation_token), raw=result)


def _content_uri(info: ArtifactContentInformation, path: str) -> str:
    uri = _value(info.content_uri)
    if not uri:
        raise AzureMLError(f"the service gave no content URL for artifact {path!r}")
    return str(uri)


def _dest_path(dest: str | os.PathLike[str], artifact_path: str) -> Path:
    target = Path(dest)
    if target.is_dir():
        target = target / artifact_path.rsplit("/", 1)[-1]
    return target


def _path_ids(ws: Workspace | AsyncWorkspace) -> tuple[Any, str, str]:
    # history and execution type subscriptionId as uuid (facts §5)
    return ws.subscription_uuid, ws.ids[1], ws.ids[2]


# --- sync -----------------------------------------------------------------------------------------------------


class RunOperations:
    """Run submission and monitoring for one workspace (``ws.runs``)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def __repr__(self) -> str:
        return f"RunOperations({self._ws!r})"

    # submit -------------------------------------------------------------------------------------------------

    def submit(
        self,
        experiment: str,
        source_dir: str | os.PathLike[str],
        *,
        script: str | None = None,
        target: str | None = None,
        arguments: Sequence[str | int | float] | None = None,
        definition: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        run_id: str | None = None,
        max_run_duration: float | timedelta | None = None,
        on_progress: Callable[[int, int], object] | None = None,
        max_snapshot_bytes: int = MAX_SNAPSHOT_BYTES,
        max_snapshot_files: int = MAX_SNAPSHOT_FILES,
    ) -> str:
        """Zip ``source_dir``, upload it with the run definition (``Runs_StartRun``) and return the run id.

        Without ``definition``, ``script`` and ``target`` are required and the definition is built from the
        typed arguments (:func:`~azureml_rest.definition.build_definition` defaults). With one (path to a JSON
        file, or a mapping; PascalCase or camelCase), the given ``script``/``target``/``arguments``/
        ``max_run_duration`` override the user's values. ``run_id`` defaults to :func:`new_run_id`.
        ``on_progress(sent, total)`` is called as the zip is read for sending (again from 0 on a retry).
        Raises :class:`~azureml_rest.snapshot.SnapshotError` subclasses before uploading anything.
        """
        doc = _prepare_definition(definition, script, target, arguments, max_run_duration)
        chosen = _check_run_id(run_id) if run_id else new_run_id(experiment)
        with build_snapshot(
            source_dir, script=definition_script(doc), max_bytes=max_snapshot_bytes, max_files=max_snapshot_files
        ) as snap:
            return self._start(experiment, chosen, doc, snap, on_progress)

    def _start(
        self,
        experiment: str,
        run_id: str,
        doc: Mapping[str, Any],
        snap: Snapshot,
        on_progress: Callable[[int, int], object] | None,
    ) -> str:
        client = self._ws.client("execution")
        with _UploadFile(snap.path, snap.size, on_progress) as payload:
            try:
                result = call(
                    StartRunResult,
                    runs_start_run.sync_detailed,
                    *_path_ids(self._ws),
                    experiment,
                    client=client,
                    body=_start_body(doc, payload),
                    run_id=run_id,
                )
            except ConflictError as exc:
                if not _landed_earlier(exc, payload):
                    raise
                try:
                    self.get(experiment, run_id)
                except NotFoundError:
                    raise exc from None
                _log.info("startrun: an earlier attempt for run %s landed; using it", run_id)
                return run_id
        return str(result.run_id)

    # read -------------------------------------------------------------------------------------------------

    def get(self, experiment: str, run_id: str) -> Run:
        """The run (``Runs_Get``)."""
        return call(
            Run, runs_get.sync_detailed, *_path_ids(self._ws), experiment, run_id, client=self._ws.client("history")
        )

    def details(self, experiment: str, run_id: str) -> RunDetails:
        """The run's details, with ``logFiles`` (``Runs_GetDetails``)."""
        return call(
            RunDetails,
            runs_get_details.sync_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=self._ws.client("history"),
        )

    def list(
        self, experiment: str, *, filter: str | None = None, order_by: str | None = None, top: int | None = None
    ) -> Pager[Run]:
        """The runs of an experiment, page by page (``POST runs:query`` with ``continuationToken``)."""

        def page(token: str | None) -> Page[Run]:
            result = call(
                PaginatedRunList,
                runs_get_by_query.sync_detailed,
                *_path_ids(self._ws),
                experiment,
                client=self._ws.client("history"),
                body=_query_body(token, filter, order_by, top),
            )
            return _run_page(result)

        return Pager(page, operation="Runs_GetByQuery")

    def children(self, experiment: str, run_id: str) -> Pager[Run]:
        """The child runs of a run (``Runs_GetChild``, ``$continuationToken`` paging)."""

        def page(token: str | None) -> Page[Run]:
            result = call(
                PaginatedRunList,
                runs_get_child.sync_detailed,
                *_path_ids(self._ws),
                experiment,
                run_id,
                client=self._ws.client("history"),
                continuation_token=token or UNSET,
            )
            return _run_page(result)

        return Pager(page, operation="Runs_GetChild")

    def cancel(self, experiment: str, run_id: str) -> str:
        """Ask the service to cancel the run (``Runs_CancelRunWithUri``); returns the run id.

        The run goes CancelRequested, then Canceled; :meth:`wait` follows it there.
        """
        result = call(
            StartRunResult,
            runs_cancel_run_with_uri.sync_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=self._ws.client("execution"),
        )
        return str(result.run_id)

    # artifacts --------------------------------------------------------------------------------------------

    def artifacts(self, experiment: str, run_id: str) -> Pager[Artifact]:
        """The run's artifacts (``RunArtifacts_List``, ``continuationToken`` paging)."""

        def page(token: str | None) -> Page[Artifact]:
            result = call(
                PaginatedArtifactList,
                run_artifacts_list.sync_detailed,
                *_path_ids(self._ws),
                experiment,
                run_id,
                client=self._ws.client("history"),
                continuation_token=token or UNSET,
            )
            return _artifact_page(result)

        return Pager(page, operation="RunArtifacts_List")

    @overload
    def download(self, experiment: str, run_id: str, path: str, dest: None = None) -> bytes: ...
    @overload
    def download(self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str]) -> Path: ...

    def download(
        self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str] | None = None
    ) -> bytes | Path:
        """One artifact: its bytes (``dest`` None; for small files), or streamed to ``dest`` (a file path, or a
        folder to put it in under its own name), returning the path. The content URL
        (``RunArtifacts_GetContentInformation``) is pre-authorized: it is fetched without Authorization."""
        info = call(
            ArtifactContentInformation,
            run_artifacts_get_content_information.sync_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=self._ws.client("history"),
            path=path,
        )
        url = _content_uri(info, path)
        content = self._ws.content_client()
        if dest is None:
            response = content.get(url)
            if response.status_code >= 400:
                raise error_from_response(response)
            return response.content
        target = _dest_path(dest, path)
        with content.stream("GET", url) as response:
            if response.status_code >= 400:
                response.read()
                raise error_from_response(response)
            _stream_to(target, response.iter_bytes())
        return target

    # wait -------------------------------------------------------------------------------------------------

    def wait(
        self,
        experiment: str,
        run_id: str,
        *,
        timeout: float | timedelta | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        poll_backoff: float = DEFAULT_POLL_BACKOFF,
        on_status: Callable[[str, float], object] | None = None,
        log_sink: LogSink | None = None,
        raise_on_failure: bool = True,
    ) -> Run:
        """Poll the run until Completed, Failed or Canceled and return it.

        ``on_status(status, seconds_since_wait_began)`` is called on every change. ``log_sink`` receives the
        driver log's new text as it grows, and the rest after the run ends. ``timeout`` (seconds, counted from
        when the run leaves the queue) raises :class:`OperationTimeoutError` naming the run and its last
        status; the run itself goes on. Failed/Canceled raise :class:`RunFailedError` unless
        ``raise_on_failure=False``. Polling defaults: module docstring.
        """
        clock = _WaitClock(_seconds(timeout), poll_interval, poll_backoff, max_poll_interval)
        follower = _LogFollower(log_sink) if log_sink is not None else None
        while True:
            run = self.get(experiment, run_id)
            status = run_status(run)
            now = time.monotonic()
            if clock.observe(status, now) and on_status is not None:
                on_status(status, clock.elapsed(now))
            if follower is not None:
                self._pump_log(experiment, run_id, follower)
            if status in TERMINAL_STATUSES:
                if follower is not None:
                    if follower.url is None:  # a run that ended before its log was listed
                        self._pump_log(experiment, run_id, follower)
                    follower.finish()
                break
            left = clock.remaining(time.monotonic())
            if left is not None and left <= 0:
                if follower is not None:
                    follower.finish()
                raise OperationTimeoutError(f"run {run_id} (experiment {experiment})", clock.timeout or 0.0, status)
            time.sleep(clock.next_delay(time.monotonic()))
        if raise_on_failure and status in FAILED_STATUSES:
            raise RunFailedError(experiment, run_id, status, run)
        return run

    def stream_logs(self, experiment: str, run_id: str, sink: LogSink, **wait_options: Any) -> Run:
        """Copy the driver log to ``sink`` until the run ends; returns the final run (no error on failure)."""
        wait_options.setdefault("raise_on_failure", False)
        return self.wait(experiment, run_id, log_sink=sink, **wait_options)

    def _pump_log(self, experiment: str, run_id: str, follower: _LogFollower) -> None:
        if follower.url is None:
            follower.choose(_log_files(self.details(experiment, run_id)))
            if follower.url is None:
                return
        try:
            with self._ws.content_client().stream("GET", follower.url, headers=_range_headers(follower.offset)) as r:
                skip = follower.skip_for(r)
                if skip is None:
                    _note_log_status(follower, r.status_code)
                    return
                for chunk in r.iter_bytes():
                    skip = _emit_after(follower, chunk, skip)
        except httpx.TransportError as exc:  # the wait matters more than the log: try again next poll
            _log.warning("reading the driver log of run %s failed (%s); will retry", run_id, type(exc).__name__)


def _emit_after(follower: _LogFollower, chunk: bytes, skip: int) -> int:
    if skip >= len(chunk):
        return skip - len(chunk)
    follower.emit(chunk[skip:])
    return 0


def _note_log_status(follower: _LogFollower, status: int) -> None:
    if status == 416:  # nothing past the offset yet
        return
    # 403/404: an expired pre-authorized URL or a log not written yet: look the URL up again next poll.
    _log.info("driver log answered %d; looking its URL up again", status)
    follower.url = None


def _stream_to(target: Path, chunks: Any) -> None:
    part = target.with_name(target.name + ".part")
    try:
        with part.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


# --- async ----------------------------------------------------------------------------------------------------


class AsyncRunOperations:
    """The async twin of :class:`RunOperations` (``ws.runs`` on an :class:`AsyncWorkspace`)."""

    def __init__(self, workspace: AsyncWorkspace) -> None:
        self._ws = workspace

    def __repr__(self) -> str:
        return f"AsyncRunOperations({self._ws!r})"

    async def submit(
        self,
        experiment: str,
        source_dir: str | os.PathLike[str],
        *,
        script: str | None = None,
        target: str | None = None,
        arguments: Sequence[str | int | float] | None = None,
        definition: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        run_id: str | None = None,
        max_run_duration: float | timedelta | None = None,
        on_progress: Callable[[int, int], object] | None = None,
        max_snapshot_bytes: int = MAX_SNAPSHOT_BYTES,
        max_snapshot_files: int = MAX_SNAPSHOT_FILES,
    ) -> str:
        """Async twin of :meth:`RunOperations.submit` (the zip is built in a worker thread)."""
        import anyio.to_thread

        doc = _prepare_definition(definition, script, target, arguments, max_run_duration)
        chosen = _check_run_id(run_id) if run_id else new_run_id(experiment)

        def build() -> Snapshot:
            return build_snapshot(
                source_dir, script=definition_script(doc), max_bytes=max_snapshot_bytes, max_files=max_snapshot_files
            )

        snap = await anyio.to_thread.run_sync(build)
        with snap:
            return await self._start(experiment, chosen, doc, snap, on_progress)

    async def _start(
        self,
        experiment: str,
        run_id: str,
        doc: Mapping[str, Any],
        snap: Snapshot,
        on_progress: Callable[[int, int], object] | None,
    ) -> str:
        client = await self._ws.aclient("execution")
        with _UploadFile(snap.path, snap.size, on_progress) as payload:
            try:
                result = await acall(
                    StartRunResult,
                    runs_start_run.asyncio_detailed,
                    *_path_ids(self._ws),
                    experiment,
                    client=client,
                    body=_start_body(doc, payload),
                    run_id=run_id,
                )
            except ConflictError as exc:
                if not _landed_earlier(exc, payload):
                    raise
                try:
                    await self.get(experiment, run_id)
                except NotFoundError:
                    raise exc from None
                _log.info("startrun: an earlier attempt for run %s landed; using it", run_id)
                return run_id
        return str(result.run_id)

    async def get(self, experiment: str, run_id: str) -> Run:
        """The run (``Runs_Get``)."""
        return await acall(
            Run,
            runs_get.asyncio_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=await self._ws.aclient("history"),
        )

    async def details(self, experiment: str, run_id: str) -> RunDetails:
        """The run's details, with ``logFiles`` (``Runs_GetDetails``)."""
        return await acall(
            RunDetails,
            runs_get_details.asyncio_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=await self._ws.aclient("history"),
        )

    def list(
        self, experiment: str, *, filter: str | None = None, order_by: str | None = None, top: int | None = None
    ) -> AsyncPager[Run]:
        """The runs of an experiment (``POST runs:query``), lazily."""

        async def page(token: str | None) -> Page[Run]:
            result = await acall(
                PaginatedRunList,
                runs_get_by_query.asyncio_detailed,
                *_path_ids(self._ws),
                experiment,
                client=await self._ws.aclient("history"),
                body=_query_body(token, filter, order_by, top),
            )
            return _run_page(result)

        return AsyncPager(page, operation="Runs_GetByQuery")

    def children(self, experiment: str, run_id: str) -> AsyncPager[Run]:
        """The child runs of a run (``Runs_GetChild``)."""

        async def page(token: str | None) -> Page[Run]:
            result = await acall(
                PaginatedRunList,
                runs_get_child.asyncio_detailed,
                *_path_ids(self._ws),
                experiment,
                run_id,
                client=await self._ws.aclient("history"),
                continuation_token=token or UNSET,
            )
            return _run_page(result)

        return AsyncPager(page, operation="Runs_GetChild")

    async def cancel(self, experiment: str, run_id: str) -> str:
        """Ask the service to cancel the run; returns the run id."""
        result = await acall(
            StartRunResult,
            runs_cancel_run_with_uri.asyncio_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=await self._ws.aclient("execution"),
        )
        return str(result.run_id)

    def artifacts(self, experiment: str, run_id: str) -> AsyncPager[Artifact]:
        """The run's artifacts (``RunArtifacts_List``)."""

        async def page(token: str | None) -> Page[Artifact]:
            result = await acall(
                PaginatedArtifactList,
                run_artifacts_list.asyncio_detailed,
                *_path_ids(self._ws),
                experiment,
                run_id,
                client=await self._ws.aclient("history"),
                continuation_token=token or UNSET,
            )
            return _artifact_page(result)

        return AsyncPager(page, operation="RunArtifacts_List")

    @overload
    async def download(self, experiment: str, run_id: str, path: str, dest: None = None) -> bytes: ...
    @overload
    async def download(self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str]) -> Path: ...

    async def download(
        self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str] | None = None
    ) -> bytes | Path:
        """Async twin of :meth:`RunOperations.download`."""
        info = await acall(
            ArtifactContentInformation,
            run_artifacts_get_content_information.asyncio_detailed,
            *_path_ids(self._ws),
            experiment,
            run_id,
            client=await self._ws.aclient("history"),
            path=path,
        )
        url = _content_uri(info, path)
        content = self._ws.content_client()
        if dest is None:
            response = await content.get(url)
            if response.status_code >= 400:
                raise error_from_response(response)
            return response.content
        target = _dest_path(dest, path)
        part = target.with_name(target.name + ".part")
        try:
            async with content.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise error_from_response(response)
                with part.open("wb") as out:
                    async for chunk in response.aiter_bytes():
                        out.write(chunk)
            part.replace(target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return target

    async def wait(
        self,
        experiment: str,
        run_id: str,
        *,
        timeout: float | timedelta | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        poll_backoff: float = DEFAULT_POLL_BACKOFF,
        on_status: Callable[[str, float], object] | None = None,
        log_sink: LogSink | None = None,
        raise_on_failure: bool = True,
    ) -> Run:
        """Async twin of :meth:`RunOperations.wait` (same defaults and errors)."""
        import anyio

        clock = _WaitClock(_seconds(timeout), poll_interval, poll_backoff, max_poll_interval)
        follower = _LogFollower(log_sink) if log_sink is not None else None
        while True:
            run = await self.get(experiment, run_id)
            status = run_status(run)
            now = time.monotonic()
            if clock.observe(status, now) and on_status is not None:
                on_status(status, clock.elapsed(now))
            if follower is not None:
                await self._pump_log(experiment, run_id, follower)
            if status in TERMINAL_STATUSES:
                if follower is not None:
                    if follower.url is None:
                        await self._pump_log(experiment, run_id, follower)
                    follower.finish()
                break
            left = clock.remaining(time.monotonic())
            if left is not None and left <= 0:
                if follower is not None:
                    follower.finish()
                raise OperationTimeoutError(f"run {run_id} (experiment {experiment})", clock.timeout or 0.0, status)
            await anyio.sleep(clock.next_delay(time.monotonic()))
        if raise_on_failure and status in FAILED_STATUSES:
            raise RunFailedError(experiment, run_id, status, run)
        return run

    async def stream_logs(self, experiment: str, run_id: str, sink: LogSink, **wait_options: Any) -> Run:
        """Async twin of :meth:`RunOperations.stream_logs`."""
        wait_options.setdefault("raise_on_failure", False)
        return await self.wait(experiment, run_id, log_sink=sink, **wait_options)

    async def _pump_log(self, experiment: str, run_id: str, follower: _LogFollower) -> None:
        if follower.url is None:
            follower.choose(_log_files(await self.details(experiment, run_id)))
            if follower.url is None:
                return
        try:
            async with self._ws.content_client().stream(
                "GET", follower.url, headers=_range_headers(follower.offset)
            ) as r:
                skip = follower.skip_for(r)
                if skip is None:
                    _note_log_status(follower, r.status_code)
                    return
                async for chunk in r.aiter_bytes():
                    skip = _emit_after(follower, chunk, skip)
        except httpx.TransportError as exc:
            _log.warning("reading the driver log of run %s failed (%s); will retry", run_id, type(exc).__name__)
