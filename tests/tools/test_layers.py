"""The layer contracts of pyproject's [tool.importlinter] cover every package of the tree.

`lint-imports` (run by `nox -s tests`) checks the contracts; these tests check that no package escapes them:
a package it is not told about (a new side-by-side generated client, say) is simply not analysed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return config


def _contract(contract_id: str) -> dict[str, Any]:
    (contract,) = [c for c in _config()["contracts"] if c["id"] == contract_id]
    assert isinstance(contract, dict)
    return contract


def _packages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}


def test_every_package_is_a_root_package() -> None:
    ours = _packages(ROOT / "overlays") | _packages(ROOT / "emulator") | _packages(ROOT / "generated")
    if (ROOT / "demo" / "__init__.py").is_file():
        ours.add("demo")
    assert ours - set(_config()["root_packages"]) == set()


def test_every_generated_package_imports_nothing_of_ours() -> None:
    generated = _packages(ROOT / "generated")
    assert generated, "no generated package found"
    contract = _contract("generated")
    assert set(contract["source_modules"]) == generated
    assert {"azureml_rest", "azureml_emulator"} <= set(contract["forbidden_modules"])


def test_the_emulator_imports_no_client_package() -> None:
    forbidden = set(_contract("emulator-alone")["forbidden_modules"])
    assert _packages(ROOT / "generated") | {"azureml_rest"} <= forbidden


def test_hand_written_packages_are_checked_for_cycles() -> None:
    contract = _contract("acyclic")
    assert contract["type"] == "acyclic_modules"
    assert {"azureml_rest", "azureml_emulator", "demo"} <= set(contract["packages"])
    assert "acyclic_modules: tools.import_cycles.AcyclicModulesContract" in _config()["contract_types"]
