"""Building the project zip that ``startrun`` uploads (``projectZipFile``, facts §7).

The source folder is walked once, files are filtered by ignore files, the service's limits are checked
from file sizes alone (nothing is read or uploaded before that), and only then is the zip written to a
temporary file, one member at a time, so a project never has to fit in memory.

Ignore files: in every folder, ``.amlignore`` if present, else ``.gitignore`` (Azure ML's rule: an
``.amlignore`` replaces the ``.gitignore`` of the same folder). Patterns follow gitignore: ``#`` comments,
``!`` negation, a leading ``/`` or an inner ``/`` anchors to the ignore file's folder, a trailing ``/``
matches folders only, ``*`` / ``?`` / ``[...]`` do not cross ``/``, ``**/`` / ``/**/`` / ``/**`` span folders,
and the last matching rule wins. As in git, a file inside an ignored folder cannot be re-included (the folder
is not walked). ``.git`` (folder or file) is always left out.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType

from ._logging import get_logger
from .errors import AzureMLError

__all__ = [
    "IGNORE_FILES",
    "MAX_SNAPSHOT_BYTES",
    "MAX_SNAPSHOT_FILES",
    "IgnoreRules",
    "ProjectFile",
    "ScriptNotFoundError",
    "Snapshot",
    "SnapshotError",
    "SnapshotTooLargeError",
    "build_snapshot",
    "collect_files",
    "normalise_script",
]

_log = get_logger("snapshot")

#: Azure ML's snapshot limits: at most 300 MB of files (uncompressed) and 2000 files per snapshot (the
#: service refuses larger snapshots; the SDK checks the same numbers before uploading).
MAX_SNAPSHOT_BYTES = 300 * 1024 * 1024
MAX_SNAPSHOT_FILES = 2000
#: Looked for in every folder, first one found wins.
IGNORE_FILES = (".amlignore", ".gitignore")
#: How many offenders a limit error names.
_SHOW = 5


class SnapshotError(AzureMLError):
    """The project folder cannot be snapshotted (missing folder, script not in it, over the limits)."""


class ScriptNotFoundError(SnapshotError):
    """The entry script is not in the project folder, or an ignore file leaves it out."""


@dataclass(frozen=True)
class ProjectFile:
    """One file that goes into the snapshot: its path on disk, its name in the zip, its size."""

    path: Path
    arcname: str
    size: int


class SnapshotTooLargeError(SnapshotError):
    """The snapshot exceeds the service's limits; raised before anything is uploaded.

    Attributes: ``total_bytes``, ``file_count``, ``max_bytes``, ``max_files``, ``largest`` (the biggest files,
    ``[(arcname, size)]``), ``busiest`` (folders holding the most files, ``[(folder, count)]``).
    """

    def __init__(self, source: Path, files: list[ProjectFile], max_bytes: int, max_files: int) -> None:
        self.source = source
        self.total_bytes = sum(f.size for f in files)
        self.file_count = len(files)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.largest = [(f.arcname, f.size) for f in sorted(files, key=lambda f: (-f.size, f.arcname))[:_SHOW]]
        folders = Counter(str(PurePosixPath(f.arcname).parent) for f in files)
        self.busiest = sorted(folders.items(), key=lambda kv: (-kv[1], kv[0]))[:_SHOW]
        problems = []
        if self.total_bytes > max_bytes:
            largest = ", ".join(f"{name} ({_mb(size)})" for name, size in self.largest)
            problems.append(
                f"its files total {_mb(self.total_bytes)} ({self.total_bytes} bytes), over the limit of "
                f"{_mb(max_bytes)} ({max_bytes} bytes); largest files: {largest}"
            )
        if self.file_count > max_files:
            busiest = ", ".join(f"{'(root)' if d == '.' else d + '/'} ({n} files)" for d, n in self.busiest)
            problems.append(f"it has {self.file_count} files, over the limit of {max_files}; most files in: {busiest}")
        super().__init__(
            f"the snapshot of {source} is too large for Azure ML (limits: {_mb(max_bytes)}, {max_files} files): "
            + "; ".join(problems)
            + ". Nothing was uploaded. Leave files out with an .amlignore (gitignore syntax) in the project "
            "folder, or keep large data in a datastore."
        )


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# --- the gitignore matcher ------------------------------------------------------------------------------------


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


def _read_rules(folder: Path) -> IgnoreRules | None:
    for name in IGNORE_FILES:
        candidate = folder / name
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise SnapshotError(f"cannot read {candidate}: {exc}") from None
            return IgnoreRules.parse(text, str(candidate))
    return None


# --- walking the project ------------------------------------------------------------------------------------


def _ignored(stack: list[tuple[str, IgnoreRules]], relpath: str, is_dir: bool) -> bool:
    """Apply every ignore file from the root down; a deeper file's matching rule wins."""
    verdict: bool | None = None
    for base, rules in stack:
        sub = relpath[len(base) + 1 :] if base else relpath
        got = rules.match(sub, is_dir=is_dir)
        if got is not None:
            verdict = got
    return bool(verdict)


