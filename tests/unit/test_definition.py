"""Run definitions: built from typed arguments in the spec's camelCase, or the user's (either casing) kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azureml_execution_client.models.run_definition import RunDefinition
from azureml_rest.definition import (
    DEFAULT_CONDA_DEPENDENCIES,
    DefinitionError,
    apply_overrides,
    build_definition,
    definition_bytes,
    definition_script,
    definition_target,
    load_definition,
)

from tests.article import ARTICLE_DEFINITION as ARTICLE


def _unknown_keys(model: Any, path: str = "") -> list[str]:
    """Keys the generated models did not recognise, at every level (additional_properties)."""
    found = [f"{path}.{k}" for k in getattr(model, "additional_properties", {})]
    for name in type(model).__match_args__:  # the generated models' fields (additional_properties is not one)
        child = getattr(model, name)
        if hasattr(child, "additional_properties") and type(child).__name__ not in ("CondaDependencies",):
            found += _unknown_keys(child, f"{path}.{name}")
    return found


def test_built_definition_is_the_specs_camelcase_form() -> None:
    doc = build_definition(script="train.py", target="cpu-compute", arguments=["--n", 3], max_run_duration_seconds=60)
    assert doc == {
        "configuration": {
            "script": "train.py",
            "arguments": ["--n", "3"],
            "framework": "Python",
            "communicator": "None",
            "target": "cpu-compute",
            "maxRunDurationSeconds": 60,
            "nodeCount": 1,
            "environment": {
                "python": {
                    "interpreterPath": "python",
                    "userManagedDependencies": False,
                    "condaDependencies": DEFAULT_CONDA_DEPENDENCIES,
                }
            },
            "history": {"outputCollection": True},
        }
    }
    # every key is one the spec (through the generated models) knows
    assert _unknown_keys(RunDefinition.from_dict(doc)) == []
    # and the walk does reach nested models: a key the spec does not know, two levels down, is found
    doc["configuration"]["history"]["notInTheSpec"] = 1
    assert _unknown_keys(RunDefinition.from_dict(doc)) == [".configuration.history.notInTheSpec"]


def test_built_definition_options() -> None:
    doc = build_definition(
        script="t.py", target="local", user_managed_dependencies=True, environment_variables={"A": "1"},
        output_collection=False, node_count=2,
    )  # fmt: skip
    conf = doc["configuration"]
    assert "maxRunDurationSeconds" not in conf
    assert conf["environment"] == {
        "python": {"interpreterPath": "python", "userManagedDependencies": True},
        "environmentVariables": {"A": "1"},
    }
    assert conf["history"] == {"outputCollection": False} and conf["nodeCount"] == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"script": "", "target": "x"}, "script"),
        ({"script": "a.py", "target": " "}, "target"),
        ({"script": "a.py", "target": "x", "max_run_duration_seconds": 0}, "positive"),
        ({"script": "a.py", "target": "x", "node_count": 0}, "node_count"),
    ],
)
def test_built_definition_refuses_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(DefinitionError, match=match):
        build_definition(**kwargs)


def test_article_pascalcase_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "definition.json"
    path.write_text(json.dumps(ARTICLE))
    doc = load_definition(path)
    assert doc == ARTICLE
    assert definition_script(doc) == "hello.py" and definition_target(doc) == "cpu-compute"
    assert json.loads(definition_bytes(doc)) == ARTICLE


def test_overrides_replace_values_in_the_users_casing() -> None:
    doc = apply_overrides(ARTICLE, script="other.py", target="gpu", arguments=[1, "b"], max_run_duration_seconds=5)
    conf = doc["Configuration"]
    assert conf["Script"] == "other.py" and conf["Target"] == "gpu" and conf["Arguments"] == ["1", "b"]
    assert conf["MaxRunDurationSeconds"] == 5
    assert "script" not in conf and "target" not in conf  # no second key in another casing
    assert conf["Environment"] == ARTICLE["Configuration"]["Environment"]  # the rest untouched
    assert ARTICLE["Configuration"]["Script"] == "hello.py"  # the input is not modified


def test_override_adds_missing_keys_in_the_documents_casing() -> None:
    pascal = apply_overrides({"Configuration": {"Script": "a.py"}}, target="t")
    assert pascal["Configuration"] == {"Script": "a.py", "Target": "t"}
    camel = apply_overrides({"configuration": {"script": "a.py"}}, target="t", max_run_duration_seconds=9)
    assert camel["configuration"] == {"script": "a.py", "target": "t", "maxRunDurationSeconds": 9}


def test_camelcase_definition_read() -> None:
    doc = load_definition({"configuration": {"script": "x.py", "target": "local"}, "runType": "azureml.scriptrun"})
    assert definition_script(doc) == "x.py" and doc["runType"] == "azureml.scriptrun"


def test_bare_run_configuration_is_wrapped() -> None:
    assert load_definition({"Script": "a.py", "Target": "c"}) == {"Configuration": {"Script": "a.py", "Target": "c"}}
    assert load_definition({"script": "a.py"}) == {"configuration": {"script": "a.py"}}


def test_mixed_case_keys_are_found() -> None:
    doc = load_definition({"CONFIGURATION": {"SCRIPT": "a.py"}})
    assert definition_script(doc) == "a.py"
    assert apply_overrides(doc, script="b.py")["CONFIGURATION"] == {"SCRIPT": "b.py"}


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"Configuration": 3}', "must be a JSON object"),
        ('{"runType": "x"}', "no 'configuration'"),
    ],
)
def test_bad_definition_files(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "d.json"
    path.write_text(content)
    with pytest.raises(DefinitionError, match=match):
        load_definition(path)


def test_missing_file_and_missing_script(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="does not exist"):
        load_definition(tmp_path / "none.json")
    with pytest.raises(DefinitionError, match="names no script"):
        definition_script(load_definition({"Configuration": {"Target": "x"}}))


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ARTICLE).encode())
    assert load_definition(path) == ARTICLE
