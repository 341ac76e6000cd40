"""tools.import_cycles: the acyclic_modules contract finds module cycles, and only those."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

from tools.import_cycles import AcyclicModulesContract, one_cycle, strongly_connected


def _package(root: Path, name: str, modules: dict[str, str]) -> None:
    for dotted, source in modules.items():
        path = root / name / (dotted.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


@pytest.fixture
def graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> grimp.ImportGraph:
    _package(tmp_path, "cyc", {
        "__init__": "",
        # a cycle hidden behind TYPE_CHECKING and a function-level import: still a cycle
        "a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
        "b": "def f():\n    from .c import C\n",
        "c": "from . import a\n",
        # re-exports from a private sub-package that imports the public module back: packages cycle, modules do not
        "lro": "from ._impl.poller import Poller\n",
        "_impl.__init__": "",
        "_impl.poller": "from .. import engine\n",
        "_impl.users": "from .. import lro\n",
        "engine": "",
    })
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph("cyc", cache_dir=None)


def test_finds_the_module_cycle_only(graph: grimp.ImportGraph) -> None:
    assert strongly_connected(graph, graph.modules) == [["cyc.a", "cyc.b", "cyc.c"]]


def test_names_one_cycle_in_order(graph: grimp.ImportGraph) -> None:
    assert one_cycle(graph, ["cyc.a", "cyc.b", "cyc.c"]) == ["cyc.a", "cyc.b", "cyc.c", "cyc.a"]


def test_contract_breaks_with_file_lines(graph: grimp.ImportGraph) -> None:
    contract = AcyclicModulesContract("t", {}, {"packages": ["cyc"]})
    check = contract.check(graph, verbose=False)
    assert not check.kept
    (cycle,) = check.metadata["cycles"]
    assert cycle["links"] == ["cyc.a -> cyc.b (l.3)", "cyc.b -> cyc.c (l.2)", "cyc.c -> cyc.a (l.1)"]


def test_contract_kept_without_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _package(tmp_path, "dag", {"__init__": "", "a": "from . import b\n", "b": "from . import c\n", "c": ""})
    monkeypatch.syspath_prepend(str(tmp_path))
    contract = AcyclicModulesContract("t", {}, {"packages": ["dag"]})
    assert contract.check(grimp.build_graph("dag", cache_dir=None), verbose=False).kept
