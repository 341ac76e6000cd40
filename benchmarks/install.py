"""2b. Installed size and package count: ``pip install <this repo>`` vs ``pip install azure-ai-ml``, each in a
new temporary virtualenv. Counted: distributions and bytes added to site-packages beyond a fresh venv (pip's
own), bytecode included. ``--quick`` skips the azure-ai-ml install.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ._context import Context
from ._install_env import dists, make_venv, pip_install, site_packages, tree_size
from ._paths import ROOT
from ._results import Result, skipped

NAME = "install"
REFERENCE = "azure-ai-ml"


def measure(target: str, workdir: Path) -> tuple[int, float, float]:
    """(packages added, MiB added, seconds to install) for ``pip install target`` in a new venv under workdir."""
    env_dir = workdir / "venv"
    py = make_venv(env_dir)
    site = site_packages(env_dir)
    before_dists, before_size = dists(py), tree_size(site)
    took = pip_install(py, target)
    added = dists(py) - before_dists
    return len(added), (tree_size(site) - before_size) / 2**20, took


def run(ctx: Context) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        ctx.log("install: pip install <this repo> into a new venv")
        ours = measure(str(ROOT), Path(tmp) / "ours")
        ref: tuple[int, float, float] | None = None
        if not ctx.quick:
            ctx.log(f"install: pip install {REFERENCE} into a new venv")
            ref = measure(REFERENCE, Path(tmp) / "ref")
    if ref is None:
        return [
            Result("install.size (this repo)", ours[1], None, "MiB", note=f"{ours[0]} packages; reference skipped "
                   "in --quick (azure-ai-ml last measured: 63 packages, 138 MB)"),
            skipped(f"install.packages (vs {REFERENCE})", "--quick"),
        ]
    note = f"pip install took {ours[2]:.0f} s (ours) and {ref[2]:.0f} s ({REFERENCE}); python {sys.version.split()[0]}"
    return [
        Result(f"install.size (vs {REFERENCE})", ours[1], ref[1], "MiB", note=note),
        Result(f"install.packages (vs {REFERENCE})", ours[0], ref[0], "count"),
    ]
