"""tools.apidiff: the diff on small inline specs, the changes file, and the real management 2020-08-01 bump."""

from __future__ import annotations

import copy
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from tools.apidiff import changes as changes_mod
from tools.apidiff.bump import BumpResult, bump
from tools.apidiff.diff import Change, compare
from tools.apidiff.surface import surface

ROOT = Path(__file__).resolve().parents[2]


def base_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "Things_Get",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "api-version", "in": "query", "schema": {"type": "string", "default": "1"}},
                        {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        },
                        "404": {"description": "missing"},
                    },
                },
                "put": {
                    "operationId": "Things_Put",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {"200": {"description": "ok"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "size": {"type": "integer"},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "props": {
                            "anyOf": [
                                {"$ref": "#/components/schemas/Props"},
                                {"type": "object", "nullable": True, "enum": [None]},
                            ]
                        },
                    },
                },
                "Props": {"type": "object", "properties": {"color": {"type": "string"}}},
                "Kind": {"type": "string", "enum": ["x", "y"], "x-ms-enum": {"modelAsString": True}},
            }
        },
    }


def changed(mutate: Any) -> list[Change]:
    old = base_spec()
    new = copy.deepcopy(old)
    mutate(new)
    return compare(surface(old), surface(new))


def only(found: list[Change]) -> Change:
    assert len(found) == 1, [c.line() for c in found]
    return found[0]


def test_identical_specs_have_no_changes() -> None:
    assert changed(lambda s: None) == []


def test_field_paths_walk_refs_and_nullable_anyof() -> None:
    fields = surface(base_spec()).fields
    assert {"Thing.name", "Thing.props", "Thing.props.color", "Thing.kind"} <= fields.keys()
    assert fields["Thing.props"].nullable and fields["Thing.props"].type == "Props"
    assert fields["Thing.name"].context == "request+response"


def test_added_optional_field_is_not_breaking() -> None:
    c = only(changed(lambda s: s["components"]["schemas"]["Props"]["properties"].update(shade={"type": "string"})))
    assert (c.category, c.kind, c.subject, c.breaking) == ("field", "added", "Thing.props.shade", False)


def test_new_required_request_field_is_breaking() -> None:
    def mutate(s: dict[str, Any]) -> None:
        s["components"]["schemas"]["Thing"]["properties"]["owner"] = {"type": "string"}
        s["components"]["schemas"]["Thing"]["required"] = ["owner"]

    c = only(changed(mutate))
    assert (c.kind, c.subject, c.breaking) == ("added", "Thing.owner", True)


def test_removed_field_and_type_change_are_breaking() -> None:
    found = changed(lambda s: s["components"]["schemas"]["Thing"]["properties"].pop("size"))
    assert only(found).breaking and only(found).kind == "removed"
    c = only(changed(lambda s: s["components"]["schemas"]["Thing"]["properties"].update(name={"type": "integer"})))
    assert (c.kind, c.detail, c.breaking) == ("changed", "type string -> integer", True)


def test_enum_values() -> None:
    added = only(changed(lambda s: s["components"]["schemas"]["Kind"]["enum"].append("z")))
    assert (added.category, added.kind, added.subject, added.breaking) == ("enum", "added", "Kind", False)
    removed = only(changed(lambda s: s["components"]["schemas"]["Kind"]["enum"].remove("y")))
    assert (removed.kind, removed.detail, removed.breaking) == ("removed", "y", True)

    def close_and_extend(s: dict[str, Any]) -> None:
        s["components"]["schemas"]["Kind"]["x-ms-enum"]["modelAsString"] = False
        s["components"]["schemas"]["Kind"]["enum"].append("z")

    assert only(changed(close_and_extend)).breaking  # a closed enum that responses carry gains a value


def test_operations_and_statuses() -> None:
    gone = only(changed(lambda s: s["paths"]["/things/{id}"].pop("put")))
    assert (gone.category, gone.kind, gone.breaking) == ("operation", "removed", True)
    assert "Things_Put" in gone.subject
    new_op = {"operationId": "Things_Delete", "responses": {"204": {"description": "gone"}}}
    added = only(changed(lambda s: s["paths"]["/things/{id}"].update(delete=new_op)))
    assert (added.kind, added.breaking) == ("added", False)
    status = only(changed(lambda s: s["paths"]["/things/{id}"]["get"]["responses"].pop("404")))
    assert (status.category, status.kind, status.subject, status.breaking) == (
        "status code",
        "removed",
        "Things_Get: 404",
        True,
    )
    renamed = only(changed(lambda s: s["paths"]["/things/{id}"]["get"].update(operationId="Things_Read")))
    assert renamed.breaking and "Things_Read" in renamed.detail


