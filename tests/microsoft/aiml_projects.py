"""What the azure-ai-ml scenario submits and deploys: a training folder, a scoring folder, a model file, and the
job helpers (stream while running, wait until terminal).

The training script prints its greeting, writes ``outputs/result.txt`` and then waits for a gate file named by
the environment variable ``AIML_GATE``. azure-ai-ml's ``jobs.stream`` prints logs only inside its polling loop,
that is only when it first sees the job in progress (``operations/_job_ops_helper.py``,
``stream_logs_until_completion``), so the test opens the gate after the log was printed instead of hoping the job
is slow enough. The script gives up after :data:`GATE_LIMIT` seconds and fails the job, so nothing hangs.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Hang guards, not assertions: generous for a loaded 2-core gate (the log shows up within seconds normally).
LOG_WAIT = 180  # seconds the test waits for the streamed log before opening the gate anyway
GATE_LIMIT = 2 * LOG_WAIT  # seconds the training script waits for its gate before failing the job
STREAM_LIMIT = 600  # seconds a stream may take before the test gives up on it
IMAGE = "python:3.11-slim"  # recorded by the emulator, not run (no containers)
GREETING = "hello from azure-ai-ml"
MODEL_TEXT = "weights-42"

HELLO = f'''\
import os
import sys
import time

print("{GREETING}", *sys.argv[1:], flush=True)
os.makedirs("outputs", exist_ok=True)
with open(os.path.join("outputs", "result.txt"), "w") as f:
    f.write("result " + " ".join(sys.argv[1:]))
gate = os.environ.get("AIML_GATE")
deadline = time.monotonic() + {GATE_LIMIT}
while gate and not os.path.exists(gate):
    if time.monotonic() > deadline:
        sys.exit("the test never opened the gate " + gate)
    time.sleep(0.1)
print("done", flush=True)
'''

SCORE = """\
import json
import os

MODEL = None


def init():
    global MODEL
    for root, _dirs, files in os.walk(os.environ["AZUREML_MODEL_DIR"]):
        if "model.txt" in files:
            with open(os.path.join(root, "model.txt")) as f:
                MODEL = f.read().strip()


def run(raw_data):
    data = json.loads(raw_data)["data"]
    return {"model": MODEL, "sum": sum(data)}
"""


@dataclass(frozen=True)
class Projects:
    """Folders and files on disk for one package run."""

    hello: Path  # the training code folder
    score: Path  # the scoring code folder
    model_file: Path  # a one-file model (text MODEL_TEXT)


def write_projects(root: Path) -> Projects:
    """Write the folders under ``root`` (fixed contents: the code hash is the same for every submission)."""
    hello, score, model = root / "hello", root / "score", root / "model"
    for folder in (hello, score, model):
        folder.mkdir(parents=True)
    (hello / "hello.py").write_text(HELLO)
    (score / "score.py").write_text(SCORE)
    (model / "model.txt").write_text(MODEL_TEXT + "\n")
    return Projects(hello=hello, score=score, model_file=model / "model.txt")


def hello_command(projects: Projects, compute: str, experiment: str, gate: Path) -> Any:
    """The command job of the scenario: code from a local folder, a literal input, an environment variable
    (``AIML_GATE``: the job finishes once ``gate`` exists; create it first for a job that need not wait)."""
    from azure.ai.ml import command
    from azure.ai.ml.entities import Environment

    return command(
        code=str(projects.hello),
        command="python hello.py ${{inputs.number}}",
        inputs={"number": 234},
        environment=Environment(image=IMAGE),
        environment_variables={"AIML_GATE": str(gate)},
        compute=compute,
        experiment_name=experiment,
        display_name="hello",
    )


def _wait_for(predicate: Any, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stream_job(ml_client: Any, job_name: str, *, gate: Path | None = None, expected: str = "") -> str:
    """``jobs.stream(job_name)`` with its output captured and returned; raises what the stream raised.

    With ``gate``: the gate is opened once ``expected`` was printed (or the stream ended), so the job is seen
    running. The stream runs in a thread only so that a job that never ends fails the test after
    :data:`STREAM_LIMIT` seconds instead of hanging the gate (azure-ai-ml's stream has no limit of its own).
    """
    out = io.StringIO()
    failure: list[BaseException] = []

    def stream() -> None:
        try:
            ml_client.jobs.stream(job_name)
        except BaseException as exc:  # handed to the test thread
            failure.append(exc)

    worker = threading.Thread(target=stream, name=f"stream-{job_name}", daemon=True)
    with contextlib.redirect_stdout(out):
        worker.start()
        if gate is not None:
            _wait_for(lambda: expected in out.getvalue() or not worker.is_alive(), LOG_WAIT)
            gate.touch()
        worker.join(STREAM_LIMIT)
    printed = out.getvalue()
    assert not worker.is_alive(), f"jobs.stream did not return within {STREAM_LIMIT} s; it printed:\n{printed}"
    if failure:
        raise failure[0]
    return printed


def wait_terminal(ml_client: Any, job_name: str) -> Any:
    """The job once it is terminal, waited for the SDK's way (``jobs.stream``, output discarded)."""
    stream_job(ml_client, job_name)
    return ml_client.jobs.get(job_name)
