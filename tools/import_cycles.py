"""An import-linter contract type: no import cycle between the modules of the named packages.

import-linter's own ``acyclic_siblings`` works on packages: it squashes each sub-package into one node, so a
public module that re-exports from a private sub-package that imports it back (``lro`` -> ``_async.poller``,
``_async.workspaces`` -> ``lro``) counts as a cycle although no module imports itself again. This contract looks
at modules: it finds the strongly connected components of the import graph (grimp's, as every contract sees it:
imports under TYPE_CHECKING and inside functions included) and names one cycle of each, with file lines.

Registered in pyproject.toml (``contract_types = ["acyclic_modules: tools.import_cycles.AcyclicModulesContract"]``);
``lint-imports`` runs it from the repository root, where ``tools`` is importable.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable

import grimp
from importlinter import Contract, ContractCheck, fields, output


def strongly_connected(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """Tarjan's algorithm over the imports among ``modules``: every component of two or more modules, sorted."""
    members = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(members):
        if root in index:
            continue
        # iterative depth-first search: (module, the imports still to visit)
        work: list[tuple[str, list[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, sorted(graph.find_modules_directly_imported_by(root) & members)))
        while work:
            module, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.find_modules_directly_imported_by(nxt) & members)))
                elif nxt in on_stack:
                    low[module] = min(low[module], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def one_cycle(graph: grimp.ImportGraph, component: list[str]) -> list[str]:
    """A shortest cycle through the first module of ``component`` (breadth first, inside the component)."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for nxt in sorted(graph.find_modules_directly_imported_by(module) & members):
            if nxt == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt not in came_from:
                came_from[nxt] = module
                queue.append(nxt)
    raise ValueError(f"{start} is in no cycle")


class AcyclicModulesContract(Contract):
    """No module of ``packages`` imports, directly or not, a module that imports it back."""

    type_name = "acyclic_modules"

    packages = fields.SetField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = sorted(str(p) for p in self.packages)  # type: ignore[attr-defined]
        modules: set[str] = set()
        for package in roots:
            modules |= {package, *graph.find_descendants(package)}
        cycles = []
        for component in strongly_connected(graph, modules):
            chain = one_cycle(graph, component)
            links = []
            for importer, imported in itertools.pairwise(chain):
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ", ".join(str(d["line_number"]) for d in details)
                links.append(f"{importer} -> {imported} (l.{lines})")
            cycles.append({"modules": component, "links": links})
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(f"Import cycle among {len(cycle['modules'])} modules: {', '.join(cycle['modules'])}")
            output.print_error("One cycle through them:", bold=False)
            for link in cycle["links"]:
                output.indent_cursor()
                output.print_error(link, bold=False)
            output.new_line()
