"""Fresh virtualenvs for the install and import benchmarks."""

from __future__ import annotations

import json
import os
import subprocess
import time
import venv
from pathlib import Path


def site_packages(env_dir: Path) -> Path:
    found = sorted(env_dir.glob("lib/python*/site-packages")) or sorted(env_dir.glob("Lib/site-packages"))
    return found[0]


def python_of(env_dir: Path) -> str:
    unix = env_dir / "bin" / "python"
    return str(unix if unix.exists() else env_dir / "Scripts" / "python.exe")


def tree_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def dists(py: str) -> set[str]:
    out = subprocess.run([py, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return {d["name"].lower() for d in json.loads(out)}


def clean_env() -> dict[str, str]:
    """The environment for a fresh venv's processes: no PYTHONPATH, no outer virtualenv."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def make_venv(env_dir: Path) -> str:
    """A new virtualenv (with pip) at ``env_dir``; returns its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    return python_of(env_dir)


def pip_install(py: str, *targets: str) -> float:
    """``pip install targets`` with ``py``; returns seconds taken."""
    t0 = time.perf_counter()
    done = subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", *targets],
                          capture_output=True, text=True, env=clean_env(), timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(targets)} failed: {done.stderr[-800:]}")
    return time.perf_counter() - t0
