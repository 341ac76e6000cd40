"""Write the synchronous twin of every async source module, or check that the committed twins are current.

    python -m tools.unasync            # rewrite every sync target from its async source
    python -m tools.unasync --check    # exit 1 naming every stale, missing or orphaned sync file (nox -s tests)

The hand-written code is async; its sync twin is produced by token replacement, as httpcore does with its
``scripts/unasync.py``: ``async def`` -> ``def``, ``await x`` -> ``x``, ``AsyncPoller`` -> ``Poller``,
``acall`` -> ``call``, ``asyncio_detailed`` -> ``sync_detailed``... (:data:`SUBSTITUTIONS`, applied in order,
whole words only). One source of behaviour; the twins cannot disagree.

Where the code goes: :data:`PAIRS`, a list of (async source, sync target) folders or files, relative to the
repository root. Every ``*.py`` below a source folder gets a twin at the same place below its target folder.
To convert another module, put its async version in a source folder (or add a file pair) and run the tool.

Each written file starts with a line naming its source and this command. After the replacements, the names of
each ``from x import a, b`` are put back in isort order (constants, classes, then functions; what ruff's "I"
rule expects), since a rename such as ``AsyncPager`` -> ``Pager`` can move a name. Output is byte-identical for
the same sources.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python -m tools.unasync"

#: (async source, sync target), folders or single files, relative to the repository root.
PAIRS: list[tuple[str, str]] = [
    ("overlays/azureml_rest/_async", "overlays/azureml_rest/_sync"),
]

#: (regex, replacement), applied in this order to every line of a source file.
SUBSTITUTIONS: list[tuple[str, str]] = [
    # keywords
    # "(await ws.services.keys(sid)).x" -> "ws.services.keys(sid).x", but not a call's "f(await g())"
    (r"(?<![\w\])\]])\(await ([\w.]+\([^()]*\))\)", r"\1"),
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\basync for\b", "for"),
    (r"\bawait\s+", ""),
    # dunder protocols and httpx / stdlib / anyio names
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\b__anext__\b", "__next__"),
    (r"\bStopAsyncIteration\b", "StopIteration"),
    (r"\baclose\b", "close"),
    (r"\baread\b", "read"),
    (r"\baiter_(bytes|text|lines|raw)\b", r"iter_\1"),
    (r"\b(?:anyio|asyncio)\.sleep\b", "time.sleep"),
    # the generated clients: asyncio_detailed -> sync_detailed, asyncio -> sync
    (r"\basyncio_detailed\b", "sync_detailed"),
    (r"\.asyncio\(", ".sync("),
    # this package: AsyncX -> X (AsyncPoller, AsyncPager, AsyncWorkspace, AsyncRunOperations, httpx.AsyncClient,
    # AsyncIterator...), async_x -> x (async_next_link_fetcher), and the a-prefixed twins
    (r"(?<![\w-])Async(?=[A-Z])", ""),  # not in "Azure-AsyncOperation"
    (r"\basync_(?=[a-z])", ""),
    (r"\bbuild_async_client\b", "build_client"),
    (r"\bacall(_detailed|_raw)?\b", r"call\1"),
    (r"\baclient\(", "client("),
    (r"\baget_workspace\b", "get_workspace"),
    (r"\basleep\b", "sleep"),
    (r"\barun_blocking\b", "run_blocking"),
    (r"\bafind_service\b", "find_service"),
    (r"\basync_=True\b", "async_=False"),  # credential_from_env(async_=True) -> the sync credential
    # Awaitable[X] -> X, and the import it no longer needs
    (r"\bAwaitable\[((?:[^\[\]]|\[[^\[\]]*\])+)\]", r"\1"),  # one level of nesting: Awaitable[Page[T]]
    (r"^(from collections\.abc import .*)\bAwaitable, ", r"\1"),
    (r"^(from collections\.abc import .*), Awaitable$", r"\1"),
]

#: A source line ending in this comment has no sync twin (an async-only alias such as ``aclose = close``).
DROP_MARKER = "# unasync: drop"

_COMPILED = [(re.compile(pattern), repl) for pattern, repl in SUBSTITUTIONS]
_IMPORT_ONE_LINE = re.compile(r"^(?P<indent>[ \t]*)from (?P<module>[\w.]+) import (?P<names>[^(\n]+?)[ \t]*$", re.M)
_IMPORT_BLOCK = re.compile(r"^(?P<indent>[ \t]*)from (?P<module>[\w.]+) import \((?P<names>[^)]*)\)", re.M)


def header(source: str) -> str:
    """The first line of every generated file."""
    return f"# Generated from {source} by `{COMMAND}`: do not edit.\n"


def _member_key(entry: str) -> tuple[int, str, str]:
    name = entry.split(" as ", 1)[0].strip()
    if len(name) > 1 and name.isupper():
        kind = 0  # CONSTANT
    elif name[:1].isupper():
        kind = 1  # Class
    else:
        kind = 2  # function or variable
    return kind, name.lower(), name


def _sorted_names(raw: str) -> list[str]:
    names = [n.strip() for n in raw.replace("\n", " ").split(",") if n.strip()]
    return sorted(dict.fromkeys(names), key=_member_key)


def _sort_imports(text: str) -> str:
    def one_line(m: re.Match[str]) -> str:
        if "#" in m["names"]:
            return m.group(0)
        return f"{m['indent']}from {m['module']} import {', '.join(_sorted_names(m['names']))}"

    def block(m: re.Match[str]) -> str:
        if "#" in m["names"]:
            return m.group(0)
        inner = m["indent"] + "    "
        body = "".join(f"{inner}{name},\n" for name in _sorted_names(m["names"]))
        return f"{m['indent']}from {m['module']} import (\n{body}{m['indent']})"

    return _IMPORT_ONE_LINE.sub(one_line, _IMPORT_BLOCK.sub(block, text))


def unasync_text(text: str) -> str:
    """The sync version of async source ``text`` (without the header line)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.rstrip().endswith(DROP_MARKER):
            continue
        for regex, repl in _COMPILED:
            line = regex.sub(repl, line)
        lines.append(line)
    return _sort_imports("".join(lines))


