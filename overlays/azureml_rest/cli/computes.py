"""``azureml-rest compute list|show|create|delete`` (ARM compute targets of a workspace)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options
from .context import Context, finish
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("Type", "properties.computeType"),
    Column("State", "properties.provisioningState"),
    Column("VmSize", "properties.properties.vmSize"),
    Column("MaxNodes", "properties.properties.scaleSettings.maxNodeCount"),
    Column("Location", "location"),
)


def _list(ctx: Context) -> Any:
    return list(ctx.workspace().computes.list())


def _show(ctx: Context) -> Any:
    return ctx.workspace().computes.get(ctx.args.name)


def _create(ctx: Context) -> Any:
    a = ctx.args
    poller = ctx.workspace().computes.begin_create_or_update(
        a.name, vm_size=a.vm_size, min_nodes=a.min_nodes, max_nodes=a.max_nodes, vm_priority=a.vm_priority,
        idle_time_before_scale_down=a.idle_time, location=a.location, admin_username=a.admin_username,
        admin_password=a.admin_password,
    )
    return finish(ctx, poller, f"create compute {a.name}", {"name": a.name})


def _delete(ctx: Context) -> Any:
    a = ctx.args
    poller = ctx.workspace().computes.begin_delete(a.name, underlying_resource_action="Detach" if a.detach
                                                   else "Delete")
    return finish(ctx, poller, f"delete compute {a.name}", {"name": a.name})


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "compute", "compute targets of a workspace (needs -g and -w)")
    add_command(g, "list", _list, "list compute targets", common, columns=COLUMNS)
    p = add_command(g, "show", _show, "show one compute target", common, columns=COLUMNS)
    p.add_argument("name", metavar="NAME")
    p = add_command(g, "create", _create, "create an AmlCompute cluster (PUT, long-running)", common,
                    columns=COLUMNS)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--vm-size", default="STANDARD_D1_V2", help="default STANDARD_D1_V2")
    p.add_argument("--min-nodes", type=int, default=0, help="default 0")
    p.add_argument("--max-nodes", type=int, default=1, help="default 1")
    p.add_argument("--vm-priority", default="Dedicated", choices=("Dedicated", "LowPriority"), help="default Dedicated")
    p.add_argument("--idle-time", default="PT30M", metavar="ISO8601",
                   help="idle time before scaling down (default PT30M)")
    p.add_argument("--location", "-l", help="region (default: the workspace's)")
    p.add_argument("--admin-username", help="node admin user (optional)")
    p.add_argument("--admin-password", help="node admin password (optional; never printed)")
    add_wait_options(p)
    p = add_command(g, "delete", _delete, "delete a compute target (long-running)", common)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--detach", action="store_true", help="detach instead of deleting the underlying resource")
    add_wait_options(p)
