"""v2 code upload: a generated 1 GiB project (``--quick`` 20 MB: many small files and one large random file)
through ``ws.jobs.code.upload`` vs azure-storage-blob's ``upload_blob`` of the same files with its default
concurrency, into the same container of the same emulator (``benchmarks/_upload_child.py`` says what each side
does). Each upload runs in a fresh child process (clean memory baseline), the two interleaved.

Every upload of ours must really upload, so before each of them one small file of the project is rewritten
(a new content hash; the reference uploads the same folder). Goals: time <= 1.0x the reference; peak RSS growth
<= 64 MiB.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
import uuid
from pathlib import Path

from ._context import Context
from ._emulator import EmulatorProcess, emulator
from ._paths import child_env
from ._processes import json_child
from ._project import make_project
from ._results import Result, skipped
from ._seed import create_workspace
from ._stats import median

NAME = "upload"
RSS_GOAL_MIB = 64.0
TIME_GOAL = 1.0
MIB = 2**20
NONCE = "nonce.txt"


def _child(mode: str, emu: EmulatorProcess, token: str, project: Path) -> dict[str, float]:
    return json_child("benchmarks._upload_child", [mode, emu.base_url, str(project)], token + "\n", child_env(),
                      f"upload ({mode})")


def _have_blob_sdk() -> bool:
    # The children run under this interpreter (sys.executable; child_env only prepends this repo's folders).
    try:
        return importlib.util.find_spec("azure.storage.blob") is not None
    except ModuleNotFoundError:  # no azure.storage package at all
        return False


def run(ctx: Context) -> list[Result]:
    if not _have_blob_sdk():
        return [skipped("upload.total time (ws.jobs.code.upload vs azure-storage-blob upload_blob)",
                        "azure-storage-blob not installed")]
    size = 20 * 10**6 if ctx.quick else 2**30
    reps = 1 if ctx.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        project = Path(tmp) / "project"
        t0 = time.perf_counter()
        actual = make_project(project, size, small_files=200 if ctx.quick else 1000)
        ctx.log(f"upload: generated a {actual / MIB:.0f} MiB project in {time.perf_counter() - t0:.1f} s")
        with emulator() as emu:
            create_workspace(emu)
            token = emu.token()
            got: dict[str, list[dict[str, float]]] = {"ours": [], "ref": []}
            for rep in range(reps):
                order = ["ours", "ref"] if rep % 2 == 0 else ["ref", "ours"]
                for mode in order:
                    (project / NONCE).write_text(uuid.uuid4().hex)  # a new hash: ours uploads every time
                    ctx.log(f"upload: {mode} #{rep + 1}")
                    got[mode].append(_child(mode, emu, token, project))
    t_ours = median([g["seconds"] for g in got["ours"]])
    t_ref = median([g["seconds"] for g in got["ref"]])
    t_hash = median([g["hash_seconds"] for g in got["ours"]])
    rss_ours = max(g["peak"] - g["baseline"] for g in got["ours"]) / MIB
    rss_ref = max(g["peak"] - g["baseline"] for g in got["ref"]) / MIB
    what = f"{actual / MIB:.0f} MiB project, {reps} upload(s) each, median"
    return [
        Result("upload.total time (ws.jobs.code.upload vs azure-storage-blob upload_blob)", t_ours, t_ref, "s",
               f"<= {TIME_GOAL:.1f}x", t_ours <= TIME_GOAL * t_ref,
               note=what + "; ours includes hashing, the hash lookup and registering the code version"),
        Result("upload.hashing the project (part of ours above)", t_hash, t_ref, "s",
               note="content hash of every file (azure-ai-ml's), files in the page cache"),
        Result("upload.peak RSS growth (ours; reference = azure-storage-blob)", rss_ours, rss_ref, "MiB",
               f"<= {RSS_GOAL_MIB:.0f} MiB", rss_ours <= RSS_GOAL_MIB, note="RSS sampled every 2 ms"),
    ]
