"""``job create --stream`` over real HTTP against the emulator: upload progress (advancing block by block through a
file large enough to go up in blocks) and each status change on stderr, stdout the job's JSON only; plus the
:class:`~azureml_rest.cli.progress.Progress` callbacks unit-tested."""

from __future__ import annotations

import io
import itertools
import json
import uuid
from pathlib import Path

import pytest
from azureml_rest._async.blob import SINGLE_PUT_SIZE
from azureml_rest.cli import main
from azureml_rest.cli.progress import Progress, human_bytes

from tests.cli.test_v2_commands import JOB_YML, TRAIN


def test_job_create_shows_upload_progress_and_status_changes_on_stderr(
    ws_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(TRAIN + f"# {uuid.uuid4().hex}\n")  # fresh code: uploaded
    with open(tmp_path / "src" / "weights.bin", "wb") as f:  # one byte past a single Put Blob: 17 blocks
        f.truncate(SINGLE_PUT_SIZE + 1)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.txt").write_text("a local input\n")
    (tmp_path / "job.yml").write_text(JOB_YML)
    name = f"progress-{uuid.uuid4().hex[:8]}"
    code = main([*ws_args, "job", "create", "-f", str(tmp_path / "job.yml"), "--name", name, "--stream"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["name"] == name  # stdout: the JSON only
    err = captured.err.splitlines()
    total = human_bytes(sum(p.stat().st_size for p in (tmp_path / "src").iterdir()))
    code_lines = [line for line in err if line.startswith("upload: ") and line.split(" (")[0].endswith(total)]
    sent = [line.split()[1] + " " + line.split()[2] for line in code_lines]
    assert sent[0] == "0 B" and sent[-1] == total  # the code folder, from its first to its last byte
    assert len(sent) >= 5 and all(s not in ("0 B", total) for s in sent[1:-1])  # and while its blocks went up
    statuses = [line.split()[1] for line in err if line.startswith("job: ") and line.endswith(" s)")]
    assert statuses and statuses[-1] == "Completed"
    assert all(a != b for a, b in itertools.pairwise(statuses))
    assert "greeting: hello" in err  # the log still follows


def test_progress_callbacks_print_each_upload_from_its_start_and_each_status() -> None:
    err = io.StringIO()
    progress = Progress(err, interval=3600.0)  # no line is due to time here: only to the bytes
    progress.job_upload(0, 2048)
    progress.job_upload(100, 2048)  # within the first tenth: quiet
    progress.job_upload(1024, 2048)  # half done: a line
    progress.job_upload(1100, 2048)  # the same tenth: quiet
    progress.job_upload(2048, 2048)
    progress.job_upload(0, 10)  # a second upload starts a line of its own at once
    progress.job_upload(10, 10)
    progress.job_status("Running", 1.25)
    lines = err.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "upload: 0 B of 2.0 KiB", "upload: 1.0 KiB of 2.0 KiB", "upload: 2.0 KiB of 2.0 KiB", "upload: 0 B of 10 B",
        "upload: 10 B of 10 B", "job: Running"]
    assert lines[-1] == "job: Running (1.2 s)"


def test_progress_prints_a_line_per_tenth_of_a_block_by_block_upload() -> None:
    err = io.StringIO()
    progress = Progress(err, interval=3600.0)
    total = 100 * 4096
    for sent in range(0, total + 1, 4096):  # a hundred blocks acknowledged one after another
        progress.job_upload(sent, total)
    sent_lines = [line.split()[1] for line in err.getvalue().splitlines()]
    assert len(sent_lines) == 11  # the start, each further tenth, the end (no line per block)
    assert [float(s) for s in sent_lines[1:-1]] == [40.0 * i for i in range(1, 10)]


def test_progress_without_a_total_or_marks_prints_by_time_only() -> None:
    err = io.StringIO()
    progress = Progress(err, interval=3600.0, marks=0)
    for sent in (0, 500, 999, 1000):
        progress.job_upload(sent, 1000)
    assert [line.split(" (")[0] for line in err.getvalue().splitlines()] == [
        "upload: 0 B of 1000 B", "upload: 1000 B of 1000 B"]
    err.truncate(0)
    err.seek(0)
    fresh = Progress(err, interval=3600.0)
    fresh.upload(0, None)
    fresh.upload(10, None)  # no total: nothing to take tenths of
    assert [line.split(" (")[0] for line in err.getvalue().splitlines()] == ["upload: 0 B"]
