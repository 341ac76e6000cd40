"""Where the repository's packages are, and the environment child processes run with.

In a checkout without an install (``PYTHONPATH=overlays:generated:emulator``) the benchmarks add those folders
themselves; after ``pip install .`` (what ``nox -s bench`` does) nothing is added, so imports are timed as users
see them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = [ROOT / "overlays", ROOT / "generated", ROOT / "emulator"]


def ensure_importable() -> bool:
    """Put the source folders on ``sys.path`` when the packages are not installed; True if they were added."""
    if importlib.util.find_spec("azureml_rest") is not None and importlib.util.find_spec("azureml_emulator"):
        return False
    for d in reversed(SOURCE_DIRS):
        if str(d) not in sys.path:
            sys.path.insert(0, str(d))
    importlib.invalidate_caches()
    return True


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """``os.environ`` plus ROOT and, when the packages are not installed, the source folders on PYTHONPATH."""
    env = dict(os.environ)
    parts = [str(ROOT)]
    if not _installed():
        parts += [str(d) for d in SOURCE_DIRS]
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join(parts + ([old] if old else []))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra:
        env.update(extra)
    return env


_INSTALLED: bool | None = None


def _installed() -> bool:
    global _INSTALLED
    if _INSTALLED is None:
        spec = importlib.util.find_spec("azureml_rest")
        origin = spec.origin if spec is not None else None
        _INSTALLED = origin is not None and not Path(origin).resolve().is_relative_to(ROOT)
    return _INSTALLED