def collect_files(source_dir: str | os.PathLike[str]) -> list[ProjectFile]:
    """The files a snapshot of ``source_dir`` holds, in a stable order (names sorted per folder).

    Ignore files are honoured (module docstring); ``.git`` is skipped; symbolic links to files are taken
    (their target's content), symbolic links to folders are not followed (they could loop).
    """
    root = Path(source_dir)
    if not root.is_dir():
        raise SnapshotError(f"the project folder {root} does not exist or is not a folder")
    files: list[ProjectFile] = []

    def walk(folder: Path, rel: str, stack: list[tuple[str, IgnoreRules]]) -> None:
        rules = _read_rules(folder)
        if rules is not None:
            stack = [*stack, (rel, rules)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise SnapshotError(f"cannot list {folder}: {exc}") from None
        for entry in entries:
            if entry.name == ".git":
                continue
            relpath = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_link = entry.is_symlink()
                st = os.stat(entry.path)  # follows links
            except OSError:
                _log.warning("snapshot: skipping %s (broken link or unreadable)", relpath)
                continue
            is_dir = stat.S_ISDIR(st.st_mode)
            if _ignored(stack, relpath, is_dir):
                continue
            if is_dir:
                if is_link:
                    _log.warning("snapshot: not following the folder link %s", relpath)
                    continue
                walk(Path(entry.path), relpath, stack)
            elif stat.S_ISREG(st.st_mode):
                files.append(ProjectFile(Path(entry.path), relpath, st.st_size))

    walk(root, "", [])
    return files


# --- the zip ------------------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A project zip in a temporary file; ``close()`` (or leaving the ``with``) deletes it.

    ``path`` the zip, ``size`` its bytes, ``files`` what it holds, ``total_bytes`` their uncompressed sum.
    """

    path: Path
    size: int
    files: list[ProjectFile] = field(repr=False)
    total_bytes: int

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def names(self) -> list[str]:
        return [f.arcname for f in self.files]

    def close(self) -> None:
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def normalise_script(script: str) -> str:
    """``./src\\train.py`` -> ``src/train.py``; refuses absolute paths and ``..``."""
    norm = script.strip().replace("\\", "/")
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if not parts or norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") or ".." in parts:
        raise ScriptNotFoundError(
            f"the script {script!r} must be a relative path inside the project folder (e.g. 'train.py')"
        )
    return "/".join(parts)


def _check_script(root: Path, files: list[ProjectFile], script: str) -> None:
    name = normalise_script(script)
    if any(f.arcname == name for f in files):
        return
    on_disk = root / name
    if on_disk.is_file():
        raise ScriptNotFoundError(
            f"the script {name!r} is in {root} but an ignore file ({' / '.join(IGNORE_FILES)}) leaves it out of "
            "the snapshot; remove the rule that matches it"
        )
    shown = ", ".join(f.arcname for f in files[:10]) or "no files"
    raise ScriptNotFoundError(
        f"the script {name!r} is not in the project folder {root} (paths are relative to it; it holds: {shown})"
    )


def build_snapshot(
    source_dir: str | os.PathLike[str],
    *,
    script: str | None = None,
    max_bytes: int = MAX_SNAPSHOT_BYTES,
    max_files: int = MAX_SNAPSHOT_FILES,
    compression: int = zipfile.ZIP_DEFLATED,
    temp_dir: str | os.PathLike[str] | None = None,
) -> Snapshot:
    """Zip ``source_dir`` into a temporary file after checking ``script`` is in it and the limits hold.

    Defaults: ``max_bytes=MAX_SNAPSHOT_BYTES`` (300 MB), ``max_files=MAX_SNAPSHOT_FILES`` (2000),
    deflate compression, the system temporary folder. Raises :class:`ScriptNotFoundError` /
    :class:`SnapshotTooLargeError` (both before any zip is written) or :class:`SnapshotError`.
    """
    root = Path(source_dir)
    files = collect_files(root)
    if script is not None:
        _check_script(root, files, script)
    total = sum(f.size for f in files)
    if total > max_bytes or len(files) > max_files:
        raise SnapshotTooLargeError(root, files, max_bytes, max_files)
    fd, name = tempfile.mkstemp(prefix="azureml-snapshot-", suffix=".zip", dir=temp_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", compression, strict_timestamps=False) as zf:
            for f in files:
                # ZipFile.write copies the file in chunks: the project is never held in memory.
                zf.write(f.path, f.arcname)
        size = path.stat().st_size
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _log.debug("snapshot of %s: %d files, %d bytes, zip %d bytes", root, len(files), total, size)
    return Snapshot(path=path, size=size, files=files, total_bytes=total)
