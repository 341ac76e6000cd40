"""Building the project zip that ``startrun`` uploads (``projectZipFile``; CONTRIBUTING.md, Runs_StartRun).

The source folder is walked once, files are filtered by ignore files, the service's limits are checked
from file sizes alone (nothing is read or uploaded before that), and only then is the zip written to a
temporary file, one member at a time, so a project never has to fit in memory.

Ignore files (``.amlignore``, else ``.gitignore``, in every folder; gitignore syntax) are matched by
:mod:`azureml_rest.ignore_rules`. ``.git`` (folder or file) is always left out.
"""

from __future__ import annotations

import os
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ._logging import get_logger
from .errors import ScriptNotFoundError, SnapshotError, SnapshotTooLargeError  # re-exported
from .ignore_rules import IGNORE_FILES, IgnoreRules, ignored_by, read_rules

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


@dataclass(frozen=True)
class ProjectFile:
    """One file that goes into the snapshot: its path on disk, its name in the zip, its size."""

    path: Path
    arcname: str
    size: int


# --- walking the project ------------------------------------------------------------------------------------


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
        rules = read_rules(folder)
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
            if ignored_by(stack, relpath, is_dir):
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
