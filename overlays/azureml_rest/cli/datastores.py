"""``azureml-rest datastore list|show`` (current API, az ml v2's ``datastore`` commands); secrets never shown."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group
from .context import Context
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("Type", "properties.datastoreType"),
    Column("Account", "properties.accountName"),
    Column("Container", "properties.containerName"),
    Column("Default", "properties.isDefault"),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().datastores


def _list(ctx: Context) -> Any:
    return list(_ops(ctx).list())


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.name)


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "datastore", "datastores of the current API, az ml v2's `datastore` (needs -g and -w)")
    add_command(g, "list", _list, "list the workspace's datastores", common, columns=COLUMNS)
    p = add_command(g, "show", _show, "show one datastore (credentials are never shown)", common, columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
