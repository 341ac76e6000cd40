"""Run operations of a workspace (``ws.v1.runs``): submit, wait, cancel, list, children, artifacts, download.

Reading runs is here; submitting is :mod:`.run_submission`, waiting and log-following :mod:`.run_waiting`
(their I/O-free halves: :mod:`azureml_rest.run_submission`, :mod:`azureml_rest.run_waiting`).

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, overload

import httpx
from azureml_execution_client.api.runs import runs_cancel_run_with_uri
from azureml_execution_client.models.start_run_result import StartRunResult
from azureml_history_client.api.run_artifacts import run_artifacts_get_content_information, run_artifacts_list
from azureml_history_client.api.runs import runs_get, runs_get_by_query, runs_get_child, runs_get_details
from azureml_history_client.models.artifact import Artifact
from azureml_history_client.models.artifact_content_information import ArtifactContentInformation
from azureml_history_client.models.paginated_artifact_list import PaginatedArtifactList
from azureml_history_client.models.paginated_run_list import PaginatedRunList
from azureml_history_client.models.query_params import QueryParams
from azureml_history_client.models.run import Run
from azureml_history_client.models.run_details import RunDetails
from azureml_history_client.types import UNSET

from .._call import acall
from ..errors import AzureMLError, error_from_response
from ..operations._common import data_plane_ids, value
from ..paging import AsyncPager, Page
from ..run_waiting import DEFAULT_MAX_POLL_INTERVAL, DEFAULT_POLL_BACKOFF, DEFAULT_POLL_INTERVAL, LogSink
from ..snapshot import MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_FILES
from .run_submission import submit_run
from .run_waiting import wait_for_run

__all__ = ["AsyncRunOperations"]

_GROUP = "history"


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


def _page(result: PaginatedRunList | PaginatedArtifactList) -> Page[Any]:
    return Page(list(value(result.value) or []), value(result.continuation_token), raw=result)


def _dest_path(dest: str | os.PathLike[str], artifact_path: str) -> Path:
    target = Path(dest)
    if target.is_dir():
        target = target / artifact_path.rsplit("/", 1)[-1]
    return target


class AsyncRunOperations:
    """Run submission and monitoring for one workspace (``ws.v1.runs``).

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs``.
    """

    def __init__(self, workspace: Any) -> None:
        """``workspace``: the handle (``AsyncWorkspace``; typed loosely, as every operation group's, so this
        module does not import the workspace module that imports it)."""
        self._ws = workspace

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._ws!r})"

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
        """Zip ``source_dir``, upload it with the run definition (``Runs_StartRun``) and return the run id.

        Without ``definition``, ``script`` and ``target`` are required and the definition is built from the
        typed arguments (:func:`~azureml_rest.definition.build_definition` defaults). With one (path to a JSON
        file, or a mapping; PascalCase or camelCase), the given ``script``/``target``/``arguments``/
        ``max_run_duration`` override the user's values. ``run_id`` defaults to
        :func:`~azureml_rest.run_submission.new_run_id`. ``on_progress(sent, total)`` is called as the zip is
        read for sending (again from 0 on a retry). Raises :class:`~azureml_rest.errors.SnapshotError`
        subclasses before uploading anything.
        """
        return await submit_run(
            self._ws, self, experiment, source_dir, script=script, target=target, arguments=arguments,
            definition=definition, run_id=run_id, max_run_duration=max_run_duration, on_progress=on_progress,
            max_snapshot_bytes=max_snapshot_bytes, max_snapshot_files=max_snapshot_files,
        )

    async def get(self, experiment: str, run_id: str) -> Run:
        """The run (``Runs_Get``)."""
        return await acall(Run, runs_get.asyncio_detailed, *data_plane_ids(self._ws), experiment, run_id,
                           client=await self._ws.aclient(_GROUP))

    async def details(self, experiment: str, run_id: str) -> RunDetails:
        """The run's details, with ``logFiles`` (``Runs_GetDetails``)."""
        return await acall(RunDetails, runs_get_details.asyncio_detailed, *data_plane_ids(self._ws), experiment,
                           run_id, client=await self._ws.aclient(_GROUP))

    def list(
        self, experiment: str, *, filter: str | None = None, order_by: str | None = None, top: int | None = None
    ) -> AsyncPager[Run]:
        """The runs of an experiment, page by page (``POST runs:query`` with ``continuationToken``)."""

        async def page(token: str | None) -> Page[Run]:
            return _page(await acall(PaginatedRunList, runs_get_by_query.asyncio_detailed, *data_plane_ids(self._ws),
                                     experiment, client=await self._ws.aclient(_GROUP),
                                     body=_query_body(token, filter, order_by, top)))

        return AsyncPager(page, operation="Runs_GetByQuery")

    def children(self, experiment: str, run_id: str) -> AsyncPager[Run]:
        """The child runs of a run (``Runs_GetChild``, ``$continuationToken`` paging)."""

        async def page(token: str | None) -> Page[Run]:
            return _page(await acall(PaginatedRunList, runs_get_child.asyncio_detailed, *data_plane_ids(self._ws),
                                     experiment, run_id, client=await self._ws.aclient(_GROUP),
                                     continuation_token=token or UNSET))

        return AsyncPager(page, operation="Runs_GetChild")

    async def cancel(self, experiment: str, run_id: str) -> str:
        """Ask the service to cancel the run (``Runs_CancelRunWithUri``); returns the run id.

        The run goes CancelRequested, then Canceled; :meth:`wait` follows it there.
        """
        result = await acall(StartRunResult, runs_cancel_run_with_uri.asyncio_detailed, *data_plane_ids(self._ws),
                             experiment, run_id, client=await self._ws.aclient("execution"))
        return str(result.run_id)

    def artifacts(self, experiment: str, run_id: str) -> AsyncPager[Artifact]:
        """The run's artifacts (``RunArtifacts_List``, ``continuationToken`` paging)."""

        async def page(token: str | None) -> Page[Artifact]:
            return _page(await acall(PaginatedArtifactList, run_artifacts_list.asyncio_detailed,
                                     *data_plane_ids(self._ws), experiment, run_id,
                                     client=await self._ws.aclient(_GROUP), continuation_token=token or UNSET))

        return AsyncPager(page, operation="RunArtifacts_List")

    @overload
    async def download(self, experiment: str, run_id: str, path: str, dest: None = None) -> bytes: ...
    @overload
    async def download(self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str]) -> Path: ...

    async def download(
        self, experiment: str, run_id: str, path: str, dest: str | os.PathLike[str] | None = None
    ) -> bytes | Path:
        """One artifact: its bytes (``dest`` None; for small files), or streamed to ``dest`` (a file path, or a
        folder to put it in under its own name), returning the path. The content URL
        (``RunArtifacts_GetContentInformation``) is pre-authorized: it is fetched without Authorization."""
        info = await acall(ArtifactContentInformation, run_artifacts_get_content_information.asyncio_detailed,
                           *data_plane_ids(self._ws), experiment, run_id, client=await self._ws.aclient(_GROUP),
                           path=path)
        url = value(info.content_uri)
        if not url:
            raise AzureMLError(f"the service gave no content URL for artifact {path!r}")
        content: httpx.AsyncClient = self._ws.content_client()
        if dest is None:
            response = await content.get(str(url))
            if response.status_code >= 400:
                raise error_from_response(response)
            return response.content
        target = _dest_path(dest, path)
        part = target.with_name(target.name + ".part")
        try:
            async with content.stream("GET", str(url)) as response:
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
        """Poll the run until Completed, Failed or Canceled and return it.

        ``on_status(status, seconds_since_wait_began)`` is called on every change. ``log_sink`` receives the
        driver log's new text as it grows, and the rest after the run ends. ``timeout`` (seconds, counted from
        when the run leaves the queue) raises :class:`~azureml_rest.errors.OperationTimeoutError` naming the run
        and its last status; the run itself goes on. Failed/Canceled raise
        :class:`~azureml_rest.errors.RunFailedError` unless ``raise_on_failure=False``. Polling defaults (1 s,
        x1.5, at most 10 s): :mod:`azureml_rest.run_waiting`.
        """
        return await wait_for_run(
            self, self._ws.content_client, experiment, run_id, timeout=timeout, poll_interval=poll_interval,
            max_poll_interval=max_poll_interval, poll_backoff=poll_backoff, on_status=on_status,
            log_sink=log_sink, raise_on_failure=raise_on_failure,
        )

    async def stream_logs(self, experiment: str, run_id: str, sink: LogSink, **wait_options: Any) -> Run:
        """Copy the driver log to ``sink`` until the run ends; returns the final run (no error on failure)."""
        wait_options.setdefault("raise_on_failure", False)
        return await self.wait(experiment, run_id, log_sink=sink, **wait_options)
