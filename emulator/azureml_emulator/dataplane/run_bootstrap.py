"""What a run's process runs first: the user's script, then what Azure ML's run wrapper does at its end.

Run by path in the run's own interpreter (``python run_bootstrap.py SCRIPT ARGS...``), never imported by the
emulator. On Azure ML a run's script is wrapped by the SDK's history context managers
(azureml/history/_tracking.py ``get_history_context_manager``), whose ``SendRunKillSignal``
(azureml/_history/utils/context_managers.py, line 156) flushes what the run still holds (``run.log``
metrics are sent by a background queue) when the script ends. This file does the same, and only when the
script used azureml-core's run context: the script itself runs as ``__main__`` with its own ``sys.argv``.
"""

from __future__ import annotations

import importlib
import os
import runpy
import sys

FLUSH_TIMEOUT = float(os.environ.get("AZUREML_RUN_KILL_SIGNAL_TIMEOUT_SEC", "300"))


def _flush_run_context() -> None:
    if "azureml.core.run" not in sys.modules or os.environ.get("AZUREML_DISABLE_RUN_KILL_SIGNAL"):
        return
    run_base = importlib.import_module("azureml._run_impl.run_base")
    run_base._RunBase._kill(timeout=FLUSH_TIMEOUT)


def main() -> None:
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        _flush_run_context()


if __name__ == "__main__":
    main()
