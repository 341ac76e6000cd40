"""Helpers for the integration tests (dependent resource ids, a workspace, a run that leaves artifacts; the v2 job
tests' environment, script and HTTP event recorder)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from typing import Any

from azureml_execution_client.api.runs import runs_start_run
from azureml_execution_client.models import StartRunRequest
from azureml_execution_client.types import File
from azureml_history_client.api.runs import runs_get
from azureml_rest._call import call
from azureml_rest.client import AzureML
from azureml_rest.config import HttpEvent

LOCATION = "eastus"
#: The curated environment the v2 job tests submit with.
ENV = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest"
#: A v2 job's script: ``python hello.py GREETING DATA_FILE OUTPUT_FOLDER``.
HELLO_JOB = (
    "import os, sys\n"
    "greeting, data, out = sys.argv[1:4]\n"
    "print('hello from the job:', greeting)\n"
    "print('input says:', open(data).read().strip())\n"
    "print('env:', os.environ.get('MY_SETTING'))\n"
    "open(os.path.join(out, 'result.txt'), 'w').write('result of ' + greeting)\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "open('outputs/metrics.json', 'w').write('{}')\n"
)


class Recorder:
    """Every HTTP attempt the library makes (``HttpConfig.on_event``)."""

    def __init__(self) -> None:
        self.events: list[HttpEvent] = []
        self.hook: Callable[[HttpEvent], None] | None = None

    def __call__(self, event: HttpEvent) -> None:
        self.events.append(event)
        if self.hook is not None:
            self.hook(event)

    def count(self, method: str, fragment: str) -> int:
        return sum(1 for e in self.events if e.method == method and fragment in e.url)


def upload_id(recorder: Recorder) -> str:
    """The ``LocalUpload/<id>`` folder of the first upload ``recorder`` saw."""
    for e in recorder.events:
        if e.method == "PUT" and "/LocalUpload/" in e.url:
            return e.url.split("/LocalUpload/", 1)[1].split("/", 1)[0]
    raise AssertionError("no upload seen")


def dependent_ids(sub: str, rg: str, prefix: str = "dep") -> dict[str, str]:
    """Well-formed ARM ids of the four dependent resources (specs/management.yaml ``WorkspaceProperties``)."""
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    return {
        "storage_account": f"{base}/Microsoft.Storage/storageAccounts/{prefix}sa",
        "key_vault": f"{base}/Microsoft.KeyVault/vaults/{prefix}kv",
        "application_insights": f"{base}/Microsoft.Insights/components/{prefix}ai",
        "container_registry": f"{base}/Microsoft.ContainerRegistry/registries/{prefix}cr",
    }


def create_workspace(ml: AzureML, rg: str, name: str) -> Any:
    ml.resource_groups.create_or_update(rg, LOCATION)
    return ml.workspaces.begin_create_or_update(
        rg, name, location=LOCATION, **dependent_ids(ml.subscription_id, rg)
    ).result(timeout=30)


SCORE_PY = '''
import json, os

def init():
    global factor
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as f:
        factor = json.load(f)["factor"]

def run(raw_data):
    data = json.loads(raw_data)["data"]
    return {"result": [sum(row) * factor for row in data]}
'''

TRAIN_PY = '''
import json, os
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.json", "w") as f:
    json.dump({"factor": 10}, f)
with open("outputs/score.py", "w") as f:
    f.write(open("score_src.py").read())
print("trained")
'''


def run_training(ws: Any, experiment: str, target: str = "local", timeout: float = 60.0) -> str:
    """Start a tiny run (through the generated execution client) writing outputs/model.json and outputs/score.py,
    wait for Completed, return its run id."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("train.py", TRAIN_PY)
        z.writestr("score_src.py", SCORE_PY)
    definition = {"Configuration": {"Script": "train.py", "Arguments": [], "Target": target}}
    body = StartRunRequest(
        run_definition_file=File(payload=io.BytesIO(json.dumps(definition).encode()), file_name="definition.json",
                                 mime_type="application/json"),
        project_zip_file=File(payload=io.BytesIO(buf.getvalue()), file_name="project.zip",
                              mime_type="application/zip"),
    )
    sub, rg, name = ws.ids
    started = runs_start_run.sync_detailed(sub, rg, name, experiment, client=ws.client("execution"), body=body)
    assert int(started.status_code) == 200, started.content
    run_id = str(started.parsed.run_id)  # type: ignore[union-attr]
    deadline = time.monotonic() + timeout
    while True:
        from azureml_history_client.models import Run

        run = call(Run, runs_get.sync_detailed, ws.subscription_uuid, rg, name, experiment, run_id,
                   client=ws.client("history"))
        status = str(run.status)
        if status in ("Completed", "Failed", "Canceled"):
            assert status == "Completed", f"training run ended {status}: {run.error}"
            return run_id
        if time.monotonic() > deadline:
            raise AssertionError(f"training run still {status}")
        time.sleep(0.2)
