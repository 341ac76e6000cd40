"""v2 jobs (the current API, ``machinelearning`` group, 2025-12-01): submit a command job from a local folder in
one call, get, list, cancel, wait (following the log), download outputs.

- submit: the code folder goes up as azure-ai-ml uploads it (:mod:`azureml_rest._async.code_upload`: reused
  when its hash is known); local inputs go to the workspace's default datastore under
  ``LocalUpload/<hash>/<name>``; an image becomes an anonymous environment version (its version a hash of the
  body); the job name is chosen here (``job_spec.new_job_name``) and the job is created by PUT, so a retried
  submission can never make two jobs.
- wait: polls the job with a doubling interval (``poll_first`` to ``poll_max``) until Completed, Failed or
  Canceled; Failed/Canceled raise :class:`~azureml_rest.errors.JobFailedError` with the service's message
  (run history's run details by run id, as azure-ai-ml's ``jobs.stream`` reads them). With ``on_log_line``
  the job's ``user_logs/std_log.txt`` is followed through the SAS URL run details hand out (ranged reads from
  the last offset, no Authorization), every URL checked by the host policy. ``on_status(status, seconds)``
  is called once per status change (the first status seen included), seconds counted from the wait's start.
- progress of submit: ``on_progress(sent, total)`` gets the bytes of each upload in turn (the code folder,
  then each local input), ``(0, total)`` first, then growing after every stored file and every acknowledged
  block of a large file (one call at a time, never going back), ``(total, total)`` last; reused code or
  inputs report ``(total, total)`` at once.
- download_outputs: the output's datastore path, listed and streamed to files with the datastore's key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_machinelearning_client.api.jobs import jobs_get
from azureml_machinelearning_client.models import JobBase

from .._call import acall, acall_detailed
from .._hosts import is_loopback_host, split_url_host
from ..errors import InvalidResponseError, JobFailedError, OperationTimeoutError
from ..operations._common import arun_blocking, asleep, text, value
from ..operations._v2 import DEFAULT_DATASTORE, GROUP

if TYPE_CHECKING:
    from azureml_history_client.models import RunDetails

    from .. import job_spec as spec
    from ..paging import AsyncPager
    from .blob import AsyncBlobContainerClient
    from .code_upload import AsyncCodeUploader

# Only get's needs are imported with the module: ws.jobs.get is many scripts' first call, and the upload
# machinery (code hashing, blob client, thread pool), the job bodies (job_spec) and the other operations' modules
# would double its imports (benchmarks/firstcall.py); each method below imports what else it needs on first use.

__all__ = ["AsyncJobOperations"]

STD_LOG = "std_log.txt"
_DATASTORE_URI = r"^azureml://datastores/([^/]+)/(?:paths/)?(.*)$"  # compiled (and cached by re) on first use


def _props(job: JobBase) -> dict[str, Any]:
    props = job.to_dict().get("properties")
    return props if isinstance(props, dict) else {}


def job_status(job: JobBase) -> str:
    """``properties.status`` of a job ("" when absent)."""
    return str(_props(job).get("status") or "")


class AsyncJobOperations:
    """``ws.jobs``: command jobs of one workspace. ``upload_options`` go to the blob clients (``concurrency``,
    ``block_size``, ``single_put_size``)."""

    def __init__(self, ws: Any, **upload_options: Any) -> None:
        self._ws = ws
        self._upload_options = upload_options

    @cached_property
    def code(self) -> AsyncCodeUploader:
        """The code folder uploader (``code.upload(folder)``: hashed, reused when known, uploaded once)."""
        from .code_upload import AsyncCodeUploader

        return AsyncCodeUploader(self._ws, **self._upload_options)

    def _ids(self) -> tuple[str, str, str]:
        ids: tuple[str, str, str] = self._ws.ids  # typed for the calls' ``*ids`` (the handle is duck-typed)
        return ids

    # --- submit ---------------------------------------------------------------------------------------------

    async def submit(self, command: str, *, code: str | os.PathLike[str] | None = None,
                     environment: str | None = None, image: str | None = None,
                     inputs: Mapping[str, Any] | None = None, outputs: Mapping[str, Any] | None = None,
                     compute: str | None = None, instance_count: int | None = None,
                     timeout: float | dt.timedelta | None = None,
                     environment_variables: Mapping[str, str] | None = None, experiment_name: str | None = None,
                     display_name: str | None = None, tags: Mapping[str, str] | None = None,
                     name: str | None = None,
                     on_progress: Callable[[int, int], object] | None = None) -> JobBase:
        """Create a command job and return it as created (status NotStarted/Queued/...).

        ``environment`` is a reference (``azureml:<name>:<version>``, ``azureml://...``, an ARM id) or ``image``
        an image (an anonymous environment version); ``inputs`` values are literals or ``job_spec.Input``;
        ``outputs`` values ``job_spec.Output`` or an output type; ``compute`` a compute name of the workspace or
        an ARM id; ``timeout`` seconds (``limits.timeout``). ``name`` defaults to a fresh one; sending the same
        name again returns the existing job instead of creating another. ``on_progress(sent, total)``: bytes
        uploaded of the code folder, then of each local input (module docstring).
        """
        from azureml_machinelearning_client.api.jobs import jobs_create_or_update

        from .. import job_spec as spec

        if (environment is None) == (image is None):
            raise ValueError("give exactly one of environment= (a reference) or image=")
        ids, client = self._ids(), await self._ws.aclient(GROUP)
        env_id = await self._image_environment(image) if image else spec.environment_id(ids, str(environment))
        code_id = (await self.code.upload(code, on_progress=on_progress)).id if code is not None else None
        input_bodies: dict[str, Any] = {}
        blobs: AsyncBlobContainerClient | None = None
        for key, raw in (inputs or {}).items():
            inp = spec.as_input(raw)
            uri = None
            if inp.path is not None:
                if blobs is None:  # one Datastores_Get + listSecrets per submit, and none without local inputs
                    blobs = await self.datastore_client(DEFAULT_DATASTORE)
                uri = await self._upload_input(blobs, Path(inp.path), on_progress)
            input_bodies[key] = spec.input_body(inp, uri)
        compute_id = None
        if compute:
            compute_id = compute if compute.startswith("/") else f"{spec.workspace_id(ids)}/computes/{compute}"
        body = spec.command_job_body(
            command=command, environment_id=env_id, code_id=code_id, compute_id=compute_id, inputs=input_bodies,
            outputs={k: spec.output_body(v) for k, v in (outputs or {}).items()},
            environment_variables=environment_variables, instance_count=instance_count, timeout=timeout,
            experiment_name=experiment_name, display_name=display_name, tags=tags)
        return await acall(JobBase, jobs_create_or_update.asyncio_detailed, *ids, name or spec.new_job_name(),
                           client=client, body=JobBase.from_dict(body))

    async def _image_environment(self, image: str) -> str:
        from azureml_machinelearning_client.api.environments import environment_versions_create_or_update
        from azureml_machinelearning_client.models import EnvironmentVersion

        from .. import job_spec as spec

        version, body = spec.environment_version_body(image)
        created = await acall(EnvironmentVersion, environment_versions_create_or_update.asyncio_detailed, *self._ids(),
                              spec.ANONYMOUS_ENVIRONMENT, version, client=await self._ws.aclient(GROUP),
                              body=EnvironmentVersion.from_dict(body))
        return text(created.id) or (f"{spec.workspace_id(self._ids())}/environments/"
                                    f"{spec.ANONYMOUS_ENVIRONMENT}/versions/{version}")

    async def _upload_input(self, blobs: AsyncBlobContainerClient, path: Path,
                            on_progress: Callable[[int, int], object] | None = None) -> str:
        """Upload a local input below ``LocalUpload/<content hash>/`` of the default datastore (``blobs``: its
        container's client); its URI. ``on_progress(sent, total)``: the input's bytes, ``(0, total)`` first,
        growing with each stored file or block of a large file, ``(total, total)`` last."""
        from ..code_hash import content_hash, list_code_files

        files = await arun_blocking(lambda: list_code_files(path))
        digest = await arun_blocking(lambda: content_hash(files))
        folder, is_dir = f"LocalUpload/{digest}/{path.name}", path.is_dir()
        await blobs.upload_files([(f"{folder}/{f.name}" if is_dir else folder, f.path) for f in files],
                                 on_progress=on_progress)
        return f"azureml://datastores/{DEFAULT_DATASTORE}/paths/{folder}" + ("/" if is_dir else "")

    # --- read, list, cancel ---------------------------------------------------------------------------------

    async def get(self, name: str) -> JobBase:
        """One job (``NotFoundError`` when absent)."""
        return await acall(JobBase, jobs_get.asyncio_detailed, *self._ids(), name,
                           client=await self._ws.aclient(GROUP))

    def list(self, *, list_view_type: str = "ActiveOnly", tag: str | None = None) -> AsyncPager[JobBase]:
        """Jobs of the workspace, lazily, following ``nextLink`` (``list_view_type``: ActiveOnly, ArchivedOnly,
        All)."""
        from azureml_machinelearning_client.api.jobs import jobs_list
        from azureml_machinelearning_client.models import JobBaseResourceArmPaginatedResult, ListViewType

        from ._pagers import link_pager

        ws = self._ws

        async def first() -> JobBaseResourceArmPaginatedResult:
            kw: dict[str, Any] = {"list_view_type": ListViewType(list_view_type)}
            if tag is not None:
                kw["tag"] = tag
            return await acall(JobBaseResourceArmPaginatedResult, jobs_list.asyncio_detailed, *self._ids(),
                               client=await ws.aclient(GROUP), **kw)

        return link_pager("Jobs_List", JobBase, first, JobBaseResourceArmPaginatedResult.from_dict, ws, GROUP)

    async def cancel(self, name: str) -> None:
        """Ask the service to cancel a job (200 or 202); :meth:`wait` sees it end Canceled."""
        from azureml_machinelearning_client.api.jobs import jobs_cancel

        await acall_detailed(jobs_cancel.asyncio_detailed, *self._ids(), name, client=await self._ws.aclient(GROUP))

    # --- wait and follow the log ----------------------------------------------------------------------------

    async def run_details(self, name: str) -> RunDetails:
        """Run history's details of the job's run (a job's name is its run id): status, error, logFiles."""
        from azureml_history_client.api.runs import runs_get_details_by_run_id
        from azureml_history_client.models import RunDetails

        _sub, rg, ws_name = self._ids()
        return await acall(RunDetails, runs_get_details_by_run_id.asyncio_detailed, self._ws.subscription_uuid, rg,
                           ws_name, name, client=await self._ws.aclient("history"))

    async def wait(self, name: str, *, timeout: float | None = None,
                   on_log_line: Callable[[str], object] | None = None, poll_first: float = 1.0,
                   poll_max: float = 30.0, on_status: Callable[[str, float], object] | None = None) -> JobBase:
        """Poll until the job ends; return it when Completed, raise ``JobFailedError`` when Failed or Canceled,
        ``OperationTimeoutError`` after ``timeout`` seconds (the job goes on). ``on_log_line`` gets every line
        of ``std_log.txt`` once, in order, while the job runs and after it ends; ``on_status(status,
        seconds_since_the_wait_began)`` every status change, the first status seen included."""
        from .. import job_spec as spec

        start = time.monotonic()
        deadline = None if timeout is None else start + timeout
        cursor, log_url = spec.LogCursor(), None
        attempt, last_status = 0, None
        while True:
            job = await self.get(name)
            status = job_status(job)
            if on_status is not None and status != last_status:
                on_status(status, time.monotonic() - start)
            last_status = status
            if on_log_line is not None:
                log_url = log_url or await self._log_url(name)
                if log_url is not None:
                    await self._follow(log_url, cursor, on_log_line)
            if status in spec.TERMINAL:
                break
            if deadline is not None and time.monotonic() >= deadline:
                raise OperationTimeoutError(f"job {name}", float(timeout or 0), status)
            await asleep(spec.poll_interval(attempt, first=poll_first, maximum=poll_max))
            attempt += 1
        if on_log_line is not None:
            log_url = log_url or await self._log_url(name)
            if log_url is not None:
                await self._follow(log_url, cursor, on_log_line)
            for line in cursor.flush():
                on_log_line(line)
        if status in spec.FAILED:
            code, message = await self._failure(name)
            raise JobFailedError(name, status, error_code=code, message=message)
        return job

    async def _log_url(self, name: str) -> str | None:
        files = value((await self.run_details(name)).log_files)
        entries = files.to_dict() if files is not None else {}
        for key, url in sorted(entries.items()):
            if key.endswith(STD_LOG) and isinstance(url, str) and url:
                return url
        return None

    async def _follow(self, url: str, cursor: spec.LogCursor, on_line: Callable[[str], object]) -> None:
        from .blob import AsyncBlobContainerClient

        reader = AsyncBlobContainerClient.from_sas_url(self._ws, url, **self._upload_options)
        while True:
            data = await reader.read_range(cursor.offset)
            if not data:
                return
            for line in cursor.feed(data):
                on_line(line)

    async def _failure(self, name: str) -> tuple[str | None, str | None]:
        details = (await self.run_details(name)).to_dict()
        root = (details.get("error") or {}).get("error") or {}
        return root.get("code") or None, root.get("message") or None

    # --- outputs --------------------------------------------------------------------------------------------

    async def datastore_client(self, datastore: str) -> AsyncBlobContainerClient:
        """A blob client on a blob datastore's container, signed with the key (or SAS) ``listSecrets`` gives."""
        from .blob import AsyncBlobContainerClient
        from .datastores import AsyncDatastoreOperations

        stores = AsyncDatastoreOperations(self._ws)
        props = (await stores.get(datastore)).to_dict().get("properties") or {}
        account, container = props.get("accountName"), props.get("containerName")
        if not account or not container:
            raise InvalidResponseError("Datastores_Get", f"datastore {datastore!r} names no blob account/container")
        secret = await stores.secrets(datastore)
        url = self._container_url(str(account), str(container))
        kind, revealed = secret.secrets_type, secret.reveal()
        if kind == "AccountKey" and revealed:
            return AsyncBlobContainerClient.with_shared_key(self._ws, url, str(account), revealed,
                                                            **self._upload_options)
        if kind == "Sas" and revealed:
            return AsyncBlobContainerClient.from_sas_url(self._ws, f"{url}?{revealed.lstrip('?')}",
                                                         **self._upload_options)
        raise InvalidResponseError("Datastores_ListSecrets", f"datastore {datastore!r}: no account key or SAS")

    def _container_url(self, account: str, container: str) -> str:
        """``https://{account}.blob.{suffix}/{container}``; path-style on the ARM endpoint's host when that is a
        loopback emulator (``{base}/{account}/{container}``, as Azurite and the emulator serve)."""
        cloud = self._ws._session.cloud
        arm = str(cloud.arm_endpoint).rstrip("/")
        if is_loopback_host(split_url_host(arm)[0]):
            return f"{arm}/{account}/{container}"
        return f"https://{account}.blob.{cloud.storage_suffix}/{container}"

    async def download_outputs(self, name: str, destination: str | os.PathLike[str], *,
                               output_name: str = "default") -> Sequence[Path]:
        """Download one output of a finished job (``default``: the job's artifacts, logs and ``outputs/``)
        into ``destination``; returns the files written."""
        job = await self.get(name)
        outputs = _props(job).get("outputs") or {}
        uri = (outputs.get(output_name) or {}).get("uri") if isinstance(outputs, dict) else None
        m = re.match(_DATASTORE_URI, str(uri or ""), re.IGNORECASE)
        if not m:
            raise ValueError(f"job {name} has no datastore output {output_name!r} (uri: {uri!r})")
        blobs = await self.datastore_client(m.group(1))
        prefix = m.group(2).rstrip("/") + "/"
        return await blobs.download_prefix(prefix, destination)
