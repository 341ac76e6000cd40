"""v2 jobs over real HTTP against the emulator, async: the same behaviour as tests/integration/test_jobs.py
(submit from a folder, follow the log, download outputs, code reuse, foreign SAS refused, a failed block retried
alone while the others go up in parallel)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.config import HttpConfig, HttpEvent
from azureml_rest.errors import BlobNotFoundError, JobFailedError, UntrustedHostError
from azureml_rest.operations.jobs import AsyncBlobContainerClient, AsyncJobOperations, Input, job_status

from tests.emulator_fixture import EmulatorFactory
from tests.integration.runs_support import project, set_faults
from tests.integration.support import ENV, HELLO_JOB, Recorder, create_workspace, upload_id

pytestmark = pytest.mark.anyio


@pytest.fixture
async def jobs(emulator_url: str, workspace_names: tuple[str, str],
               recorder: Recorder) -> AsyncIterator[AsyncJobOperations]:
    # per test: async httpx clients belong to the event loop of the test that made them
    async with AsyncAzureML.for_emulator(emulator_url, http=HttpConfig(on_event=recorder)) as ml:
        yield AsyncJobOperations(ml.workspace(*workspace_names))


async def test_submit_follow_the_log_and_download(jobs: AsyncJobOperations, tmp_path: Path) -> None:
    code = project(tmp_path / "src", {"hello.py": HELLO_JOB, "id.txt": uuid.uuid4().hex})
    data = project(tmp_path / "data", {"in.txt": "async input\n"}) / "in.txt"
    job = await jobs.submit("python hello.py ${{inputs.greeting}} ${{inputs.data}} ${{outputs.result}}",
                            code=code, environment=ENV, inputs={"greeting": "ASYNC", "data": Input(path=data)},
                            outputs={"result": "uri_folder"}, environment_variables={"MY_SETTING": "a"})
    lines: list[str] = []
    final = await jobs.wait(str(job.name), on_log_line=lines.append, poll_first=0.05, poll_max=0.5)
    assert job_status(final) == "Completed"
    assert "hello from the job: ASYNC" in lines and "input says: async input" in lines and "env: a" in lines
    got = await jobs.download_outputs(str(job.name), tmp_path / "out", output_name="result")
    assert [p.read_text() for p in got] == ["result of ASYNC"]
    assert str(job.name) in [j.name async for j in jobs.list()]


async def test_second_submission_reuses_code(jobs: AsyncJobOperations, recorder: Recorder, tmp_path: Path) -> None:
    code = project(tmp_path / "src", {"main.py": f"print('{uuid.uuid4().hex}')\n"})
    first = await jobs.submit("python main.py", code=code, environment=ENV)
    assert recorder.count("POST", "/startPendingUpload") == 1
    second = await jobs.submit("python main.py", code=code, environment=ENV)
    assert recorder.count("POST", "/startPendingUpload") == 1
    assert first.to_dict()["properties"]["codeId"] == second.to_dict()["properties"]["codeId"]
    with pytest.raises(JobFailedError):  # nothing to wait for: cancel one and see it end Canceled
        await jobs.cancel(str(second.name))
        await jobs.wait(str(second.name), poll_first=0.05, poll_max=0.5)


async def test_foreign_sas_refused(emulator_url: str, workspace_names: tuple[str, str], recorder: Recorder) -> None:
    async with AsyncAzureML.for_emulator(emulator_url, http=HttpConfig(on_event=recorder)) as ml:
        ws = ml.workspace(*workspace_names)
        with pytest.raises(UntrustedHostError):
            AsyncBlobContainerClient.from_sas_url(ws, "https://evil.example.com/a/c?sig=SECRET")
        blobs = await AsyncJobOperations(ws).datastore_client("workspaceblobstore")
        with pytest.raises(BlobNotFoundError) as caught:
            await blobs.get_properties("nowhere/" + uuid.uuid4().hex)
        assert caught.value.status_code == 404
    assert not [e for e in recorder.events if "evil" in e.url]


async def test_parallel_blocks_one_failing_once_retried_alone(emulator_factory: EmulatorFactory,
                                                              tmp_path: Path) -> None:
    emu: RunningEmulator = emulator_factory()
    with AzureML.for_emulator(emu.base_url) as sync_ml:
        create_workspace(sync_ml, "afaults-rg", "afaults-ws")
    recorder = Recorder()
    block = 64 * 1024
    payload = uuid.uuid4().bytes * (8 * block // 16) + b"tail"  # eight full blocks and a short one
    code = project(tmp_path / "big", {"data.bin": payload, "small.py": "print(1)\n"})
    async with AsyncAzureML.for_emulator(emu.base_url, http=HttpConfig(on_event=recorder)) as ml:
        jobs = AsyncJobOperations(ml.workspace("afaults-rg", "afaults-ws"), block_size=block,
                                  single_put_size=block, concurrency=4)
        blobs = await jobs.datastore_client("workspaceblobstore")
        prefix = "/" + blobs.address.base.split("/", 3)[3] + "/LocalUpload/"
        set_faults(emu, rate=1.0, kinds=["503"], paths=[prefix])
        healed: list[int] = []

        def heal(event: HttpEvent) -> None:
            if event.status_code == 503 and not healed:
                healed.append(1)
                httpx.post(emu.base_url + "/_emulator/faults", json={"rate": 0})

        recorder.hook = heal
        uploaded = await jobs.code.upload(code)
        recorder.hook = None
        by_request: dict[str | None, list[int | None]] = {}
        for e in recorder.events:
            if e.method == "PUT" and "blockid=" in e.url:
                by_request.setdefault(e.request_id, []).append(e.status_code)
        assert len(by_request) == 9  # nine blocks, each one logical request
        failed = [s for s in by_request.values() if s != [201]]
        assert failed and all(s == [503, 201] for s in failed)  # only the refused ones were sent again
        assert len(failed) <= 4  # at most the blocks in flight when the store healed
        assert uploaded.uploaded
        folder = f"LocalUpload/{upload_id(recorder)}/big"
        assert await blobs.get_blob(f"{folder}/data.bin") == payload
        assert await blobs.get_blob(f"{folder}/data.bin", 5, 9) == payload[5:10]
        listed = [i.name async for i in blobs.list_blobs(folder + "/", page_size=1)]
        assert listed == [f"{folder}/data.bin", f"{folder}/small.py"]
        tops = [i async for i in blobs.list_blobs(folder.rsplit("/", 1)[0] + "/", delimiter="/")]
        assert [(i.name, i.is_prefix) for i in tops] == [(folder + "/", True)]

