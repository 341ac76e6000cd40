"""The group registry (overlays/azureml_rest/_registry.py, written by regen) and each package's GROUP/API_VERSION.

- The registry lists exactly the groups of generator/config/ with the packages their configs name, plus every
  side-by-side api-version of specs/versions/, and every package in generated/ is in it (read here with PyYAML
  and file names, independently of generator/groups.py).
- The committed registry is what generator/registry.py renders now (the same comparison as `regen --check`).
- Every package's ``GROUP`` and ``API_VERSION`` agree with the registry and with what its generated operations
  actually send: the default of their ``api_version`` argument (the resource-group operations of management
  keep their own), or, for a spec whose operations take none, the spec's ``info.version``.
- ``package_for`` resolves defaults and versions and names the choices when it cannot.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from azureml_rest._registry import GROUPS, GroupInfo, package_for

from .support import api_modules

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "generator" / "config"
VERSIONS = REPO / "specs" / "versions"
GENERATED = REPO / "generated"

ALL_PACKAGES = sorted((group, version, package) for group, info in GROUPS.items() for version, package in
                      info.versions.items())  # fmt: skip
#: Operations that send another api-version than their package's (specs/README.md: resource groups 2019-10-01).
# Operations of another service that a group's spec carries, each with that service's own api-version:
# Microsoft.Resources' resource groups and generic resource listing (management) and the data service's URI
# resolution (history).
OWN_API_VERSION = re.compile(r"\.(resource_groups|resources|data_versions)\.")
OWN_VERSIONS = {"resource_groups": "2019-10-01", "resources": "2019-10-01", "data_versions": "1.5.0"}


def _config_packages() -> dict[str, str]:
    return {p.stem: yaml.safe_load(p.read_text())["package_name_override"] for p in sorted(CONFIG.glob("*.yaml"))}


def test_registry_lists_the_groups_of_generator_config() -> None:
    assert {name: info.package for name, info in GROUPS.items()} == _config_packages()
    for name, info in GROUPS.items():
        assert info.name == name
        assert info.versions[info.api_version] == info.package, "the default package serves the default version"


def test_registry_lists_every_side_by_side_api_version() -> None:
    expected = {}
    for spec in sorted(VERSIONS.glob("*.yaml")):
        group, version = re.fullmatch(r"([a-z]+)-(\d{4}-\d{2}-\d{2})", spec.stem).groups()  # type: ignore[union-attr]
        expected[(group, version)] = f"{_config_packages()[group]}_v{version.replace('-', '_')}"
    assert expected, "specs/versions/ holds at least management-2020-08-01"
    found = {(g, v): p for g, info in GROUPS.items() for v, p in info.versions.items() if p != info.package}
    assert found == expected


def test_every_generated_package_is_in_the_registry_and_exists() -> None:
    on_disk = {p.name for p in GENERATED.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert on_disk == {package for _g, _v, package in ALL_PACKAGES}


def test_committed_registry_is_what_regen_renders() -> None:
    from generator import registry

    assert registry.difference() == [], "run `nox -s regen` (python -m generator.regen) and commit the result"


@pytest.mark.parametrize(("group", "version", "package"), ALL_PACKAGES, ids=[p for _g, _v, p in ALL_PACKAGES])
def test_package_exposes_its_group_and_api_version(group: str, version: str, package: str) -> None:
    module = importlib.import_module(package)
    assert module.GROUP == group
    assert module.API_VERSION == version
    assert {"API_VERSION", "GROUP"} <= set(module.__all__)


def _api_version_defaults(package: str) -> dict[str, str]:
    """operation module -> default of its generated ``api_version`` argument (operations that take one)."""
    out = {}
    for module in api_modules(package):
        param = inspect.signature(module._get_kwargs).parameters.get("api_version")
        if param is not None:
            out[module.__name__] = param.default
    return out


@pytest.mark.parametrize(("group", "version", "package"), ALL_PACKAGES, ids=[p for _g, _v, p in ALL_PACKAGES])
def test_api_version_is_what_the_operations_send(group: str, version: str, package: str) -> None:
    defaults = _api_version_defaults(package)
    if not defaults:
        spec = GENERATED / package / "__init__.py"
        label = re.search(r"from (specs/\S+\.yaml)\.", spec.read_text())[1]  # type: ignore[index]
        assert yaml.safe_load((REPO / label).read_text())["info"]["version"] == version
        return
    own = {m: v for m, v in defaults.items() if OWN_API_VERSION.search(m)}
    rest = {m: v for m, v in defaults.items() if m not in own}
    assert rest and set(rest.values()) == {version}, Counter(defaults.values())
    for module, value in own.items():
        assert value == OWN_VERSIONS[OWN_API_VERSION.search(module)[1]], (module, value)  # type: ignore[index]


def test_api_versions_of_the_named_packages() -> None:
    import azureml_history_client
    import azureml_management_client
    import azureml_management_client_v2020_08_01

    assert (azureml_management_client.GROUP, azureml_management_client.API_VERSION) == ("management", "2019-11-01")
    assert azureml_management_client_v2020_08_01.API_VERSION == "2020-08-01"
    assert azureml_management_client_v2020_08_01.GROUP == "management"
    # history's spec says info.version 2019-09-30 (its era); what it sends is the article's 2019-11-01
    assert azureml_history_client.API_VERSION == "2019-11-01"


def test_package_for_defaults_and_versions() -> None:
    assert package_for("management") == "azureml_management_client"
    assert package_for("management", None) == "azureml_management_client"
    assert package_for("management", "2019-11-01") == "azureml_management_client"
    assert package_for("management", "2020-08-01") == "azureml_management_client_v2020_08_01"
    assert package_for("history") == "azureml_history_client"


def test_package_for_names_the_known_groups() -> None:
    with pytest.raises(ValueError, match="unknown operation group 'mgmt'") as caught:
        package_for("mgmt")
    for name in GROUPS:
        assert name in str(caught.value)


def test_package_for_names_the_available_versions() -> None:
    with pytest.raises(ValueError, match=r"management api-version '2099-01-01'.*2019-11-01, 2020-08-01"):
        package_for("management", "2099-01-01")


def test_registry_entries_are_immutable() -> None:
    info = GROUPS["management"]
    assert isinstance(info, GroupInfo)
    with pytest.raises(AttributeError):
        info.package = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        info.versions["2099-01-01"] = "other"  # type: ignore[index]


def test_contributing_names_table_matches_the_registry() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text()
    names = text[text.index("## Names") : text.index("\n## ", text.index("## Names") + 1)]
    rows = set(re.findall(r"\| `(azureml_\w+)` \| `(\d{4}-\d{2}-\d{2})`", names))
    assert rows == {(package, version) for _g, version, package in ALL_PACKAGES}


def test_contributing_contract_table_names_every_machinelearning_operation() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text()
    start = text.index("## The contract in one table")
    table = text[start : text.index("\n## ", start + 1)]
    named: set[str] = set()
    for cell in re.findall(r"^\| machinelearning \| ([^|]+) \|", table, re.MULTILINE):
        first, *rest = [part.strip() for part in re.split(r" / |, ", cell)]
        prefix = first.split("_", 1)[0]
        named |= {first, *(prefix + part if part.startswith("_") else part for part in rest)}
    spec = yaml.safe_load((REPO / "specs" / "machinelearning.yaml").read_text())
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values() if "operationId" in op}
    assert named == operations, (sorted(operations - named), sorted(named - operations))
