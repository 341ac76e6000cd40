"""generator/groups.py and generator/registry.py: the one derivation of groups, packages and api-versions.

- ``api_version_of``: the most common ``api-version`` query default (path-level and ``$ref`` parameters
  included; a tie goes to the newest), else ``info.version``.
- regen's ``GROUPS`` and targets are the registry's; each target's ``_target.jinja`` carries its group and
  api-version into the package template.
- ``registry.difference`` reports a stale or missing registry module (what `regen --check` adds to its list).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from azureml_rest._registry import GROUPS

from generator import groups, regen, registry


def _spec(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"openapi": "3.0.3", "info": {"title": "t", "version": "2000-01-01"}, **doc}))
    return path


def _param(default: str) -> dict[str, Any]:
    return {"name": "api-version", "in": "query", "schema": {"type": "string", "default": default}}


def test_api_version_is_the_most_common_default(tmp_path: Path) -> None:
    doc = {
        "paths": {
            "/a": {"parameters": [_param("2019-10-01")], "get": {}, "put": {}},  # path-level: both operations
            "/b": {"get": {"parameters": [{"$ref": "#/components/parameters/V"}]}},
            "/c": {"post": {"parameters": [{"$ref": "#/components/parameters/V"}]}},
            "/d": {"delete": {"parameters": [{"$ref": "#/components/parameters/V"}]}},
        },
        "components": {"parameters": {"V": _param("2019-11-01")}},
    }
    assert groups.api_version_of(_spec(tmp_path, doc)) == "2019-11-01"


def test_api_version_tie_goes_to_the_newest(tmp_path: Path) -> None:
    doc = {
        "paths": {"/a": {"get": {"parameters": [_param("2019-10-01")]}, "put": {"parameters": [_param("2020-08-01")]}}}
    }
    assert groups.api_version_of(_spec(tmp_path, doc)) == "2020-08-01"


def test_api_version_without_a_parameter_is_info_version(tmp_path: Path) -> None:
    doc = {"paths": {"/a": {"get": {"parameters": [{"name": "api-version", "in": "header"}]}}}}
    assert groups.api_version_of(_spec(tmp_path, doc)) == "2000-01-01"


def test_api_version_follows_a_spec_rewritten_in_place(tmp_path: Path) -> None:
    path = _spec(tmp_path, {"paths": {"/a": {"get": {"parameters": [_param("2019-11-01")]}}}})
    assert groups.api_version_of(path) == "2019-11-01"
    _spec(tmp_path, {"paths": {"/a": {"get": {"parameters": [_param("2020-08-01")]}}}})
    assert groups.api_version_of(path) == "2020-08-01"


def test_regen_uses_the_registry_derivation() -> None:
    assert regen.GROUPS == {name: info.package for name, info in GROUPS.items()}
    assert {t.package: (t.group, t.api_version) for t in regen.targets()} == {
        package: (name, version) for name, info in GROUPS.items() for version, package in info.versions.items()
    }


def test_each_target_gets_its_group_and_api_version(tmp_path: Path) -> None:
    target = next(t for t in regen.targets() if t.package == "azureml_management_client_v2020_08_01")
    where = regen.target_templates(target, tmp_path / "templates")
    assert (where / "package_init.py.jinja").exists(), "the project's overrides are copied beside it"
    text = (where / "_target.jinja").read_text()
    assert '{% set group = "management" %}' in text
    assert '{% set api_version = "2020-08-01" %}' in text


def test_registry_difference_names_a_stale_or_missing_module(tmp_path: Path) -> None:
    current = tmp_path / "_registry.py"
    current.write_text(registry.render())
    assert registry.difference(current) == []
    current.write_text(registry.render().replace('"2020-08-01"', '"2020-08-02"'))
    assert registry.difference(current) == [f"differs: {registry.LABEL}"]
    assert registry.difference(tmp_path / "absent.py") == [f"missing: {registry.LABEL}"]


@pytest.mark.parametrize("stem", ["management-2020-8-1", "nosuchgroup-2020-08-01"])
def test_a_misnamed_versioned_spec_is_refused(stem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{stem}.yaml").write_text("openapi: 3.0.3\n")
    monkeypatch.setattr(groups, "VERSIONS", tmp_path)
    with pytest.raises(ValueError, match="GROUP-YYYY-MM-DD"):
        groups.targets()
