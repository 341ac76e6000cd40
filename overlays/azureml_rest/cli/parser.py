"""The whole ``azureml-rest`` parser: the global options and every command group's sub-parsers.

This is the only module that imports the command modules; they import the context, output, progress, errors,
arguments and v2_assets modules, never this one. None of them imports httpx or the generated clients at import
time.

The current API's groups carry az ml v2's names (``job``, ``model``, ``environment``, ``online-endpoint``,
``online-deployment``, ``datastore``). Where a legacy (v1) group had the same name (``model``: model management),
the legacy one lives under ``azureml-rest v1``.
"""

from __future__ import annotations

import argparse

from . import (
    computes,
    datastores,
    emulator,
    environments,
    experiments,
    groups,
    jobs,
    model_versions,
    models,
    online_deployments,
    online_endpoints,
    runs,
    scoring,
    services,
    tokens,
    workspaces,
)
from .arguments import EPILOG, HelpFormatter, add_global_options

__all__ = ["COMMAND_MODULES", "V1_COMMAND_MODULES", "build_parser"]

#: In the order ``azureml-rest --help`` lists them; each has ``register(sub, common)``.
COMMAND_MODULES = (tokens, scoring, emulator, groups, workspaces, experiments, computes, runs, services, jobs,
                   model_versions, environments, datastores, online_endpoints, online_deployments)
#: Legacy groups whose name the current API's group took: ``azureml-rest v1 GROUP ...``.
V1_COMMAND_MODULES = (models,)


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
    v1_help = "legacy (v1 API) commands whose names the current API's commands took (v1 API deprecated 2025-03-31)"
    v1 = sub.add_parser("v1", help=v1_help, description=v1_help, formatter_class=HelpFormatter, epilog=EPILOG)
    v1_sub = v1.add_subparsers(dest="v1_command", metavar="COMMAND", title="commands")
    v1_sub.required = True
    for module in V1_COMMAND_MODULES:
        module.register(v1_sub, common)
    return parser
