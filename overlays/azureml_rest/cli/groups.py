"""``azureml-rest group list|show|create|delete`` (ARM resource groups)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options, parse_pairs
from .context import Context, finish
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("Location", "location"),
    Column("State", "properties.provisioningState"),
)


def _list(ctx: Context) -> Any:
    return list(ctx.ml().resource_groups.list())


def _show(ctx: Context) -> Any:
    return ctx.ml().resource_groups.get(ctx.args.name)


def _create(ctx: Context) -> Any:
    return ctx.ml().resource_groups.create_or_update(ctx.args.name, ctx.args.location,
                                                    tags=parse_pairs(ctx.args.tag))


def _delete(ctx: Context) -> Any:
    poller = ctx.ml().resource_groups.begin_delete(ctx.args.name)
    return finish(ctx, poller, f"delete group {ctx.args.name}", {"name": ctx.args.name})


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "group", "resource groups of the subscription")
    add_command(g, "list", _list, "list resource groups", common, columns=COLUMNS)
    p = add_command(g, "show", _show, "show one resource group", common, columns=COLUMNS)
    p.add_argument("name", metavar="NAME")
    p = add_command(g, "create", _create, "create or update a resource group", common, columns=COLUMNS)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--location", "-l", required=True, help="region, e.g. eastus")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="a tag (repeatable)")
    p = add_command(g, "delete", _delete, "delete a resource group and everything in it (long-running)", common)
    p.add_argument("name", metavar="NAME")
    add_wait_options(p)
