"""Submitting a run: zip the project, ``Runs_StartRun`` with the definition, a landed retry read back.

The decisions (run id, definition, body, upload file) are in :mod:`azureml_rest.run_submission`.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs.submit(...)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Protocol

from azureml_execution_client.api.runs import runs_start_run
from azureml_execution_client.models.start_run_result import StartRunResult
from azureml_history_client.models.run import Run

from .._call import acall
from .._logging import get_logger
from ..definition import definition_script
from ..errors import ConflictError, NotFoundError
from ..operations._common import arun_blocking, data_plane_ids
from ..run_submission import UploadFile, check_run_id, new_run_id, prepare_definition, start_body
from ..snapshot import Snapshot, build_snapshot

__all__ = ["submit_run"]

_log = get_logger("runs")


class _RunGetter(Protocol):
    async def get(self, experiment: str, run_id: str) -> Run: ...


async def submit_run(
    ws: Any,
    runs: _RunGetter,
    experiment: str,
    source_dir: str | os.PathLike[str],
    *,
    script: str | None,
    target: str | None,
    arguments: Sequence[str | int | float] | None,
    definition: str | os.PathLike[str] | Mapping[str, Any] | None,
    run_id: str | None,
    max_run_duration: float | timedelta | None,
    on_progress: Callable[[int, int], object] | None,
    max_snapshot_bytes: int,
    max_snapshot_files: int,
) -> str:
    """What ``RunOperations.submit`` does (its docstring holds the contract). The zip is built before any
    request, in a worker thread on the async side."""
    doc = prepare_definition(definition, script, target, arguments, max_run_duration)
    chosen = check_run_id(run_id) if run_id else new_run_id(experiment)

    def build() -> Snapshot:
        return build_snapshot(
            source_dir, script=definition_script(doc), max_bytes=max_snapshot_bytes, max_files=max_snapshot_files
        )

    with await arun_blocking(build) as snap:
        return await _start(ws, runs, experiment, chosen, doc, snap, on_progress)


async def _start(
    ws: Any,
    runs: _RunGetter,
    experiment: str,
    run_id: str,
    doc: Mapping[str, Any],
    snap: Snapshot,
    on_progress: Callable[[int, int], object] | None,
) -> str:
    client = await ws.aclient("execution")
    with UploadFile(snap.path, snap.size, on_progress) as payload:
        try:
            result = await acall(
                StartRunResult,
                runs_start_run.asyncio_detailed,
                *data_plane_ids(ws),
                experiment,
                client=client,
                body=start_body(doc, payload),
                run_id=run_id,
            )
        except ConflictError as exc:
            if not payload.landed_earlier(exc):
                raise
            try:
                await runs.get(experiment, run_id)
            except NotFoundError:
                raise exc from None
            _log.info("startrun: an earlier attempt for run %s landed; using it", run_id)
            return run_id
    return str(result.run_id)
