"""v2 job submission end to end: hash a small project, upload it, register the code, create the job, through
``ws.jobs.submit`` vs azure-ai-ml's ``ml_client.jobs.create_or_update(command(...))`` of the same job, against one
TLS emulator, in this process.

azure-ai-ml is pointed at the emulator by tests/microsoft/'s harness (custom cloud, the emulator's CA, ``*.localhost``
blob hosts resolved to loopback: ``tests/microsoft/aiml_harness.py``) and submits that suite's command job
(``aiml_projects.hello_command``: code folder, a literal input, an image, an environment variable, a compute);
ours submits the same job. Every submission gets a folder of its own (the scenario's script plus a nonce file),
so both sides hash, upload and register every time (neither finds the other's code by its hash). One untimed
submission each first (azure-ai-ml loads its schemas on the first one; ``firstcall`` measures first calls), then
rounds interleaved with the order alternating; after each submission the job is waited for, untimed, so the
emulator's run of it does not overlap the next measurement. Goal: <= 0.3x azure-ai-ml's wall time.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

from ._aiml_world import AIML_MISSING, aiml_world, have_aiml
from ._context import Context
from ._results import Result, skipped
from ._stats import median

NAME = "jobsubmit"
GOAL = 0.30
COMMAND = "python hello.py ${{inputs.number}}"


def _wait_terminal(ws: Any, name: str, limit: float = 300) -> str:
    from azureml_rest.operations.jobs import job_status

    deadline = time.monotonic() + limit
    status = "?"
    while time.monotonic() < deadline:
        status = job_status(ws.jobs.get(name))
        if status in ("Completed", "Failed", "Canceled"):
            break
        time.sleep(0.2)
    return status


def run(ctx: Context) -> list[Result]:
    label = "jobsubmit.submit a folder end to end (ws.jobs.submit vs azure-ai-ml jobs.create_or_update)"
    if not have_aiml():
        return [skipped(label, AIML_MISSING)]
    import pytest
    from azureml_rest.client import AzureML

    from tests.microsoft import aiml_harness as harness
    from tests.microsoft import aiml_projects

    rounds = 1 if ctx.quick else 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # azure-ai-ml's schemas under marshmallow 3.26 (tests/microsoft/conftest.py)
        import azure.ai.ml  # noqa: F401
    times: dict[str, list[float]] = {"ours": [], "aiml": []}
    statuses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-jobsubmit-") as tmp, aiml_world() as (emu, world), \
            pytest.MonkeyPatch.context() as mp:
        harness.trust_and_resolve(mp, emu.ca_file)
        mp.setenv("AZUREML_CURRENT_CLOUD", "AzureCloud")
        root = Path(tmp)
        projects = aiml_projects.write_projects(root / "scenario")
        gate = root / "gate"
        gate.touch()  # the scenario's jobs finish without waiting
        ml_client = harness.ml_client(world, harness.credential(emu))
        with AzureML.for_emulator(emu.base_url, str(emu.ca_file)) as ml:
            ws = ml.workspace(world.resource_group, world.workspace)

            def folder(tag: str) -> Path:
                f = root / f"hello-{tag}"
                f.mkdir()
                (f / "hello.py").write_text(aiml_projects.HELLO)
                (f / "nonce.txt").write_text(uuid.uuid4().hex)
                return f

            def ours(tag: str) -> str:
                job = ws.jobs.submit(COMMAND, code=folder(tag), inputs={"number": 234}, image=aiml_projects.IMAGE,
                                     environment_variables={"AIML_GATE": str(gate)}, compute=world.compute,
                                     experiment_name="bench-jobsubmit", display_name="hello")
                return str(job.name)

            def aiml(tag: str) -> str:
                job = aiml_projects.hello_command(dataclasses.replace(projects, hello=folder(tag)), world.compute,
                                                  "bench-jobsubmit", gate)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return str(ml_client.jobs.create_or_update(job).name)

            sides = {"ours": ours, "aiml": aiml}
            for side, fn in sides.items():  # untimed first submissions
                _wait_terminal(ws, fn(f"{side}-warm"))
            ctx.log(f"jobsubmit: {rounds} interleaved round(s)")
            for i in range(rounds):
                order = ["ours", "aiml"] if i % 2 == 0 else ["aiml", "ours"]
                for side in order:
                    t0 = time.perf_counter()
                    name = sides[side](f"{side}-{i}")
                    times[side].append(time.perf_counter() - t0)
                    statuses.append(_wait_terminal(ws, name))
    t_ours, t_aiml = median(times["ours"]), median(times["aiml"])
    bad = [s for s in statuses if s != "Completed"]
    note = (f"median of {rounds} submission(s) each after one untimed; TLS emulator; small project (script + nonce)"
            + (f"; jobs that did not complete: {bad}" if bad else ""))
    return [Result(label, t_ours, t_aiml, "s", f"<= {GOAL:.1f}x", t_ours <= GOAL * t_aiml, note=note)]
