"""The content hash of a code folder, computed the way azure-ai-ml 1.35 computes it, so that code uploaded by
either tool is found and reused by the other (``hash`` + ``hashVersion`` on CodeVersions_List).

Restated from azure-ai-ml's ``_utils/_asset_utils.py`` (``get_content_hash``, ``get_upload_files_from_folder``,
``traverse_directory``, ``_get_file_list_content_hash``, ``get_ignore_file``), hash version ``202208``:

1. The ignore file is the root folder's ``.amlignore``, else its ``.gitignore`` (only the root's counts). Each
   file is judged on its own (folders are not pruned): every rule is tried in order against the file's path
   relative to the root and against each folder above it, and the last rule that matches decides (a ``!``
   rule re-includes).
2. The files are those of ``os.walk(root, followlinks=True)`` that are not ignored, each named by its posix path
   relative to the root; a symbolic link is read through (size and bytes of its target, under the link's name).
3. SHA-256 over: the file count as decimal text; then, sorted by the lower-cased relative name,
   ``#<name>#`` and the size as decimal text per file; then, in the same order, every file's bytes.

A single file (not a folder) hashes as a one-file list named by its file name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .ignore_rules import IgnoreRules

__all__ = ["HASH_VERSION", "CodeFile", "content_hash", "list_code_files", "root_ignore_rules"]

#: azure-ai-ml's ``get_content_hash_version()``.
HASH_VERSION = "202208"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CodeFile:
    """A file of a code folder: where it is read from and its name (posix, relative to the folder)."""

    path: Path
    name: str
    size: int


def root_ignore_rules(root: Path) -> IgnoreRules | None:
    """The root folder's ``.amlignore``, else ``.gitignore``, as rules; None when neither exists."""
    for name in (".amlignore", ".gitignore"):
        candidate = root / name
        if candidate.exists():
            return IgnoreRules.parse(candidate.read_text(encoding="utf-8", errors="replace"), str(candidate))
    return None


def _excluded(rules: IgnoreRules, name: str) -> bool:
    parts = PurePosixPath(name).parts
    folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
    verdict = False
    for rule in rules.rules:
        hit = (not rule.dir_only and rule.regex.match(name)) or any(rule.regex.match(f) for f in folders)
        if hit:
            verdict = not rule.negate
    return verdict


def list_code_files(root: str | os.PathLike[str]) -> list[CodeFile]:
    """The files of a code folder (or the one file) that are hashed and uploaded, sorted as hashed."""
    base = Path(root)
    if base.is_file():
        target = base.resolve()
        return [CodeFile(target, base.name, target.stat().st_size)]
    if not base.is_dir():
        raise FileNotFoundError(f"no such file or folder: {base}")
    rules = root_ignore_rules(base)
    files: list[CodeFile] = []
    for folder, _dirs, names in os.walk(base, followlinks=True):
        rel_folder = Path(folder).relative_to(base)
        for fname in names:
            name = (rel_folder / fname).as_posix()
            if rules is not None and _excluded(rules, name):
                continue
            target = (Path(folder) / fname).resolve()
            files.append(CodeFile(target, name, target.stat().st_size))
    return sorted(files, key=lambda f: f.name.lower())


def content_hash(files: list[CodeFile]) -> str:
    """The SHA-256 hex digest of :func:`list_code_files`' result (hash version :data:`HASH_VERSION`)."""
    h = hashlib.sha256(str(len(files)).encode())
    for f in files:
        h.update(f"#{f.name}#".encode())
        h.update(str(f.size).encode())
    for f in files:
        with open(f.path, "rb") as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                h.update(chunk)
    return h.hexdigest()
