"""``job create --stream`` over real HTTP against the emulator: upload progress and each status change on
stderr, stdout the job's JSON only; plus the :class:`~azureml_rest.cli.progress.Progress` callbacks unit-tested."""

from __future__ import annotations

import io
import itertools
import json
import uuid
from pathlib import Path

import pytest
from azureml_rest.cli import main
from azureml_rest.cli.progress import Progress

from tests.cli.test_v2_commands import JOB_YML, TRAIN


def test_job_create_shows_upload_progress_and_status_changes_on_stderr(
    ws_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(TRAIN + f"# {uuid.uuid4().hex}\n")  # fresh code: uploaded
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.txt").write_text("a local input\n")
    (tmp_path / "job.yml").write_text(JOB_YML)
    name = f"progress-{uuid.uuid4().hex[:8]}"
    code = main([*ws_args, "job", "create", "-f", str(tmp_path / "job.yml"), "--name", name, "--stream"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["name"] == name  # stdout: the JSON only
    err = captured.err.splitlines()
    size = len((tmp_path / "src" / "train.py").read_bytes())
    assert f"upload: {size} B of {size} B" in " ".join(err)  # the code folder, to its last byte
    statuses = [line.split()[1] for line in err if line.startswith("job: ") and line.endswith(" s)")]
    assert statuses and statuses[-1] == "Completed"
    assert all(a != b for a, b in itertools.pairwise(statuses))
    assert "greeting: hello" in err  # the log still follows


def test_progress_callbacks_print_each_upload_from_its_start_and_each_status() -> None:
    err = io.StringIO()
    progress = Progress(err, interval=3600.0)
    progress.job_upload(0, 2048)
    progress.job_upload(1024, 2048)  # within the interval: quiet
    progress.job_upload(2048, 2048)
    progress.job_upload(0, 10)  # a second upload starts a line of its own at once
    progress.job_upload(10, 10)
    progress.job_status("Running", 1.25)
    lines = err.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "upload: 0 B of 2.0 KiB", "upload: 2.0 KiB of 2.0 KiB", "upload: 0 B of 10 B", "upload: 10 B of 10 B",
        "job: Running"]
    assert lines[-1] == "job: Running (1.2 s)"