def _files(root: Path, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (source, target) file pair, relative to ``root``."""
    out: list[tuple[str, str]] = []
    for source, target in pairs:
        src = root / source
        if src.is_dir():
            for path in sorted(src.rglob("*.py")):
                rel = path.relative_to(src).as_posix()
                out.append((f"{source}/{rel}", f"{target}/{rel}"))
        else:
            out.append((source, target))
    return out


def expected(root: Path = ROOT, pairs: Sequence[tuple[str, str]] = PAIRS) -> dict[str, str]:
    """Target path (relative to ``root``) -> the text it must hold."""
    return {
        target: header(source) + unasync_text((root / source).read_text(encoding="utf-8"))
        for source, target in _files(root, pairs)
    }


def _orphans(root: Path, pairs: Sequence[tuple[str, str]], wanted: dict[str, str]) -> list[str]:
    """Python files in a target folder that no source produces (a source was renamed or removed)."""
    found = []
    for source, target in pairs:
        if (root / source).is_dir() and (root / target).is_dir():
            for path in sorted((root / target).rglob("*.py")):
                rel = path.relative_to(root).as_posix()
                if rel not in wanted:
                    found.append(rel)
    return found


def check(root: Path = ROOT, pairs: Sequence[tuple[str, str]] = PAIRS) -> list[str]:
    """Problems, one per file: stale (differs from its source), missing, or orphaned. Empty when current."""
    wanted = expected(root, pairs)
    problems = []
    for target, text in wanted.items():
        path = root / target
        if not path.exists():
            problems.append(f"missing: {target}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: {target}")
    problems += [f"orphaned (no source): {rel}" for rel in _orphans(root, pairs, wanted)]
    return problems


def write(root: Path = ROOT, pairs: Sequence[tuple[str, str]] = PAIRS) -> list[str]:
    """Rewrite every target that differs, delete orphans; returns what changed."""
    wanted = expected(root, pairs)
    changed = []
    for target, text in wanted.items():
        path = root / target
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(f"wrote {target}")
    for rel in _orphans(root, pairs, wanted):
        (root / rel).unlink()
        changed.append(f"deleted {rel}")
    return changed


def main(argv: Sequence[str] | None = None, *, root: Path = ROOT,
         pairs: Sequence[tuple[str, str]] = PAIRS) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail, naming each sync file that is not current")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(root, pairs)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} sync file(s) out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    for line in write(root, pairs):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
