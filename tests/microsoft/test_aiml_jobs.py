"""azure-ai-ml 1.35 against the emulator: a command job from a local folder runs, streams its log, is submitted
again without a second upload, and downloads its outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.microsoft import aiml_harness, aiml_projects
from tests.microsoft.aiml_harness import World
from tests.microsoft.aiml_projects import GREETING, Projects

pytestmark = list(aiml_harness.MARKS)


def test_command_job_runs_and_stream_prints_its_log(
    ml_client: Any, aiml_world: World, projects: Projects, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"  # the job waits for it: stream sees the job running and prints its log
    job = aiml_projects.hello_command(projects, aiml_world.compute, "aiml-stream", gate)
    submitted = ml_client.jobs.create_or_update(job)
    assert submitted.status not in ("Failed", "Canceled")
    assert submitted.experiment_name == "aiml-stream"

    printed = aiml_projects.stream_job(ml_client, submitted.name, gate=gate, expected=GREETING)
    assert f"{GREETING} 234" in printed
    assert f"RunId: {submitted.name}" in printed
    assert "Execution Summary" in printed
    assert ml_client.jobs.get(submitted.name).status == "Completed"


def test_second_identical_submission_reuses_the_uploaded_code(
    ml_client: Any, aiml_world: World, aiml_emulator: Any, projects: Projects, completed_job: Any, open_gate: Path
) -> None:
    blob_requests = aiml_emulator.ctx.counters["blob"]
    assert blob_requests > 0  # the first submission's upload was counted: the counter sees the SDK's blob calls
    again = ml_client.jobs.create_or_update(
        aiml_projects.hello_command(projects, aiml_world.compute, "aiml-shared", open_gate)
    )
    # The code asset was found by its hash: same code version, and not one blob request (no HEAD, no PUT).
    assert again.code == completed_job.code
    assert aiml_emulator.ctx.counters["blob"] == blob_requests
    assert again.name != completed_job.name
    assert aiml_projects.wait_terminal(ml_client, again.name).status == "Completed"


def test_download_brings_the_outputs_and_logs(ml_client: Any, completed_job: Any, tmp_path: Path) -> None:
    assert completed_job.status == "Completed"
    ml_client.jobs.download(completed_job.name, download_path=str(tmp_path), all=True)
    artifacts = tmp_path / "artifacts"
    assert (artifacts / "outputs" / "result.txt").read_text() == "result 234"
    assert f"{GREETING} 234" in (artifacts / "user_logs" / "std_log.txt").read_text()
