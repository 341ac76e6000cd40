"""6. Regeneration: seconds for ``python -m generator.regen --out TMP`` (every package) and for the drift check
``--check``. Needs the pinned toolchain of generator/requirements.txt in this interpreter. ``--quick``
regenerates and checks the discovery group only. Reported without a goal.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from ._context import Context
from ._paths import ROOT, child_env
from ._results import Result

NAME = "regen"


def _timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator.regen", *args], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"generator.regen {' '.join(args)} failed: {(done.stderr or done.stdout)[-1500:]}")
    return took


def run(ctx: Context) -> list[Result]:
    only = ["--only", "discovery"] if ctx.quick else []
    from generator.groups import targets

    what = "discovery group" if ctx.quick else f"all {len(targets())} packages"
    with tempfile.TemporaryDirectory(prefix="bench-regen-") as tmp:
        ctx.log(f"regen: {what} into a temporary folder")
        gen = _timed([*only, "--out", tmp])
    ctx.log("regen: drift check")
    check = _timed(["--check", *only])
    return [
        Result(f"regen.generate ({what})", gen, None, "s", note="python -m generator.regen --out TMP"),
        Result(f"regen.drift check ({what})", check, None, "s", note="python -m generator.regen --check"),
    ]
