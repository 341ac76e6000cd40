"""v2 command jobs over real HTTP: code and data in the blob store (azure-storage-blob), the job really runs,
its log is read through the run-history SAS URL, outputs land in the datastore paths azure-ai-ml reads;
failure, cancel, the compute's node limit, repeated PUTs and hostile bodies."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from azure.storage.blob import BlobServiceClient, ContainerClient
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, verify_for

from .v2_support import V2Workspace, arm_error

TERMINAL = ("Completed", "Failed", "Canceled")
HELLO = (
    "import os, sys\n"
    "greeting, data, out = sys.argv[1:4]\n"
    "print('hello from the job:', greeting)\n"
    "print('input says:', open(data).read().strip())\n"
    "print('env:', os.environ.get('MY_SETTING'))\n"
    "open(os.path.join(out, 'result.txt'), 'w').write('result of ' + greeting)\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "open('outputs/metrics.json', 'w').write('{}')\n"
)


class Jobs(V2Workspace):
    """A workspace with its blob datastore, a 1-node compute and job helpers."""

    def __init__(self, arm: Arm, emu: RunningEmulator) -> None:
        super().__init__(arm)
        self.emu = emu
        props = self.workspace()["properties"]
        self.account = props["storageAccount"].rsplit("/", 1)[-1].lower()
        accounts = httpx.get(f"{emu.base_url}/_emulator/storage/accounts", verify=verify_for(emu)).json()["value"]
        key = next(a["key"] for a in accounts if a["name"] == self.account)
        service = BlobServiceClient(f"{emu.base_url}/{self.account}", credential=key)
        self.container_name = f"azureml-blobstore-{props['workspaceId']}"
        self.blobs: ContainerClient = service.get_container_client(self.container_name)
        if not self.blobs.exists():
            self.blobs.create_container()
        self.artifacts: ContainerClient = service.get_container_client("azureml")
        r = arm.request(
            "PUT", self.path + "/computes/cpu1",
            json={"location": "eastus", "properties": {"computeType": "AmlCompute", "properties": {
                "vmSize": "STANDARD_DS3_V2", "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 1}}}},
        )  # fmt: skip
        assert r.status_code in (200, 201), r.text
        self.compute_id = f"{self.path}/computes/cpu1"

    def code(self, files: dict[str, str]) -> str:
        """Upload ``files`` as a code folder and register a code version; its ARM id."""
        folder = f"LocalUpload/{uuid.uuid4().hex}/src"
        for name, text in files.items():
            self.blobs.upload_blob(f"{folder}/{name}", text.encode())
        name = str(uuid.uuid4())
        code_uri = f"{self.emu.base_url}/{self.account}/{self.container_name}/{folder}"
        r = self.call("PUT", f"/codes/{name}/versions/1", api="2023-04-01",
                      json={"properties": {"codeUri": code_uri, "isAnonymous": True}})  # fmt: skip
        assert r.status_code in (200, 201), r.text
        return f"{self.path}/codes/{name}/versions/1"

    def body(self, command: str, **props: Any) -> dict[str, Any]:
        return {
            "properties": {
                "jobType": "Command",
                "command": command,
                "environmentId": "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
                "computeId": self.compute_id,
                "experimentName": "jobs-tests",
                **props,
            }
        }

    def submit(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.call("PUT", f"/jobs/{name}", json=body)
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    def status(self, name: str) -> str:
        r = self.call("GET", f"/jobs/{name}")
        assert r.status_code == 200, r.text
        return str(r.json()["properties"]["status"])

    def wait_for(self, name: str, wanted: tuple[str, ...] = TERMINAL, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            status = self.status(name)
            if status in wanted or time.monotonic() > deadline:
                return status
            time.sleep(0.1)

    def history(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.arm.client.request(method, f"/history/v1.0{self.path}{path}", params={"api-version": "v1.0"}, **kw)


@pytest.fixture
def jobs(arm: Arm, emulator: RunningEmulator) -> Iterator[Jobs]:
    yield Jobs(arm, emulator)


def test_command_job_runs_with_code_inputs_and_outputs(jobs: Jobs) -> None:
    code = jobs.code({"hello.py": HELLO})
    jobs.blobs.upload_blob("data/in.txt", b"from the datastore\n")
    name = "job_" + uuid.uuid4().hex[:8]
    created = jobs.submit(
        name,
        jobs.body(
            "python hello.py ${{inputs.greeting}} ${{inputs.data}} ${{outputs.result}}",
            codeId=code,
            inputs={
                "greeting": {"jobInputType": "literal", "value": "REST"},
                "data": {
                    "jobInputType": "uri_file",
                    "uri": "azureml://datastores/workspaceblobstore/paths/data/in.txt",
                },
            },
            outputs={"result": {"jobOutputType": "uri_folder"}},
            environmentVariables={"MY_SETTING": "on"},
        ),
    )
    props = created["properties"]
    assert created["name"] == name and created["id"].endswith(f"/jobs/{name}")
    assert props["status"] in ("NotStarted", "Queued", "Preparing", "Starting", "Running")
    assert (
        props["outputs"]["default"]["uri"] == f"azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.{name}"
    )
    assert props["outputs"]["result"]["uri"] == f"azureml://datastores/workspaceblobstore/paths/azureml/{name}/result/"
    assert jobs.wait_for(name) == "Completed"

    details = jobs.history("GET", f"/runs/{name}/details")
    assert details.status_code == 200, details.text
    assert details.json()["status"] == "Completed"
    log_url = details.json()["logFiles"]["user_logs/std_log.txt"]
    log = httpx.get(log_url, verify=verify_for(jobs.emu))  # a SAS URL: no Authorization header
    assert log.status_code == 200, log.text
    assert "hello from the job: REST" in log.text
    assert "input says: from the datastore" in log.text
    assert "env: on" in log.text
    assert httpx.get(log_url.split("?")[0], verify=verify_for(jobs.emu)).status_code in (403, 404)

    result = jobs.blobs.download_blob(f"azureml/{name}/result/result.txt").readall()
    assert result == b"result of REST"
    listed = [b.name for b in jobs.artifacts.list_blobs(name_starts_with=f"ExperimentRun/dcid.{name}/")]
    assert f"ExperimentRun/dcid.{name}/outputs/metrics.json" in listed
    assert f"ExperimentRun/dcid.{name}/user_logs/std_log.txt" in listed

    data = jobs.history("POST", "/rundata", json={"runId": name, "selectRunMetadata": True})
    assert data.status_code == 200, data.text
    outputs = data.json()["runMetadata"]["outputs"]
    assert set(outputs) == {"default", "result"}
    ids = [o["assetId"] for o in outputs.values()]
    resolved = jobs.arm.client.post(
        f"/data/v1.0{jobs.path}/dataversion/batchGetResolvedUris", params={"api-version": "1.5.0"}, json={"values": ids}
    )
    assert resolved.status_code == 200, resolved.text
    uri = resolved.json()["values"][outputs["result"]["assetId"]]["uri"]
    assert uri.endswith(f"/datastores/workspaceblobstore/paths/azureml/{name}/result/")


def test_failing_command_fails_the_job_with_its_exit_code(jobs: Jobs) -> None:
    name = "fail_" + uuid.uuid4().hex[:8]
    jobs.submit(name, jobs.body("python -c \"print('about to fail'); raise SystemExit(3)\""))
    assert jobs.wait_for(name) == "Failed"
    details = jobs.history("GET", f"/runs/{name}/details").json()
    assert "exited with code 3" in details["error"]["error"]["message"]
    assert "about to fail" in httpx.get(details["logFiles"]["user_logs/std_log.txt"], verify=verify_for(jobs.emu)).text


def test_missing_input_blob_fails_the_job_before_it_runs(jobs: Jobs) -> None:
    name = "noinput_" + uuid.uuid4().hex[:8]
    uri = "azureml://datastores/workspaceblobstore/paths/nowhere/missing.txt"
    jobs.submit(name, jobs.body("python -c 'print(1)' ${{inputs.x}}",
                                inputs={"x": {"jobInputType": "uri_file", "uri": uri}}))  # fmt: skip
    assert jobs.wait_for(name) == "Failed"
    assert "missing.txt" in jobs.history("GET", f"/runs/{name}/details").json()["error"]["error"]["message"]


def test_cancel_terminates_the_process_and_the_node_limit_queues_the_next_job(jobs: Jobs) -> None:
    sleeper = "python -c \"import time; print('sleeping', flush=True); time.sleep(120)\""
    first, second = "sleep1_" + uuid.uuid4().hex[:6], "sleep2_" + uuid.uuid4().hex[:6]
    jobs.submit(first, jobs.body(sleeper))
    assert jobs.wait_for(first, ("Running",)) == "Running"
    jobs.submit(second, jobs.body(sleeper))
    # cpu1 has one node and the first job holds it: the second cannot leave the queue while the first runs.
    assert jobs.wait_for(second, ("Queued",)) == "Queued"
    assert jobs.status(first) == "Running"

    r = jobs.call("POST", f"/jobs/{first}/cancel")
    assert r.status_code == 202, r.text
    assert "Location" in r.headers
    assert jobs.wait_for(first) == "Canceled"
    final = jobs.arm.wait(r.headers["Location"])
    assert final.status_code == 200, final.text
    # the node is free again: the queued job starts
    assert jobs.wait_for(second, ("Running", *TERMINAL)) == "Running"
    assert jobs.call("POST", f"/jobs/{second}/cancel").status_code == 202
    assert jobs.wait_for(second) == "Canceled"


def test_repeated_put_is_idempotent_and_only_mutable_properties_change(jobs: Jobs) -> None:
    name = "again_" + uuid.uuid4().hex[:8]
    body = jobs.body("python -c 'print(1)'", tags={"a": "1"})
    jobs.submit(name, body)
    again = jobs.call("PUT", f"/jobs/{name}", json=body)
    assert again.status_code == 200, again.text
    retagged = jobs.body("python -c 'print(1)'", tags={"a": "2"})
    r = jobs.call("PUT", f"/jobs/{name}", json=retagged)
    assert r.status_code == 200 and r.json()["properties"]["tags"] == {"a": "2"}
    error = arm_error(jobs.call("PUT", f"/jobs/{name}", json=jobs.body("python -c 'print(2)'")), 400)
    assert "command" in error["message"]
    assert jobs.wait_for(name) == "Completed"
    assert [j["name"] for j in jobs.call("GET", "/jobs").json()["value"]].count(name) == 1
    # azure-ai-ml's jobs.archive PUTs back the job it read, with isArchived flipped
    echoed = jobs.call("GET", f"/jobs/{name}").json()
    echoed["properties"]["isArchived"] = True
    archived = jobs.call("PUT", f"/jobs/{name}", json=echoed)
    assert archived.status_code == 200, archived.text
    assert archived.json()["properties"]["isArchived"] is True
    assert name not in [j["name"] for j in jobs.call("GET", "/jobs").json()["value"]]
    only_archived = jobs.call("GET", "/jobs", params={"listViewType": "ArchivedOnly"}).json()["value"]
    assert [j["name"] for j in only_archived] == [name]


def test_list_pages_with_next_link_and_filters(jobs: Jobs) -> None:
    names = [f"list{i}_" + uuid.uuid4().hex[:6] for i in range(3)]
    for n in names:
        jobs.submit(n, jobs.body("python -c 'print(1)'", tags={"batch": n}))
    jobs.submit("pipe_" + names[0], {"properties": {"jobType": "Pipeline", "jobs": {}, "settings": {}}})
    seen: list[str] = []
    url: str | None = None
    r = jobs.call("GET", "/jobs", params={"jobType": "Command"})
    while True:
        assert r.status_code == 200, r.text
        seen += [j["name"] for j in r.json()["value"]]
        url = r.json().get("nextLink")
        if not url:
            break
        r = jobs.arm.client.get(url)
    assert set(names) <= set(seen) and "pipe_" + names[0] not in seen
    tagged = jobs.call("GET", "/jobs", params={"tag": "batch"}).json()["value"]
    assert {j["name"] for j in tagged} >= set(names)
    pipeline = jobs.call("GET", f"/jobs/pipe_{names[0]}").json()
    assert pipeline["properties"]["jobType"] == "Pipeline" and pipeline["properties"]["status"] == "NotStarted"
    for n in names:
        jobs.wait_for(n)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"properties": {"jobType": "Bogus", "command": "x"}}, "jobType"),
        ({"properties": {"command": "x"}}, "jobType"),
        ({"properties": []}, "properties"),
        ({}, "properties"),
        ({"properties": {"jobType": "Command", "environmentId": "e"}}, "command"),
        ({"properties": {"jobType": "Command", "command": "x"}}, "environmentId"),
        ({"properties": {"jobType": "Command", "command": "echo ${{inputs.nope}}", "environmentId": "e"}}, "nope"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "inputs": {"a": {"jobInputType": "teleport", "uri": "u"}}}}, "jobInputType"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "inputs": {"../a": {"jobInputType": "literal", "value": "v"}}}}, "Input name"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "outputs": {"o": {"jobOutputType": "literal"}}}}, "jobOutputType"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "limits": {"jobLimitsType": "Command", "timeout": "soon"}}}, "timeout"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "identity": {"identityType": "Nobody"}}}, "identityType"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "computeId": "/subscriptions/s/resourceGroups/r/providers/p/workspaces/w/computes/none"}},
         "compute"),
        ({"properties": {"jobType": "Command", "command": "echo \x00", "environmentId": "e"}}, "NUL"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "environmentVariables": {"A=B": "c"}}}, "Environment variable"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "environmentVariables": {"A": 1}}}, "environmentVariables"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "distribution": {"distributionType": "Ray"}}}, "distributionType"),
        ({"properties": {"jobType": "Command", "command": "x", "environmentId": "e",
                         "resources": {"instanceCount": 0}}}, "instanceCount"),
    ],
)  # fmt: skip
def test_hostile_bodies_get_arm_errors(jobs: Jobs, body: dict[str, Any], fragment: str) -> None:
    error = arm_error(jobs.call("PUT", "/jobs/hostile_" + uuid.uuid4().hex[:6], json=body), 400)
    assert fragment in error["message"]


def test_malformed_json_traversal_names_and_unknown_jobs(jobs: Jobs) -> None:
    r = jobs.call("PUT", "/jobs/badjson", content=b"{not json", headers={"Content-Type": "application/json"})
    arm_error(r, 400)
    arm_error(jobs.call("PUT", "/jobs/..%2F..%2Fetc", json=jobs.body("x")), 404)  # no such route
    arm_error(jobs.call("PUT", "/jobs/%2E%2E", json=jobs.body("x")), 400)
    arm_error(jobs.call("PUT", "/jobs/a%00b", json=jobs.body("x")), 400)
    arm_error(jobs.call("GET", "/jobs/never_submitted"), 404)
    arm_error(jobs.call("POST", "/jobs/never_submitted/cancel"), 404)
    assert jobs.history("GET", "/runs/never_submitted/details").status_code == 404
    assert jobs.call("GET", "/jobs").status_code == 200  # still serving


def test_job_responses_match_the_machinelearning_spec(jobs: Jobs) -> None:
    from tests.emulator.test_spec_conformance import Checker, _spec

    check = Checker(_spec("machinelearning.yaml"), "https://management.azure.com")
    name = "conf_" + uuid.uuid4().hex[:8]
    body = jobs.body(
        "python -c 'import time; time.sleep(60)' ${{inputs.n}} ${{outputs.o}}",
        inputs={"n": {"jobInputType": "literal", "value": "1"}},
        outputs={"o": {"jobOutputType": "uri_folder"}},
        limits={"jobLimitsType": "Command", "timeout": "PT5M"},
    )
    check(jobs.call("PUT", f"/jobs/{name}", json=body))
    check(jobs.call("PUT", f"/jobs/{name}", json=body))
    check(jobs.call("GET", f"/jobs/{name}"))
    check(jobs.call("GET", "/jobs"))
    check(jobs.call("GET", "/jobs/never_submitted"))
    check(jobs.call("PUT", "/jobs/conf_bad", json={"properties": {"jobType": "Bogus"}}))
    canceled = check(jobs.call("POST", f"/jobs/{name}/cancel"))
    assert jobs.wait_for(name) == "Canceled"
    check(jobs.call("GET", f"/jobs/{name}"))
    assert jobs.arm.wait(canceled.headers["Location"]).status_code == 200
    gone = check(jobs.call("DELETE", f"/jobs/{name}"))
    assert jobs.arm.wait(gone.headers["Location"]).status_code == 204
    arm_error(jobs.call("GET", f"/jobs/{name}"), 404)


def test_a_job_times_out_at_its_limit_and_chains_on_another_jobs_output(jobs: Jobs) -> None:
    first = "producer_" + uuid.uuid4().hex[:6]
    jobs.submit(first, jobs.body("python -c \"open('${{outputs.o}}/v.txt','w').write('7')\"",
                                 outputs={"o": {"jobOutputType": "uri_folder"}}))  # fmt: skip
    assert jobs.wait_for(first) == "Completed"
    second = "consumer_" + uuid.uuid4().hex[:6]
    uri = f"azureml://jobs/{first}/outputs/o/paths/v.txt"
    jobs.submit(second, jobs.body("python -c \"print('got', open('${{inputs.v}}').read())\"",
                                  inputs={"v": {"jobInputType": "uri_file", "uri": uri}}))  # fmt: skip
    assert jobs.wait_for(second) == "Completed"
    details = jobs.history("GET", f"/runs/{second}/details").json()
    assert "got 7" in httpx.get(details["logFiles"]["user_logs/std_log.txt"], verify=verify_for(jobs.emu)).text

    slow = "slow_" + uuid.uuid4().hex[:6]
    jobs.submit(slow, jobs.body("python -c 'import time; time.sleep(120)'",
                                limits={"jobLimitsType": "Command", "timeout": "PT1S"}))  # fmt: skip
    assert jobs.wait_for(slow) == "Failed"
    error = jobs.history("GET", f"/runs/{slow}/details").json()["error"]["error"]
    assert error["code"] == "JobTimeout"


def test_jobs_and_their_logs_survive_a_restart_and_an_interrupted_job_fails(
    make_emulator: Callable[..., RunningEmulator], tmp_path: Path
) -> None:
    first = make_emulator(data_dir=tmp_path)
    before = Jobs(Arm(first), first)
    done, cut = "done_" + uuid.uuid4().hex[:6], "cut_" + uuid.uuid4().hex[:6]
    before.submit(done, before.body("python -c \"print('persisted log line')\""))
    assert before.wait_for(done) == "Completed"
    before.submit(cut, before.body("python -c 'import time; time.sleep(120)'"))
    assert before.wait_for(cut, ("Running",)) == "Running"
    before.arm.client.close()
    first.stop()

    second = make_emulator(data_dir=tmp_path)
    arm = Arm(second)
    try:
        after = arm.request("GET", f"{before.path}/jobs/{done}", api="2025-12-01")
        assert after.status_code == 200 and after.json()["properties"]["status"] == "Completed"
        details = arm.client.get(f"/history/v1.0{before.path}/runs/{done}/details", params={"api-version": "v1.0"})
        log = httpx.get(details.json()["logFiles"]["user_logs/std_log.txt"], verify=verify_for(second))
        assert "persisted log line" in log.text
        interrupted = arm.request("GET", f"{before.path}/jobs/{cut}", api="2025-12-01").json()
        assert interrupted["properties"]["status"] == "Failed"
    finally:
        arm.client.close()


def test_statuses_follow_the_service_sequence(jobs: Jobs) -> None:
    sequence = ["NotStarted", "Queued", "Preparing", "Starting", "Running", "Finalizing", "Completed"]
    name = "seq_" + uuid.uuid4().hex[:6]
    seen = [jobs.submit(name, jobs.body("python -c 'import time; time.sleep(0.5)'"))["properties"]["status"]]
    for _ in range(3000):  # bounded, so a stuck job fails the test instead of hanging it
        if seen[-1] in TERMINAL:
            break
        status = jobs.status(name)
        if status != seen[-1]:
            seen.append(status)
        time.sleep(0.01)
    assert seen[-1] == "Completed", seen
    positions = [sequence.index(s) for s in seen]
    assert positions == sorted(positions), seen


def test_run_history_answers_match_the_history_spec(jobs: Jobs) -> None:
    from tests.emulator.test_spec_conformance import Checker, _spec

    check = Checker(_spec("history.yaml"), "https://eastus.api.azureml.ms")
    name = "hist_" + uuid.uuid4().hex[:6]
    jobs.submit(name, jobs.body("python -c 'print(1)' ${{outputs.o}}", outputs={"o": {"jobOutputType": "uri_folder"}}))
    assert jobs.wait_for(name) == "Completed"
    metric = {
        "name": "loss",
        "columns": {"loss": "Double"},
        "value": [{"metricId": "m1", "step": 0, "data": {"loss": 0.5}}],
    }
    posted = jobs.arm.client.post(f"/metric/v2.0{jobs.path}/runs/{name}/batch", json={"values": [metric]})
    assert posted.status_code == 200, posted.text
    check(jobs.history("GET", f"/runs/{name}/details"))
    check(jobs.history("GET", "/runs/never_submitted/details"))
    check(jobs.history("POST", "/rundata", json={"runId": name, "selectRunMetadata": True}))
    listed = check(jobs.arm.client.post(f"/metric/v2.0{jobs.path}/runs/{name}/list", json={}))
    assert [m["metricKey"]["name"] for m in listed.json()["value"]] == ["loss"]
    full = check(jobs.arm.client.post(f"/metric/v2.0{jobs.path}/runs/{name}/full", json={"metricName": "loss"}))
    assert full.json()["value"][0]["data"] == {"loss": 0.5}
