"""The CLI reference, docs/pages/cli.md, written from ``azureml_rest.cli``'s argparse parser.

python -m tools.docs.cli [--check] [--out FILE]

Every command and sub-command with its description and every argument (flags, metavar, choices, default, help),
in parser order, plus the global options. The page is committed (reviewable, readable without a build) and
``--check`` fails when it no longer matches the parser, as ``generator.regen --check`` does for generated/.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI_PAGE = ROOT / "docs" / "pages" / "cli.md"
PROG = "azureml-rest"
#: where the parser builder lives: the first of these modules that defines ``build_parser()``
BUILDER_MODULES = ("azureml_rest.cli.parser", "azureml_rest.cli", "azureml_rest.cli.app", "azureml_rest.cli._app")
HEADER = "<!-- Written by `python -m tools.docs.cli` from azureml_rest.cli's parser: do not edit by hand. -->"


def build_parser() -> argparse.ArgumentParser:
    """``azureml-rest``'s whole parser, from the CLI's public ``build_parser()``."""
    for name in BUILDER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        builder = getattr(module, "build_parser", None)
        if callable(builder):
            parser = builder()
            if not isinstance(parser, argparse.ArgumentParser):
                raise TypeError(f"{name}.build_parser() returned {type(parser).__name__}")
            return parser
    raise LookupError(f"no build_parser() in any of {', '.join(BUILDER_MODULES)}")


@dataclass(frozen=True)
class Command:
    """One parser of the tree: ``path`` is the words after the program name ("" for the program itself)."""

    path: str
    parser: argparse.ArgumentParser
    help: str | None
    aliases: tuple[str, ...]

    @property
    def is_leaf(self) -> bool:
        return _subparsers(self.parser) is None


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def walk(parser: argparse.ArgumentParser, path: str = "", help_text: str | None = None,
         aliases: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every parser of the tree, depth first in the order the commands were added (aliases folded in)."""
    yield Command(path, parser, help_text, aliases)
    sub = _subparsers(parser)
    if sub is None:
        return
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    seen: dict[int, list[str]] = {}
    for name, child in sub.choices.items():
        seen.setdefault(id(child), []).append(name)
    for names in seen.values():
        name, *alias = names
        yield from walk(sub.choices[name], f"{path} {name}".strip(), helps.get(name), tuple(alias))


def commands(parser: argparse.ArgumentParser) -> list[str]:
    """The path of every command and command group, e.g. ``workspace create``."""
    return [c.path for c in walk(parser) if c.path]


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def _expand(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if not action.help:
        return ""
    return parser._get_formatter()._expand_help(action)


def _argument(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if action.option_strings:
        metavar = ""
        if action.nargs != 0:
            shown = action.metavar or (action.dest.upper() if action.choices is None else None)
            metavar = f" {shown}" if isinstance(shown, str) else ""
        name = ", ".join(f"`{opt}{metavar}`" for opt in action.option_strings)
    else:
        name = f"`{action.metavar or action.dest}`"
    notes = []
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        notes.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
    if action.required and action.option_strings:
        notes.append("required")
    if not action.option_strings:
        notes.append("positional" if action.nargs not in ("?", "*", argparse.REMAINDER) else "positional, optional")
    help_text = _cell(_expand(parser, action))
    if isinstance(action, argparse._AppendAction) and "repeatable" not in help_text:
        notes.append("repeatable")
    if action.default not in (None, False, argparse.SUPPRESS) and action.nargs != 0 and action.option_strings:
        notes.append(f"default `{action.default}`")
    if notes:
        help_text = f"{help_text} ({'; '.join(notes)})" if help_text else "; ".join(notes)
    return f"| {name} | {help_text} |"


def _arguments(parser: argparse.ArgumentParser, skip: frozenset[str] = frozenset()) -> list[str]:
    """The argument table; options named in ``skip`` (the global ones every command accepts) are left out."""
    rows = [
        _argument(parser, a)
        for a in parser._actions
        if a.help != argparse.SUPPRESS
        and not isinstance(a, (argparse._SubParsersAction, argparse._HelpAction))
        and not skip.intersection(a.option_strings)
    ]
    return ["| argument | meaning |", "|---|---|", *rows] if rows else []


def _description(command: Command) -> list[str]:
    text = command.parser.description or command.help or ""
    return [text.strip(), ""] if text.strip() else []


def render(parser: argparse.ArgumentParser) -> str:
    """The whole Markdown page."""
    tree = list(walk(parser))
    top = tree[0]
    out = [HEADER, "", "# CLI reference", ""]
    out += _description(top)
    out += [f"Every command also accepts the global options. `{PROG} COMMAND --help` prints the same as this page.", ""]
    out += ["## Global options", "", *_arguments(top.parser), ""]
    if top.parser.epilog:
        out += ["```text", top.parser.epilog.strip("\n"), "```", ""]
    global_options = frozenset(opt for a in top.parser._actions for opt in a.option_strings)
    out += ["## Commands", ""]
    for command in tree[1:]:
        depth = "###" + "#" * command.path.count(" ")
        out += [f"{depth} {PROG} {command.path}", ""]
        if command.aliases:
            parent = " ".join([PROG, *command.path.split(" ")[:-1]])
            out += ["Also: " + ", ".join(f"`{parent} {alias}`" for alias in command.aliases), ""]
        out += _description(command)
        if command.is_leaf:
            arguments = _arguments(command.parser, global_options)
            out += [*arguments, ""] if arguments else ["No arguments besides the global options.", ""]
        else:
            sub = _subparsers(command.parser)
            assert sub is not None
            out += ["| command | |", "|---|---|"]
            out += [f"| `{PROG} {command.path} {c.dest}` | {_cell(c.help or '')} |" for c in sub._choices_actions]
            out += [""]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the page is stale")
    parser.add_argument("--out", type=Path, default=CLI_PAGE, help="default: docs/pages/cli.md")
    args = parser.parse_args(argv)
    fresh = render(build_parser())
    current = args.out.read_text() if args.out.exists() else None
    if current == fresh:
        print(f"{args.out}: up to date")
        return 0
    if args.check:
        print(f"{args.out}: stale (the CLI's parser changed); run `python -m tools.docs.cli`")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(fresh)
    print(f"{args.out}: written ({len(commands(build_parser()))} commands and groups)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
