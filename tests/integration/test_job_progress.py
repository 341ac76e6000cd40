"""Progress of v2 jobs over real HTTP against the emulator, sync and async: ``submit(on_progress=...)`` reports
the bytes of the code folder and of each local input, ``(0, total)`` first and ``(total, total)`` last, a reused
code version at once; ``wait(on_status=...)`` reports each status change once, ending with the final one."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.operations.jobs import AsyncJobOperations, Input, JobOperations, job_status

from tests.integration.runs_support import project
from tests.integration.support import ENV

Event = tuple[int, int]


def _split(events: list[Event]) -> list[list[Event]]:
    """The upload sequences of ``events``: each starts with ``(0, total)``, or is a lone ``(total, total)``."""
    runs: list[list[Event]] = []
    for sent, total in events:
        if sent == 0 or not runs or runs[-1][-1][0] == runs[-1][-1][1]:
            runs.append([])
        runs[-1].append((sent, total))
    return runs


def _check_sequence(seq: list[Event], total: int) -> None:
    assert all(t == total for _, t in seq)
    sent = [s for s, _ in seq]
    assert sent == sorted(sent) and sent[-1] == total


def _folders(tmp_path: Path) -> tuple[Path, int, Path, int]:
    files: dict[str, str | bytes] = {
        "main.py": f"print('{uuid.uuid4().hex}')\n", "pkg/util.py": "X = 1\n" * 50, "blob.bin": b"\0" * 3000}
    code = project(tmp_path / "src", files)
    code_total = sum(len(v) for v in files.values())
    data = project(tmp_path / "data", {"in.txt": "input data\n"}) / "in.txt"
    return code, code_total, data, len("input data\n")


def _check_statuses(statuses: list[tuple[str, float]], final: str) -> None:
    names = [s for s, _ in statuses]
    assert names and names[-1] == final
    assert all(a != b for a, b in itertools.pairwise(names))  # changes only
    seconds = [t for _, t in statuses]
    assert seconds == sorted(seconds) and seconds[0] >= 0


def test_submit_reports_upload_progress_and_wait_each_status(
    emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path
) -> None:
    code, code_total, data, data_total = _folders(tmp_path)
    with AzureML.for_emulator(emulator_url) as ml:
        jobs = JobOperations(ml.workspace(*workspace_names))
        events: list[Event] = []
        job = jobs.submit("python main.py", code=code, environment=ENV, inputs={"d": Input(path=data)},
                          on_progress=lambda s, t: events.append((s, t)))
        code_seq, data_seq = _split(events)
        assert code_seq[0] == (0, code_total) and len(code_seq) == 4  # start + one per file
        _check_sequence(code_seq, code_total)
        assert data_seq == [(0, data_total), (data_total, data_total)]

        again: list[Event] = []
        jobs.submit("python main.py", code=code, environment=ENV, on_progress=lambda s, t: again.append((s, t)))
        assert again == [(code_total, code_total)]  # the code version was reused: nothing uploaded

        statuses: list[tuple[str, float]] = []
        final = jobs.wait(str(job.name), poll_first=0.05, poll_max=0.5,
                          on_status=lambda s, t: statuses.append((s, t)))
        assert job_status(final) == "Completed"
        _check_statuses(statuses, "Completed")


@pytest.mark.anyio
async def test_async_submit_reports_upload_progress_and_wait_each_status(
    emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path
) -> None:
    code, code_total, _data, _ = _folders(tmp_path)
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        jobs = AsyncJobOperations(ml.workspace(*workspace_names))
        events: list[Event] = []
        job = await jobs.submit("python main.py", code=code, environment=ENV,
                                on_progress=lambda s, t: events.append((s, t)))
        [code_seq] = _split(events)
        assert code_seq[0] == (0, code_total) and len(code_seq) == 4
        _check_sequence(code_seq, code_total)
        statuses: list[tuple[str, float]] = []
        final = await jobs.wait(str(job.name), poll_first=0.05, poll_max=0.5,
                                on_status=lambda s, t: statuses.append((s, t)))
        assert job_status(final) == "Completed"
        _check_statuses(statuses, "Completed")
