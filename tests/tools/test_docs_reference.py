"""The Python API and CLI reference pages cover what the package offers, checked without building mkdocs.

The CLI page is committed and compared with a fresh rendering of the parser (like generated/ and its drift
check): it stays readable and reviewable without a build, and a changed command shows up in the diff.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import itertools
import re
from types import ModuleType
from typing import Any

import yaml

from tools.docs.cli import CLI_PAGE, PROG, build_parser, commands, render, walk
from tools.docs.site import CONFIG, PAGES

API_PAGES = sorted((PAGES / "api").glob("*.md"))
DIRECTIVE = re.compile(r"^::: ([\w.]+)\s*$", re.M)


def _entries() -> dict[str, str]:
    """Every ``::: dotted.path`` of the API pages -> the text the page gives after it (up to the next entry)."""
    entries: dict[str, str] = {}
    for page in API_PAGES:
        parts = DIRECTIVE.split(page.read_text())
        for path, after in zip(parts[1::2], parts[2::2], strict=True):
            prose = [
                line for line in after.split("\n#")[0].splitlines()
                if line.strip() and not line.startswith("    ")  # per-entry mkdocstrings options are indented
            ]
            entries[path] = " ".join(prose)
    return entries


def _public_names() -> list[str]:
    package = importlib.import_module("azureml_rest")
    return [name for name in package.__all__ if name != "__version__"]


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def _has_attribute_docstring(module: ModuleType, name: str) -> bool:
    """A string right after ``name = ...`` at module level (the attribute docstring mkdocstrings shows)."""
    body = ast.parse(inspect.getsource(module)).body
    for node, following in itertools.pairwise(body):
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            value = following.value if isinstance(following, ast.Expr) else None
            return isinstance(value, ast.Constant) and isinstance(value.value, str)
    return False


def test_every_public_name_has_an_entry() -> None:
    entries = _entries()
    missing = [name for name in _public_names() if f"azureml_rest.{name}" not in entries]
    assert not missing, f"add `::: azureml_rest.NAME` to a page of docs/pages/api/ for: {missing}"


def test_every_public_name_is_described() -> None:
    """Classes and functions by their own docstring; other values by an attribute docstring or the page's text."""
    package = importlib.import_module("azureml_rest")
    entries = _entries()
    undocumented = []
    for name in _public_names():
        obj = getattr(package, name)
        if inspect.isclass(obj):
            doc = obj.__dict__.get("__doc__")
        elif inspect.isroutine(obj):
            doc = obj.__doc__
        else:
            module = importlib.import_module(f"azureml_rest.{package._EXPORTS[name]}")
            has_own = _has_attribute_docstring(module, name)
            doc = "attribute docstring" if has_own else entries.get(f"azureml_rest.{name}")
        if not (doc or "").strip():
            undocumented.append(name)
    assert not undocumented, f"no docstring (or, for a value, no text on its API page): {undocumented}"


def test_every_entry_resolves() -> None:
    """A renamed or moved name fails here, in the normal gate, not only when mkdocs builds."""
    unresolved = []
    for dotted in _entries():
        try:
            _resolve(dotted)
        except (ImportError, AttributeError):
            unresolved.append(dotted)
    assert not unresolved, unresolved


def test_every_page_is_in_the_nav() -> None:
    def md_entries(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node] if node.endswith(".md") else []
        if isinstance(node, dict):
            return [e for value in node.values() for e in md_entries(value)]
        if isinstance(node, list):
            return [e for item in node for e in md_entries(item)]
        return []

    nav = set(md_entries(yaml.safe_load(CONFIG.read_text())["nav"]))
    pages = {p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*.md")}
    assert pages == nav


def test_cli_page_matches_the_parser() -> None:
    assert CLI_PAGE.read_text() == render(build_parser()), "stale: run `python -m tools.docs.cli`"


def test_every_cli_command_has_a_section() -> None:
    page = CLI_PAGE.read_text()
    headings = set(re.findall(rf"^#+ {PROG} (.+)$", page, re.M))
    found = commands(build_parser())
    assert found, "the parser has no commands"
    missing = [c for c in found if c not in headings]
    assert not missing, f"commands missing from docs/pages/cli.md (run `python -m tools.docs.cli`): {missing}"


def test_every_cli_flag_is_listed() -> None:
    page = CLI_PAGE.read_text()
    flags = {
        opt
        for command in walk(build_parser())
        for action in command.parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction)
        for opt in action.option_strings
    }
    assert flags
    missing = sorted(flag for flag in flags if f"`{flag}" not in page)
    assert not missing, f"flags missing from docs/pages/cli.md: {missing}"


def test_render_lists_a_new_command_and_flag() -> None:
    """The comparison above can fail: a command added to the parser changes the rendered page."""
    parser = build_parser()
    before = render(parser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    added = sub.add_parser("frobnicate", help="a command nobody documented")
    added.add_argument("--widget", metavar="W", help="which widget")
    after = render(parser)
    assert after != before
    assert f"### {PROG} frobnicate" in after and "`--widget W` | which widget |" in after
