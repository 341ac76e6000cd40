"""``azureml-rest emulator [ARGS...]``: run the local emulator (needs ``azureml-rest[emulator]``).

A run-time hand-off, not an import: the emulator's console entry point (``azureml-emulator``, i.e.
``azureml_emulator.cli:main``) is loaded by name when the command runs and given the remaining arguments. The
CLI shares no code with the emulator, and ``--help`` of the other commands never loads it.
"""

from __future__ import annotations

import argparse
import importlib

from .arguments import SubParsers
from .context import Context
from .errors import EXIT_ERROR

__all__ = ["ENTRY_POINT", "register"]

#: ``module:function`` of the emulator's console script (pyproject ``[project.scripts] azureml-emulator``).
ENTRY_POINT = "azureml_emulator.cli:main"
#: Top-level modules whose absence means "the [emulator] extra is not installed".
_EXTRA_MODULES = ("azureml_emulator", "uvicorn", "starlette", "multipart", "python_multipart", "trustme")


def _emulator(ctx: Context) -> int:
    module_name, _, function = ENTRY_POINT.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in _EXTRA_MODULES:
            ctx.err.write(f"error: the emulator is not installed ({exc.name} is missing). "
                          "Hint: pip install 'azureml-rest[emulator]'\n")
            return EXIT_ERROR
        raise
    try:
        return int(getattr(module, function)(list(ctx.args._extra)) or 0)
    except SystemExit as exc:  # its --help / usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("emulator", add_help=False, help="run the local emulator (azureml-emulator; --help for its "
                       "options); needs azureml-rest[emulator]",
                       description="Runs the emulator's console entry point with the remaining arguments.")
    p.set_defaults(_handler=_emulator, _columns=(), _returns_status=True, _passthrough=True)
