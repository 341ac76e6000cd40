"""`python -m tools.public_api [--check]`: write the type checkers' view of ``azureml_rest``'s public API.

``overlays/azureml_rest/__init__.py`` holds the public API as one hand-written dict, ``_EXPORTS`` (name ->
submodule that defines it). At run time the package imports each name lazily from that dict and derives
``__all__`` from it. Type checkers and IDEs cannot follow the lazy ``__getattr__``, so the file ends with an
``if TYPE_CHECKING:`` block of ``from .submodule import Name as Name`` lines (the redundant alias marks an explicit
re-export for mypy --strict and pyright). This tool writes that block from ``_EXPORTS``: everything from the
marker line to the end of the file is replaced. ``--check`` changes nothing and exits 1 when the block is stale
(the gate runs it). mypy --strict on the package then proves that every name exists in its submodule.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INIT = ROOT / "overlays" / "azureml_rest" / "__init__.py"
MARKER = "# --- written by `python -m tools.public_api` from _EXPORTS (do not edit below this line) ---"


def read_exports(source: str) -> dict[str, str]:
    """The literal ``_EXPORTS`` dict of a package ``__init__`` (name -> submodule, relative, without the dot)."""
    target: ast.expr
    value: ast.expr | None
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "_EXPORTS" and value is not None:
            exports = ast.literal_eval(value)
            if not isinstance(exports, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in exports.items()
            ):
                raise ValueError("_EXPORTS must be a literal dict of str -> str")
            return exports
    raise ValueError("no _EXPORTS dict literal found")


def _member_key(name: str) -> tuple[int, str]:
    """isort's (and ruff's) order-by-type: CONSTANTS, then Classes, then functions and variables."""
    if name.isupper() and len(name) > 1:
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return rank, name.lower()


def render_block(exports: dict[str, str]) -> str:
    """The marker line and the ``if TYPE_CHECKING:`` block, sorted as ruff's isort rules want it."""
    lines = [MARKER, "if TYPE_CHECKING:"]
    for name, module in sorted(exports.items(), key=lambda item: (item[1], _member_key(item[0]))):
        lines.append(f"    from .{module} import {name} as {name}")
    return "\n".join(lines) + "\n"


def rewrite(source: str) -> str:
    """``source`` with everything from the marker line on replaced by a fresh block (appended if absent)."""
    head, found, _ = source.partition(MARKER)
    if not found:
        head = source.rstrip("\n") + "\n\n\n"
    return head + render_block(read_exports(source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.public_api", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the block is stale")
    parser.add_argument("--init", type=Path, default=INIT, help="default: overlays/azureml_rest/__init__.py")
    args = parser.parse_args(argv)
    source = args.init.read_text()
    fresh = rewrite(source)
    if fresh == source:
        print(f"{args.init}: the TYPE_CHECKING block matches _EXPORTS")
        return 0
    if args.check:
        print(f"{args.init}: the TYPE_CHECKING block is stale; run `python -m tools.public_api`")
        return 1
    args.init.write_text(fresh)
    print(f"{args.init}: rewrote the TYPE_CHECKING block from _EXPORTS ({len(read_exports(fresh))} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
