"""The data plane is part of the emulator (no extra of its own): an error while importing it stops the emulator
instead of leaving one that serves tokens and ARM and answers 404 to every run, model and service."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# A fresh interpreter in which importing one data-plane module raises, as a bug in that module would.
_PLANTED_BUG = textwrap.dedent(
    """
    import importlib.abc
    import sys

    class PlantedBug(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "azureml_emulator.dataplane.models":
                raise RuntimeError("planted bug in the data plane")
            return None

    sys.meta_path.insert(0, PlantedBug())
    try:
        import azureml_emulator.app
    except RuntimeError as exc:
        print("raised:", exc)
    else:
        print("imported")
    """
)


def test_an_error_in_the_data_plane_is_raised_not_logged_and_skipped() -> None:
    out = subprocess.run([sys.executable, "-c", _PLANTED_BUG], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "raised: planted bug in the data plane", out.stdout + out.stderr
