"""3. Run submission: a generated project (1 GiB; ``--quick`` 20 MB: many small files and one large random
file) zipped and uploaded through ``ws.v1.runs.submit`` vs ``zipfile`` + raw httpx multipart of the same bytes.

Each side runs in a fresh child process (clean memory baseline); the emulator is started with an upload
limit above the project's size (its default is the service's 300 MB). After each submission the run is waited
for, so the emulator's own work (unzipping, running the script) does not overlap the next measurement.
Goals: peak RSS growth of the client <= 64 MiB; total time <= 1.5x the reference.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from ._context import Context
from ._emulator import EmulatorProcess, emulator
from ._paths import child_env
from ._processes import json_child
from ._project import make_project
from ._results import Result
from ._seed import create_workspace, run_url
from ._stats import median

NAME = "submit"
RSS_GOAL_MIB = 64.0
TIME_GOAL = 1.5
MIB = 2**20


def _child(mode: str, emu: EmulatorProcess, token: str, project: Path, run_id: str) -> dict[str, float]:
    return json_child("benchmarks._submit_child", [mode, emu.base_url, str(project), run_id], token + "\n",
                      child_env(), f"submission ({mode})")


def _wait_run(emu: EmulatorProcess, token: str, run_id: str, timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    status = "?"
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30, trust_env=False) as c:
        while time.monotonic() < deadline:
            status = str(c.get(run_url(emu, run_id)).json().get("status"))
            if status in ("Completed", "Failed", "Canceled"):
                return status
            time.sleep(0.2)
    return status


def run(ctx: Context) -> list[Result]:
    size = 20 * 10**6 if ctx.quick else 2**30
    reps = 1 if ctx.quick else 2
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as tmp:
        project = Path(tmp) / "project"
        t0 = time.perf_counter()
        actual = make_project(project, size, small_files=200 if ctx.quick else 1000)
        ctx.log(f"submit: generated a {actual / MIB:.0f} MiB project in {time.perf_counter() - t0:.1f} s")
        with emulator(max_upload_bytes=2 * actual + 64 * MIB) as emu:
            create_workspace(emu)
            token = emu.token()
            got: dict[str, list[dict[str, float]]] = {"ours": [], "raw": []}
            for rep in range(reps):
                order = ["ours", "raw"] if rep % 2 == 0 else ["raw", "ours"]
                for mode in order:
                    run_id = f"bench-submit-{mode}-{rep}"
                    ctx.log(f"submit: {mode} #{rep + 1}")
                    got[mode].append(_child(mode, emu, token, project, run_id))
                    status = _wait_run(emu, token, run_id)
                    if status != "Completed":
                        ctx.log(f"submit: run {run_id} ended {status}")
    t_ours = median([g["seconds"] for g in got["ours"]])
    t_raw = median([g["seconds"] for g in got["raw"]])
    rss_ours = max(g["peak"] - g["baseline"] for g in got["ours"]) / MIB
    rss_raw = max(g["peak"] - g["baseline"] for g in got["raw"]) / MIB
    what = f"{actual / MIB:.0f} MiB project, {reps} submission(s) each"
    return [
        Result("submit.peak RSS growth (overlay; reference = zipfile + raw httpx)", rss_ours, rss_raw, "MiB",
               f"<= {RSS_GOAL_MIB:.0f} MiB", rss_ours <= RSS_GOAL_MIB, note=what + "; RSS sampled every 2 ms"),
        Result("submit.total time (overlay vs zipfile + raw httpx multipart)", t_ours, t_raw, "s",
               f"<= {TIME_GOAL:.1f}x", t_ours <= TIME_GOAL * t_raw),
    ]
