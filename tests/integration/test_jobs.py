"""v2 jobs over real HTTP against the emulator (sync): submit a tiny project from a folder, follow its log,
download its outputs; code reused by hash; a SAS to a foreign host refused; a failed block retried alone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML
from azureml_rest.config import HttpConfig, HttpEvent
from azureml_rest.errors import JobFailedError, NotFoundError, UntrustedHostError
from azureml_rest.operations.jobs import BlobContainerClient, Input, JobOperations, Output, job_status

from tests.emulator_fixture import EmulatorFactory
from tests.integration.runs_support import project, set_faults
from tests.integration.support import ENV, HELLO_JOB, Recorder, create_workspace, upload_id


@pytest.fixture
def jobs(emulator_url: str, workspace_names: tuple[str, str], recorder: Recorder) -> Iterator[JobOperations]:
    with AzureML.for_emulator(emulator_url, http=HttpConfig(on_event=recorder)) as ml:
        yield JobOperations(ml.workspace(*workspace_names))


def test_submit_a_folder_follow_the_log_and_download_outputs(jobs: JobOperations, tmp_path: Path) -> None:
    code = project(tmp_path / "src", {"hello.py": HELLO_JOB, "run_id.txt": uuid.uuid4().hex})
    data = project(tmp_path / "data", {"in.txt": "from a local file\n"}) / "in.txt"
    job = jobs.submit(
        "python hello.py ${{inputs.greeting}} ${{inputs.data}} ${{outputs.result}}",
        code=code, image="python:3.11-slim",
        inputs={"greeting": "REST", "data": Input(path=data)},
        outputs={"result": Output("uri_folder")},
        environment_variables={"MY_SETTING": "on"}, timeout=600, instance_count=1,
        experiment_name="jobs-it", display_name="hello", tags={"suite": "it"},
    )
    assert job_status(job) in ("NotStarted", "Queued", "Preparing", "Starting", "Running")
    props = job.to_dict()["properties"]
    assert "/environments/CliV2AnonymousEnvironment/versions/" in props["environmentId"]
    assert props["inputs"]["data"]["uri"].startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/")
    assert props["limits"]["timeout"] == "PT600S"

    lines: list[str] = []
    final = jobs.wait(str(job.name), on_log_line=lines.append, poll_first=0.05, poll_max=0.5)
    assert job_status(final) == "Completed"
    assert "hello from the job: REST" in lines
    assert "input says: from a local file" in lines
    assert "env: on" in lines
    assert len(lines) == len(set(lines))  # each line once, though the log was read on every poll

    got = jobs.download_outputs(str(job.name), tmp_path / "out", output_name="result")
    assert [p.name for p in got] == ["result.txt"]
    assert got[0].read_text() == "result of REST"
    default = jobs.download_outputs(str(job.name), tmp_path / "default")
    assert (tmp_path / "default" / "outputs" / "metrics.json").read_text() == "{}"
    assert any(p.name == "std_log.txt" for p in default)

    assert jobs.get(str(job.name)).name == job.name
    assert str(job.name) in [j.name for j in jobs.list()]


def test_a_second_submission_reuses_the_code_and_a_repeated_name_makes_one_job(
    jobs: JobOperations, recorder: Recorder, tmp_path: Path
) -> None:
    code = project(tmp_path / "src", {"main.py": f"print('{uuid.uuid4().hex}')\n", "pkg/util.py": "X = 1\n"})
    first = jobs.submit("python main.py", code=code, environment=ENV)
    uploads = recorder.count("POST", "/startPendingUpload")
    puts = recorder.count("PUT", "/LocalUpload/")
    assert uploads == 1 and puts >= 2
    name = "again_" + uuid.uuid4().hex[:8]
    second = jobs.submit("python main.py", code=code, environment=ENV, name=name)
    assert recorder.count("POST", "/startPendingUpload") == uploads  # no second upload
    assert recorder.count("PUT", "/LocalUpload/") == puts
    assert second.to_dict()["properties"]["codeId"] == first.to_dict()["properties"]["codeId"]
    # the same name again (a retried submission) answers with the existing job, never a second one
    jobs.submit("python main.py", code=code, environment=ENV, name=name)
    assert [j.name for j in jobs.list()].count(name) == 1
    assert job_status(jobs.wait(name, poll_first=0.05, poll_max=0.5)) == "Completed"


def test_a_failed_job_raises_with_the_services_message(jobs: JobOperations, tmp_path: Path) -> None:
    code = project(tmp_path / "src", {"fail.py": "print('about to fail')\nraise SystemExit(3)\n"})
    job = jobs.submit("python fail.py", code=code, environment=ENV)
    lines: list[str] = []
    with pytest.raises(JobFailedError) as caught:
        jobs.wait(str(job.name), on_log_line=lines.append, poll_first=0.05, poll_max=0.5)
    assert caught.value.status == "Failed" and caught.value.job_name == job.name
    assert "exited with code 3" in str(caught.value)
    assert "about to fail" in lines


def test_cancel_ends_the_job_canceled(jobs: JobOperations, tmp_path: Path) -> None:
    code = project(tmp_path / "src", {"sleep.py": "import time\nprint('sleeping', flush=True)\ntime.sleep(120)\n"})
    job = jobs.submit("python sleep.py", code=code, environment=ENV)
    jobs.cancel(str(job.name))
    with pytest.raises(JobFailedError) as caught:
        jobs.wait(str(job.name), poll_first=0.05, poll_max=0.5)
    assert caught.value.status == "Canceled"
    with pytest.raises(NotFoundError):
        jobs.get("no_such_job_" + uuid.uuid4().hex[:6])


def test_a_sas_to_a_foreign_host_is_refused_before_any_request(
    emulator_url: str, workspace_names: tuple[str, str], recorder: Recorder
) -> None:
    with AzureML.for_emulator(emulator_url, http=HttpConfig(on_event=recorder)) as ml:
        ws = ml.workspace(*workspace_names)
        for url in ("https://evil.example.com/acct/c?sv=1&sig=SECRET", "https://acct.blob.evil.example/c?sig=S"):
            with pytest.raises(UntrustedHostError) as caught:
                BlobContainerClient.from_sas_url(ws, url)
            assert "SECRET" not in str(caught.value)
    assert not [e for e in recorder.events if "evil" in e.url]


def test_a_block_failing_once_is_retried_alone(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    emu: RunningEmulator = emulator_factory()
    recorder = Recorder()
    size, block = 5 * 64 * 1024 + 123, 64 * 1024  # six blocks, the last one short
    payload = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    code = project(tmp_path / "big", {"weights.bin": payload})
    with AzureML.for_emulator(emu.base_url, http=HttpConfig(on_event=recorder)) as ml:
        create_workspace(ml, "faults-rg", "faults-ws")
        ws = ml.workspace("faults-rg", "faults-ws")
        jobs = JobOperations(ws, block_size=block, single_put_size=block, concurrency=1)
        blobs = jobs.datastore_client("workspaceblobstore")
        prefix = "/" + blobs.address.base.split("/", 3)[3] + "/LocalUpload/"
        set_faults(emu, rate=1.0, kinds=["503"], paths=[prefix])

        def heal(event: HttpEvent) -> None:  # the first refused block heals the store: it fails exactly once
            if event.status_code == 503:
                httpx.post(emu.base_url + "/_emulator/faults", json={"rate": 0})

        recorder.hook = heal
        uploaded = jobs.code.upload(code)
        recorder.hook = None
        assert uploaded.uploaded

        block_events = [e for e in recorder.events if e.method == "PUT" and "blockid=" in e.url]
        by_request: dict[str | None, list[int | None]] = {}
        for e in block_events:
            by_request.setdefault(e.request_id, []).append(e.status_code)
        assert len(by_request) == 6  # one logical request per block
        assert sorted(by_request.values()) == [[201]] * 5 + [[503, 201]]
        assert next(iter(by_request.values())) == [503, 201]  # the first block, sent again on its own
        blocklists = [e for e in recorder.events if e.method == "PUT" and "/weights.bin?" in e.url
                      and "blockid=" not in e.url]
        assert [e.status_code for e in blocklists] == [201, 200]  # Put Block List, then Set Blob Metadata

        # what was committed is the file, byte for byte
        folder = f"LocalUpload/{upload_id(recorder)}/big/weights.bin"
        assert blobs.get_blob(folder) == payload
        assert blobs.get_properties(folder).metadata["upload_status"] == "completed"
        assert blobs.download_to_file(folder, tmp_path / "back.bin", chunk_size=100_000) == size
        assert (tmp_path / "back.bin").read_bytes() == payload

