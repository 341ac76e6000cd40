"""A v2 command job's terminal status is recorded only once its log blob holds the whole log, the emulator's
own last line included: azure-ai-ml's ``jobs.stream`` reads the log once it sees the job end."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from azureml_emulator.dataplane.runner import CANCELED_LINE, Job, RunManager
from azureml_emulator.v2 import job_data
from azureml_emulator.v2.job_runner import CommandJob, log_location


class _RecordingManager(RunManager):
    """Records, at each status, what the job's log blob holds (through ``_status``, which every status takes)."""

    def __init__(self, ctx: Any, name: str, scratch: Path) -> None:
        super().__init__(ctx)
        self.name, self.scratch = name, scratch
        self.seen: list[tuple[str, str]] = []

    def _status(self, job: Job, status: str, error: dict[str, Any] | None = None) -> None:
        folder = self.scratch / str(len(self.seen))
        try:
            text = job_data.download(self._ctx, log_location({}, self.name), folder, single=True).read_text()
        except job_data.DataProblem:
            text = ""  # no copy yet
        self.seen.append((status, text))


def test_a_canceled_jobs_last_log_line_is_stored_before_its_status(emulator: Any, tmp_path: Path) -> None:
    from azureml_emulator.context import Context

    ctx = emulator.ctx
    if not isinstance(ctx, Context):
        pytest.skip("runs a command job's executor on the in-process emulator's context")
    name = "logorder_" + uuid.uuid4().hex[:8]
    manager = _RecordingManager(ctx, name, tmp_path / "seen")
    job = Job(
        ws_key="sub/rg/ws", subscription_id="sub", resource_group="rg", workspace="ws", experiment="e",
        run_id=name, script="", arguments=[], max_duration=None, environment_variables={}, snapshot_blob="",
        log_blob=f"v2jobs/tests/{name}/std_log.txt", blob_prefix="", compute_key=None,
    )  # fmt: skip
    ctx.store.blob_path(job.log_blob).write_text("written by the job\n")
    job.cancel.set()  # canceled while Preparing: the executor stops before the command starts
    workdir = tmp_path / "work"
    workdir.mkdir()
    CommandJob(ctx, manager, job.ws_key, {}, name, {"command": "true"})(job, workdir)
    assert [status for status, _ in manager.seen] == ["Preparing", "Canceled"]
    assert manager.seen[-1][1] == f"written by the job\n[emulator] {CANCELED_LINE}\n"