def test_parameters() -> None:
    def params(s: dict[str, Any]) -> list[dict[str, Any]]:
        return s["paths"]["/things/{id}"]["get"]["parameters"]  # type: ignore[no-any-return]

    required = only(changed(lambda s: params(s)[2].update(required=True)))
    assert (required.detail, required.breaking) == ("now required", True)
    default = only(changed(lambda s: params(s)[1]["schema"].update(default="2")))
    assert (default.detail, default.breaking) == ("default '1' -> '2'", False)
    new_required = only(
        changed(
            lambda s: params(s).append({"name": "x", "in": "header", "required": True, "schema": {"type": "string"}})
        )
    )
    assert (new_required.kind, new_required.breaking) == ("added", True)
    narrowed = only(changed(lambda s: params(s)[2]["schema"]["enum"].remove("b")))
    assert narrowed.breaking and "removed: b" in narrowed.detail


def test_response_body_removed_is_breaking() -> None:
    c = only(changed(lambda s: s["paths"]["/things/{id}"]["get"]["responses"]["200"].pop("content")))
    assert (c.category, c.kind, c.breaking) == ("response body", "removed", True)


def test_cli_text_and_markdown(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    spec = base_spec()
    old.write_text(yaml.safe_dump(spec))
    spec["components"]["schemas"]["Kind"]["enum"].remove("y")
    new.write_text(yaml.safe_dump(spec))
    cmd = [sys.executable, "-m", "tools.apidiff", str(old), str(new)]
    text = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "BREAKING enum removed: Kind (y)" in text
    md = subprocess.run([*cmd, "--format", "md"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "## Breaking changes" in md and "| removed **BREAKING** | `Kind` | y |" in md
    assert subprocess.run([*cmd, "--fail-on-breaking"], capture_output=True, cwd=ROOT).returncode == 1


def test_changes_file_must_apply_exactly() -> None:
    doc = base_spec()
    with pytest.raises(changes_mod.ChangeError, match=r"change #1 \(add_field\): Thing.name already exists"):
        changes_mod.apply(doc, {"changes": [{"op": "add_field", "schema": "Thing", "field": "name", "definition": {}}]})
    with pytest.raises(changes_mod.ChangeError, match="no operation Nope"):
        changes_mod.apply(doc, {"changes": [{"op": "remove_operation", "operationId": "Nope"}]})
    with pytest.raises(changes_mod.ChangeError, match="unknown op"):
        changes_mod.apply(doc, {"changes": [{"op": "rename_everything"}]})


# ---- the real bump: management 2019-11-01 -> 2020-08-01 (facts from Microsoft's stable/2020-08-01 spec) ----


@pytest.fixture(scope="module")
def bumped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BumpResult]:
    tmp = tmp_path_factory.mktemp("bump")
    yield bump("management", "2020-08-01", versions=tmp / "versions", out_dir=tmp / "generated")


def test_bump_report_names_the_real_differences(bumped: BumpResult) -> None:
    by_subject = {(c.kind, c.subject): c for c in bumped.changes}
    for field in (
        "hbiWorkspace",
        "allowPublicAccessWhenBehindVnet",
        "encryption",
        "privateLinkCount",
        "imageBuildCompute",
    ):
        c = by_subject[("added", f"Workspace.properties.{field}")]
        assert not c.breaking
    assert not by_subject[("added", "ListWorkspaceKeysResult.notebookAccessKeys")].breaking
    assert by_subject[("added", "ComputeType")].detail == "ComputeInstance"
    assert "UserAssigned" in by_subject[("added", "ResourceIdentityType")].detail
    assert by_subject[("added", "SslConfigurationStatus")].detail == "Auto"
    for action in ("Start", "Stop", "Restart"):
        assert any(
            c.kind == "added" and c.subject.startswith(f"MachineLearningCompute_{action} [POST ")
            for c in bumped.changes
        )
    assert "applicationSharingPolicy" in {c.subject.rsplit(".", 1)[-1] for c in bumped.changes}


def test_bump_flags_the_breaking_ones(bumped: BumpResult) -> None:
    breaking = {(c.category, c.kind, c.subject) for c in bumped.changes if c.breaking}
    assert breaking == {
        ("response body", "removed", "Workspaces_CreateOrUpdate: 202"),
        ("field", "removed", "ComputeResource.properties.properties.agentVMSize"),
        ("field", "changed", "Workspace.identity.type"),
        ("field", "changed", "ComputeResource.identity.type"),
    }
    report = bumped.report_path.read_text()
    assert "**4 breaking**" in report and "now spelled agentVmSize" in report


def test_bumped_spec_is_valid_and_versioned(bumped: BumpResult) -> None:
    doc = yaml.safe_load(bumped.spec_path.read_text())
    validate(doc)
    params = doc["components"]["parameters"]
    assert doc["info"]["version"] == "2020-08-01"
    assert params["ApiVersion"]["schema"]["default"] == "2020-08-01"
    assert params["ResourceGroupsApiVersion"]["schema"]["default"] == "2019-10-01"  # kept: another provider


def test_committed_versioned_files_are_current(bumped: BumpResult) -> None:
    committed = ROOT / "specs" / "versions"
    assert (committed / "management-2020-08-01.yaml").read_text() == bumped.spec_path.read_text()
    assert (committed / "management-2020-08-01.changes.md").read_text() == bumped.report_path.read_text()


def test_bump_generates_a_side_by_side_package(bumped: BumpResult) -> None:
    assert bumped.package_dir is not None and bumped.package_dir.name == "azureml_management_client_v2020_08_01"
    sys.path.insert(0, str(bumped.package_dir.parent))
    try:
        models = importlib.import_module("azureml_management_client_v2020_08_01.models")
        start = importlib.import_module(
            "azureml_management_client_v2020_08_01.api.computes.machine_learning_compute_start"
        )
    finally:
        sys.path.remove(str(bumped.package_dir.parent))
    assert models.ComputeType("ComputeInstance") == models.ComputeType.COMPUTEINSTANCE
    props = models.WorkspaceProperties.from_dict({"hbiWorkspace": True, "privateLinkCount": 2})
    assert props.hbi_workspace is True and props.private_link_count == 2
    assert callable(start.sync_detailed)
    header = (bumped.package_dir / "client.py").read_text().splitlines()[0]
    assert "management-2020-08-01.yaml" in header and "Do not edit by hand" in header


def test_set_info_restates_title_or_description_only() -> None:
    doc = changes_mod.apply(base_spec(), {"changes": [{"op": "set_info", "field": "description", "value": "v2 text"}]})
    assert doc["info"] == {"title": "t", "version": "1", "description": "v2 text"}
    with pytest.raises(changes_mod.ChangeError, match=r"info.version cannot be set"):
        changes_mod.apply(base_spec(), {"changes": [{"op": "set_info", "field": "version", "value": "2"}]})
    with pytest.raises(changes_mod.ChangeError, match="already says that"):
        changes_mod.apply(base_spec(), {"changes": [{"op": "set_info", "field": "title", "value": "t"}]})


# ---- the real bump: machinelearning 2025-12-01 -> 2026-09-01 (Microsoft's stable/2026-09-01 spec) ----


@pytest.fixture(scope="module")
def ml_bumped(tmp_path_factory: pytest.TempPathFactory) -> BumpResult:
    tmp = tmp_path_factory.mktemp("ml-bump")
    return bump("machinelearning", "2026-09-01", versions=tmp / "versions", generate_client=False)


def test_ml_committed_versioned_files_are_current(ml_bumped: BumpResult) -> None:
    # specs/machinelearning.yaml or the changes file changed without `python -m tools.apidiff bump machinelearning
    # 2026-09-01 --no-generate` (then `python -m generator.regen --only machinelearning-2026-09-01`) when this fails
    committed = ROOT / "specs" / "versions"
    assert (committed / "machinelearning-2026-09-01.yaml").read_text() == ml_bumped.spec_path.read_text()
    assert (committed / "machinelearning-2026-09-01.changes.md").read_text() == ml_bumped.report_path.read_text()


def test_ml_bump_changes_nothing_on_the_wire_but_the_api_version(ml_bumped: BumpResult) -> None:
    # What Microsoft changed between the two stables for these operations (x-ms-identifiers annotations) has no wire
    # effect, so the only differences are every operation's api-version default; nothing breaking.
    assert ml_bumped.changes, "the api-version default must move"
    assert {(c.category, c.kind, c.detail, c.breaking) for c in ml_bumped.changes} == {
        ("parameter", "changed", "default '2025-12-01' -> '2026-09-01'", False)
    }
    base = yaml.safe_load((ROOT / "specs" / "machinelearning.yaml").read_text())
    assert len(ml_bumped.changes) == sum(
        1 for item in base["paths"].values() for method in ("get", "put", "post", "patch", "delete") if method in item
    )
    assert "**0 breaking**" in ml_bumped.report_path.read_text()


def test_ml_bumped_spec_is_valid_and_says_its_version(ml_bumped: BumpResult) -> None:
    doc = yaml.safe_load(ml_bumped.spec_path.read_text())
    validate(doc)
    assert doc["info"]["version"] == "2026-09-01"
    assert doc["components"]["parameters"]["ApiVersion"]["schema"]["default"] == "2026-09-01"
    assert "2025-12-01" not in doc["info"]["title"]
    description = doc["info"]["description"]
    assert "stable **2026-09-01** spec" in description and "stable/2026-09-01/openapi.json" in description
    assert "with the default `2026-09-01`" in description
