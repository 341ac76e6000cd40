"""The whole ``azureml-rest`` parser: the global options and every command group's sub-parsers.

This is the only module that imports the command modules; they import the context, output, progress, errors
and arguments modules, never this one. None of them imports httpx or the generated clients at import time.
"""

from __future__ import annotations

import argparse

from . import computes, emulator, experiments, groups, models, runs, scoring, services, tokens, workspaces
from .arguments import EPILOG, HelpFormatter, add_global_options

__all__ = ["COMMAND_MODULES", "build_parser"]

#: In the order ``azureml-rest --help`` lists them; each has ``register(sub, common)``.
COMMAND_MODULES = (tokens, scoring, emulator, groups, workspaces, experiments, computes, runs, models, services)


def build_parser() -> argparse.ArgumentParser:
    """A fresh parser for one invocation."""
    parser = argparse.ArgumentParser(
        prog="azureml-rest",
        description="Drive Azure Machine Learning over its REST APIs (the article's walkthrough, as commands).",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return parser
