"""The Python API and CLI reference: mkdocs (mkdocs.yml, docs/pages/, docstrings through mkdocstrings)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from tools.docs.build import ROOT

CONFIG = ROOT / "mkdocs.yml"
PAGES = ROOT / "docs" / "pages"
REQUIREMENTS = ROOT / "docs" / "requirements.txt"


def build_site(out: Path) -> None:
    """``mkdocs build --strict`` into ``out`` (emptied first). Raises if mkdocs is missing or warns."""
    if importlib.util.find_spec("mkdocs") is None:
        raise RuntimeError(f"mkdocs is not installed: pip install -r {REQUIREMENTS.relative_to(ROOT)}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's banner about MkDocs 2.0, not a warning of ours
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--config-file", str(CONFIG),
         "--site-dir", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}")
