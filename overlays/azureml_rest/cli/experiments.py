"""``azureml-rest experiment list`` (run history)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group
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
    return list(ctx.workspace().experiments.list())


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "experiment", "experiments of a workspace (needs -g and -w)")
    add_command(g, "list", _list, "list experiments", common, columns=COLUMNS)
