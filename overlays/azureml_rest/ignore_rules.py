"""The ignore-file matcher of project snapshots: ``.amlignore`` / ``.gitignore`` rules (gitignore syntax).

In every folder, ``.amlignore`` if present, else ``.gitignore`` (Azure ML's rule: an ``.amlignore`` replaces the
``.gitignore`` of the same folder). Patterns follow gitignore: ``#`` comments, ``!`` negation, a leading ``/``
or an inner ``/`` anchors to the ignore file's folder, a trailing ``/`` matches folders only, ``*`` / ``?`` /
``[...]`` do not cross ``/``, ``**/`` / ``/**/`` / ``/**`` span folders, and the last matching rule wins. As in
git, a file inside an ignored folder cannot be re-included (the folder is not walked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import SnapshotError

__all__ = ["IGNORE_FILES", "IgnoreRules", "ignored_by", "read_rules"]

#: Looked for in every folder, first one found wins.
IGNORE_FILES = (".amlignore", ".gitignore")


def _translate(pattern: str) -> str:
    """Regex source for a gitignore glob (already stripped of ``!``, anchoring ``/`` and trailing ``/``)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                before_ok = i == 0 or pattern[i - 1] == "/"
                j = i + 2
                after_slash = j < n and pattern[j] == "/"
                if before_ok and after_slash:  # "**/" : zero or more folders
                    out.append("(?:[^/]*/)*")
                    i = j + 1
                    continue
                if before_ok and j == n:  # trailing "/**" (or a lone "**"): everything inside
                    out.append(".*")
                    i = j
                    continue
                # any other run of asterisks is an ordinary "*" (gitignore rule)
                while i < n and pattern[i] == "*":
                    i += 1
                out.append("[^/]*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal "["
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                body = body.replace("\\", "\\\\")
                out.append(f"(?!/)[{body}]")
                i = j + 1
                continue
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool
    source: str


def _strip_trailing_spaces(line: str) -> str:
    # Trailing spaces are ignored unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    return stripped


def _parse_line(line: str) -> _Rule | None:
    raw = line.rstrip("\r\n")
    text = _strip_trailing_spaces(raw)
    if not text or text.startswith("#"):
        return None
    negate = False
    if text.startswith("!"):
        negate, text = True, text[1:]
    elif text.startswith(("\\!", "\\#")):
        text = text[1:]
    dir_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        return None
    anchored = "/" in text
    text = text.lstrip("/")
    if not text:
        return None
    body = _translate(text)
    prefix = "" if anchored else "(?:.*/)?"
    return _Rule(re.compile(f"^{prefix}{body}$", re.DOTALL), negate, dir_only, raw)


class IgnoreRules:
    """The rules of one ignore file, relative to the folder that holds it.

    ``IgnoreRules.parse(text).match("build/out.bin", is_dir=False)`` is True (ignore), False (re-included by a
    ``!`` rule) or None (no rule matched); :meth:`is_ignored` also applies rules that hit a parent folder.
    """

    def __init__(self, rules: Iterable[_Rule] = (), origin: str = "") -> None:
        self.rules = list(rules)
        self.origin = origin

    @classmethod
    def parse(cls, text: str, origin: str = "") -> IgnoreRules:
        """Rules from the text of a gitignore-style file."""
        text = text.removeprefix("\ufeff")
        return cls((r for r in map(_parse_line, text.splitlines()) if r is not None), origin)

    def match(self, relpath: str, *, is_dir: bool) -> bool | None:
        """The verdict of the last rule matching ``relpath`` (posix, relative to the rules' folder)."""
        verdict: bool | None = None
        for rule in self.rules:
            if rule.dir_only and not is_dir:
                continue
            if rule.regex.match(relpath):
                verdict = not rule.negate
        return verdict

    def is_ignored(self, relpath: str, *, is_dir: bool = False) -> bool:
        """True when ``relpath`` or any folder above it is ignored (git's rule: no re-including inside)."""
        parts = PurePosixPath(relpath).parts
        for depth in range(1, len(parts)):
            if self.match("/".join(parts[:depth]), is_dir=True):
                return True
        return bool(self.match("/".join(parts), is_dir=is_dir))

    def __len__(self) -> int:
        return len(self.rules)

    def __repr__(self) -> str:
        return f"IgnoreRules({len(self.rules)} rules from {self.origin or '<text>'})"


def read_rules(folder: Path) -> IgnoreRules | None:
    """The rules of ``folder``'s ignore file (:data:`IGNORE_FILES`, first found), or None."""
    for name in IGNORE_FILES:
        candidate = folder / name
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise SnapshotError(f"cannot read {candidate}: {exc}") from None
            return IgnoreRules.parse(text, str(candidate))
    return None


def ignored_by(stack: Sequence[tuple[str, IgnoreRules]], relpath: str, is_dir: bool) -> bool:
    """Apply every ignore file from the root down; a deeper file's matching rule wins."""
    verdict: bool | None = None
    for base, rules in stack:
        sub = relpath[len(base) + 1 :] if base else relpath
        got = rules.match(sub, is_dir=is_dir)
        if got is not None:
            verdict = got
    return bool(verdict)
