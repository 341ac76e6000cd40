"""``azureml-rest v1 experiment list`` (run history, legacy v1 API: deprecated 2025-03-31; also ``azureml-rest
experiment list`` for existing scripts)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, legacy_help
from .context import Context
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("Id", "experimentId"),
    Column("Created", "createdUtc"),
    Column("LatestRun", "latestCreatedRunId"),
)


def _list(ctx: Context) -> Any:
    return list(ctx.workspace().v1.experiments.list())


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser, *,
             top_level: bool = False) -> None:
    """Under ``azureml-rest v1``; ``top_level``: also at the top level, its help saying it is legacy."""
    g = add_group(sub, "experiment", legacy_help("experiment", "experiments of a workspace (needs -g and -w)",
                                                top_level=top_level))
    add_command(g, "list", _list, "list experiments", common, columns=COLUMNS)
