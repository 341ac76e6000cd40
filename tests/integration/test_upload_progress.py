"""Upload progress per block over real HTTP against the emulator, sync and async: a code folder, a local job input
and a local model whose large file goes up as several blocks (small ``block_size`` / ``single_put_size`` upload
options) report values strictly between 0 and the total while that file is on its way, only growing, from
``(0, total)`` to ``(total, total)``; the model's bytes read back intact."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.operations.jobs import AsyncJobOperations, Input, JobOperations, job_status
from azureml_rest.operations.models_v2 import AsyncModelVersionOperations, ModelVersionOperations

from tests.integration.runs_support import project
from tests.integration.support import ENV

Event = tuple[int, int]
BLOCK = 1024
#: Blocks of BLOCK bytes from the first byte: every file larger than one block goes up in blocks.
OPTIONS = {"block_size": BLOCK, "single_put_size": BLOCK, "concurrency": 3}
BIG = 6 * BLOCK + 100  # seven blocks


def _payload(size: int) -> bytes:
    seed = uuid.uuid4().bytes  # fresh content: never a code version the emulator already holds
    return (seed * (size // len(seed) + 1))[:size]


def _check(events: list[Event], total: int, *, blocks: int) -> None:
    assert events[0] == (0, total) and events[-1] == (total, total)
    assert all(t == total for _, t in events)
    sent = [s for s, _ in events]
    assert sent == sorted(sent) and len(set(sent)) == len(sent)  # growing, each value once
    between = [s for s in sent if 0 < s < total]
    assert len(between) >= blocks - 1  # the big file advanced block by block, not only when it was done


def _code(tmp_path: Path) -> tuple[Path, int]:
    files: dict[str, str | bytes] = {"main.py": "print('big')\n", "weights.bin": _payload(BIG)}
    return project(tmp_path / "src", files), sum(len(v) for v in files.values())


def test_job_code_and_input_report_each_block(
    emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path
) -> None:
    code, code_total = _code(tmp_path)
    data = tmp_path / "data.bin"
    data.write_bytes(_payload(BIG))
    with AzureML.for_emulator(emulator_url) as ml:
        jobs = JobOperations(ml.workspace(*workspace_names), **OPTIONS)
        events: list[Event] = []
        job = jobs.submit("python main.py", code=code, environment=ENV, inputs={"d": Input(path=data)},
                          on_progress=lambda s, t: events.append((s, t)))
        cut = events.index((0, BIG))  # the input's sequence starts after the code folder's
        _check(events[:cut], code_total, blocks=7)
        _check(events[cut:], BIG, blocks=7)
        assert job_status(jobs.wait(str(job.name), poll_first=0.05, poll_max=0.5)) == "Completed"


@pytest.mark.anyio
async def test_async_code_upload_reports_each_block(
    emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path
) -> None:
    code, code_total = _code(tmp_path)
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        jobs = AsyncJobOperations(ml.workspace(*workspace_names), **OPTIONS)
        events: list[Event] = []
        uploaded = await jobs.code.upload(code, on_progress=lambda s, t: events.append((s, t)))
        assert uploaded.uploaded
        _check(events, code_total, blocks=7)


def _datastore_path(uri: str) -> str:
    return uri.split("/paths/", 1)[1]


def test_model_from_a_local_file_reports_each_block(ml: AzureML, workspace_names: tuple[str, str],
                                                    tmp_path: Path) -> None:
    ws = ml.workspace(*workspace_names)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(_payload(BIG))
    events: list[Event] = []
    version = ModelVersionOperations(ws, **OPTIONS).create("it-progress-" + uuid.uuid4().hex[:6], "1", weights,
                                                           on_progress=lambda s, t: events.append((s, t)))
    _check(events, BIG, blocks=7)
    blobs = JobOperations(ws).datastore_client("workspaceblobstore")
    assert blobs.get_blob(_datastore_path(str(version.properties.model_uri))) == weights.read_bytes()


@pytest.mark.anyio
async def test_async_model_from_a_local_file_reports_each_block(
    emulator_url: str, workspace_names: tuple[str, str], tmp_path: Path
) -> None:
    weights = tmp_path / "weights.bin"
    weights.write_bytes(_payload(BIG))
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        events: list[Event] = []
        models = AsyncModelVersionOperations(ws, **OPTIONS)
        version = await models.create("it-progress-" + uuid.uuid4().hex[:6], "1", weights,
                                      on_progress=lambda s, t: events.append((s, t)))
        _check(events, BIG, blocks=7)
        blobs = await AsyncJobOperations(ws).datastore_client("workspaceblobstore")
        assert await blobs.get_blob(_datastore_path(str(version.properties.model_uri))) == weights.read_bytes()
