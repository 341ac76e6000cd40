"""The whole ``azureml-rest`` parser: the global options and every command group's sub-parsers.

This is the only module that imports the command modules; they import the context, output, progress, errors,
arguments and v2_assets modules, never this one. None of them imports httpx or the generated clients at import
time.

The current API's groups carry az ml v2's names (``job``, ``model``, ``environment``, ``online-endpoint``,
``online-deployment``, ``datastore``). The legacy v1 API's groups live under ``azureml-rest v1`` (``v1 run``,
``v1 experiment``, ``v1 service``, ``v1 score``, ``v1 model``: v1 API deprecated 2025-03-31, CLI v1 support
ended 2025-09-30). Those whose name the current API did not take are registered at the top level too, from the
same command module, for people's scripts (``run``, ``experiment``, ``service``, ``score``); their help says
they are the legacy API and names the ``v1`` spelling. ``model`` is the current API's.
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

__all__ = ["COMMAND_MODULES", "V1_COMMAND_MODULES", "V1_HELP", "V1_TOP_LEVEL_MODULES", "build_parser"]

#: In the order ``azureml-rest --help`` lists them; each has ``register(sub, common)``.
COMMAND_MODULES = (tokens, scoring, emulator, groups, workspaces, experiments, computes, runs, services, jobs,
                   model_versions, environments, datastores, online_endpoints, online_deployments)
#: The legacy v1 API's groups, at home under ``azureml-rest v1 GROUP ...``.
V1_COMMAND_MODULES = (runs, experiments, services, scoring, models)
#: Of those, the ones kept at the top level as well, for people's scripts: ``register(sub, common,
#: top_level=True)`` says in their help that they are the legacy API and names the ``v1`` spelling.
V1_TOP_LEVEL_MODULES = (scoring, experiments, runs, services)
V1_HELP = ("the legacy v1 API (deprecated 2025-03-31; CLI v1 support ended 2025-09-30): runs, experiments, web "
           "services, scoring, model management")


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
        if module in V1_TOP_LEVEL_MODULES:
            module.register(sub, common, top_level=True)
        else:
            module.register(sub, common)
    v1 = sub.add_parser("v1", help=V1_HELP, description=V1_HELP, formatter_class=HelpFormatter, epilog=EPILOG)
    v1_sub = v1.add_subparsers(dest="v1_command", metavar="COMMAND", title="commands")
    v1_sub.required = True
    for module in V1_COMMAND_MODULES:
        module.register(v1_sub, common)
    return parser
