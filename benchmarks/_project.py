"""A generated project folder: a trivial script, many small files and one large file of random bytes."""

from __future__ import annotations

import os
from pathlib import Path

SCRIPT = "train.py"
CHUNK = 1 << 20


def make_project(root: Path, total_bytes: int, small_files: int = 1000, small_size: int = 4096) -> int:
    """Write the project under ``root``; returns its size in bytes (about ``total_bytes``)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / SCRIPT).write_text("print('benchmark run')\n")
    written = 0
    for i in range(small_files):
        folder = root / "src" / f"pkg{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        # Text-like content (compressible, like source files): a random seed line repeated.
        line = os.urandom(24).hex() + "\n"
        body = (line * (small_size // len(line) + 1))[:small_size]
        (folder / f"module_{i:04d}.py").write_text(body)
        written += small_size
    remaining = max(0, total_bytes - written)
    with (root / "data.bin").open("wb") as f:
        while remaining > 0:
            n = min(CHUNK, remaining)
            f.write(os.urandom(n))
            remaining -= n
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
