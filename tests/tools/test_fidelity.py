"""tools.fidelity: every difference from Microsoft's official specs is justified, and a new one is caught."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tools.fidelity.compare import CATEGORIES, OFFICIAL, differences, load_justifications, run

ROOT = Path(__file__).resolve().parents[2]


def test_every_difference_is_justified() -> None:
    lines, unjustified, unused = run(ROOT / "specs")
    assert unjustified == [], "\n".join(lines)
    assert unused == []
    text = "\n".join(lines)
    assert "discovery: no official Microsoft spec" in text and "scoring: no official Microsoft spec" in text
    # the real differences are listed, each with its reason
    assert "management:operation-extra:AsyncOperations_Get: our contract where Microsoft has none" in text
    assert "history:operation-extra:Experiments_List: article-only form" in text
    assert "execution:status-extra:Runs_StartRun:409: our contract where Microsoft has none" in text


def test_justifications_are_categorised_and_point_at_the_readme() -> None:
    table = load_justifications()
    assert table and all(j.category in CATEGORIES and j.readme and j.reason for j in table)
    readme = (ROOT / "specs" / "README.md").read_text()
    for j in table:
        section = j.readme.split(" > ")[0].split(" (")[0]
        assert section.split(".yaml")[0] in readme, j.readme


def test_a_deliberately_introduced_difference_is_caught(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", specs)
    doc = yaml.safe_load((specs / "management.yaml").read_text())
    ws = doc["paths"][
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}"
    ]
    ws["get"]["responses"]["418"] = {"description": "teapot"}
    del doc["components"]["schemas"]["WorkspaceProperties"]["properties"]["discoveryUrl"]
    (specs / "management.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    _, unjustified, _ = run(specs)
    assert sorted(unjustified) == [
        "management:field-missing:WorkspaceProperties.discoveryUrl",
        "management:status-extra:Workspaces_Get:418",
    ]
    cli = subprocess.run(
        [sys.executable, "-m", "tools.fidelity", "--specs", str(specs)], capture_output=True, text=True, cwd=ROOT
    )
    assert cli.returncode == 1 and "UNJUSTIFIED management:status-extra:Workspaces_Get:418" in cli.stdout


def test_parameter_differences_are_detected() -> None:
    official = yaml.safe_load((OFFICIAL / "management.yaml").read_text())
    ours = yaml.safe_load((ROOT / "specs" / "management.yaml").read_text())
    ours["components"]["parameters"]["UnderlyingResourceAction"]["required"] = False
    keys = {d.key for d in differences(official, ours)}
    assert "management:param-required:MachineLearningCompute_Delete:query underlyingResourceAction" in keys


def test_cli_passes_on_the_committed_specs() -> None:
    cli = subprocess.run([sys.executable, "-m", "tools.fidelity"], capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 0, cli.stdout
    assert cli.stdout.rstrip().endswith("every difference is justified")
