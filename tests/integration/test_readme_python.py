"""README's current-API Python block ("The current API, from credentials to a scored endpoint") runs as written
against a fresh emulator: the one substitution is the facade (``AzureML.from_env()`` -> ``AzureML.for_emulator``
with the emulator's URL), the workspace and compute it names are made first, as a reader has them on Azure."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML

from tests.emulator_fixture import EmulatorFactory
from tests.integration.support import create_workspace

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## The current API, from credentials to a scored endpoint"
FACADE = "ml = aml.AzureML.from_env()"


def readme_block() -> str:
    """The first ```python block of the section."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index(SECTION):]
    section = section[: section.index("\n## ", len(SECTION))]
    m = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert m, "no python block in the section"
    return m.group(1)


def test_the_block_starts_from_credentials_and_ends_at_a_scored_endpoint() -> None:
    code = readme_block()
    assert code.count(FACADE) == 1
    for call in ("ws.jobs.submit(", "ws.jobs.wait(", "ws.model_versions.create(",
                 "ws.online_endpoints.begin_create_or_update(", "ws.online_deployments.begin_create_or_update(",
                 "ws.online_endpoints.invoke("):
        assert call in code


def test_the_readme_python_block_runs_against_the_emulator(emulator_factory: EmulatorFactory,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    emu: RunningEmulator = emulator_factory()
    with AzureML.for_emulator(emu.base_url) as ml:  # what a reader already has: workspace and compute
        create_workspace(ml, "demo-rg", "demo-ws")
        ml.workspace("demo-rg", "demo-ws").computes.begin_create_or_update("cpu-cluster").result(timeout=30)
    code = readme_block().replace(FACADE, f"ml = aml.AzureML.for_emulator({emu.base_url!r})")
    monkeypatch.chdir(ROOT)  # the block names demo/project_v2 relative to the repository root
    out = io.StringIO()
    namespace: dict[str, object] = {"__name__": "readme"}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code, on purpose
    scores = namespace["scores"]
    assert isinstance(scores, list) and [round(float(x), 6) for x in scores] == [3.5, 0.5]
    printed = out.getvalue().splitlines()
    assert any(line.startswith("Completed after ") for line in printed)  # on_status saw the end
    assert any("wrote model.json" in line for line in printed)  # on_log_line followed the job's log
    uploads = [line for line in printed if line.startswith("uploaded ")]
    assert uploads and uploads[-1].split()[1].split("/")[0] == uploads[-1].split()[1].split("/")[1]
