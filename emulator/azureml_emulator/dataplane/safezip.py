"""Checks and extraction for untrusted project zips.

Refused: not a zip or corrupt (CRC/structure), encrypted members, zip slip (``..``), absolute paths
(``/x``, ``\\x``, ``C:x``), symlink members, more than ``max_files`` members (default 10,000), a total
uncompressed size over ``max_total`` bytes, and members over 1 MiB compressed more than 100:1 (bombs).
Sizes are enforced on the bytes actually inflated, so a member lying about its size is caught too.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

MAX_FILES = 10_000
MAX_RATIO = 100
RATIO_MIN_SIZE = 1024 * 1024  # small members may compress well (e.g. text of zeros); only large ones count
_CHUNK = 256 * 1024


class ZipProblem(Exception):
    """An unacceptable project zip: ``code`` is the error code, the message says what is wrong."""

    def __init__(self, message: str, code: str = "InvalidProjectZip") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def safe_name(name: str) -> str | None:
    """The normalised relative path of a member, or None for a directory entry.

    Raises ZipProblem for absolute paths, drive letters, ``..`` components and NUL bytes.
    """
    if "\x00" in name:
        raise ZipProblem(f"zip member name {name!r} contains a NUL byte", "UnsafeProjectZip")
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) >= 2 and norm[1] == ":"):
        raise ZipProblem(f"zip member {name!r} has an absolute path", "UnsafeProjectZip")
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise ZipProblem(f"zip member {name!r} escapes the project folder (zip slip)", "UnsafeProjectZip")
    if not parts or norm.endswith("/"):
        return None
    return str(PurePosixPath(*parts))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def _members(zf: zipfile.ZipFile, max_total: int, max_files: int) -> list[tuple[zipfile.ZipInfo, str]]:
    infos = zf.infolist()
    if len(infos) > max_files:
        raise ZipProblem(
            f"the project zip has {len(infos)} entries; at most {max_files} are allowed", "UnsafeProjectZip"
        )
    total = 0
    members: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        name = safe_name(info.filename)
        if _is_symlink(info):
            raise ZipProblem(f"zip member {info.filename!r} is a symbolic link", "UnsafeProjectZip")
        if info.flag_bits & 0x1:
            raise ZipProblem(f"zip member {info.filename!r} is encrypted", "InvalidProjectZip")
        if name is None:
            continue
        total += info.file_size
        if total > max_total:
            raise ZipProblem(f"the project zip inflates to more than {max_total} bytes (zip bomb?)", "UnsafeProjectZip")
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ZipProblem(
                f"zip member {info.filename!r} has a compression ratio over {MAX_RATIO}:1 (zip bomb?)",
                "UnsafeProjectZip",
            )
        members.append((info, name))
    return members


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ZipProblem(f"the project file is not a valid zip archive ({exc})") from None


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes] | None, budget: int) -> int:
    """Inflate one member into ``out`` (a binary file or None); returns bytes written."""
    written = 0
    try:
        with zf.open(info) as src:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > budget or written > info.file_size:
                    raise ZipProblem(
                        f"zip member {info.filename!r} inflates beyond its declared or allowed size (zip bomb?)",
                        "UnsafeProjectZip",
                    )
                if out is not None:
                    out.write(chunk)
    except ZipProblem:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise ZipProblem(f"zip member {info.filename!r} is corrupt ({exc})") from None
    return written


def validate(path: Path, max_total: int, max_files: int = MAX_FILES) -> list[str]:
    """Check the zip at ``path`` fully (structure, names, sizes, CRCs); returns its member file names."""
    with _open(path) as zf:
        members = _members(zf, max_total, max_files)
        budget = max_total
        for info, _ in members:
            budget -= _copy_member(zf, info, None, budget)
        return [name for _, name in members]


def extract(path: Path, dest: Path, max_total: int, max_files: int = MAX_FILES) -> None:
    """Extract the zip at ``path`` into ``dest`` with every check of :func:`validate` re-applied."""
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    with _open(path) as zf:
        members = _members(zf, max_total, max_files)
        budget = max_total
        for info, name in members:
            target = (root / name).resolve()
            if os.path.commonpath([root, target]) != str(root):
                raise ZipProblem(f"zip member {info.filename!r} escapes the project folder", "UnsafeProjectZip")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                budget -= _copy_member(zf, info, out, budget)


def remove_tree(path: Path) -> None:
    """Delete a directory tree, ignoring errors (best effort clean-up)."""
    shutil.rmtree(path, ignore_errors=True)
