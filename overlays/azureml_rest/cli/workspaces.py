"""``azureml-rest workspace list|show|create|delete`` (ARM workspaces) and ``discovery``."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options
from .context import Context, finish
from .errors import UsageError
from .output import Column

__all__ = ["COLUMNS", "arm_resource_group", "register"]


def arm_resource_group(arm_id: Any) -> Any:
    """The resource group named in an ARM id (``/subscriptions/s/resourceGroups/RG/...``), else the value."""
    if isinstance(arm_id, str):
        parts = arm_id.split("/")
        for i, part in enumerate(parts[:-1]):
            if part.lower() == "resourcegroups":
                return parts[i + 1]
    return arm_id


COLUMNS = (
    Column("Name", "name"),
    Column("Location", "location"),
    Column("ResourceGroup", "id", arm_resource_group),
    Column("State", "properties.provisioningState"),
    Column("DiscoveryUrl", "properties.discoveryUrl"),
)


def _name(ctx: Context) -> str:
    name = getattr(ctx.args, "name", None)
    return str(name) if name else ctx.workspace_name()


def _list(ctx: Context) -> Any:
    return list(ctx.ml().workspaces.list(resource_group=ctx.resource_group_or_none()))


def _show(ctx: Context) -> Any:
    return ctx.ml().workspaces.get(ctx.resource_group(), _name(ctx))


def _create(ctx: Context) -> Any:
    a = ctx.args
    rg = ctx.resource_group()
    name = _name(ctx)
    missing = [f for f, v in (("--storage-account", a.storage_account), ("--key-vault", a.key_vault),
                              ("--application-insights", a.application_insights)) if not v]
    if missing:
        raise UsageError(f"a workspace needs its dependent resources: missing {', '.join(missing)} (ARM ids)")
    poller = ctx.ml().workspaces.begin_create_or_update(
        rg, name, location=a.location, storage_account=a.storage_account, key_vault=a.key_vault,
        application_insights=a.application_insights, container_registry=a.container_registry,
        friendly_name=a.friendly_name, description=a.description, sku=a.sku,
    )
    return finish(ctx, poller, f"create workspace {name}", {"name": name})


def _delete(ctx: Context) -> Any:
    name = _name(ctx)
    poller = ctx.ml().workspaces.begin_delete(ctx.resource_group(), name)
    return finish(ctx, poller, f"delete workspace {name}", {"name": name})


def _discovery(ctx: Context) -> Any:
    return ctx.workspace().discovery()


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "workspace", "Azure ML workspaces (ARM)")
    add_command(g, "list", _list, "list workspaces (of -g, else of the subscription)", common, columns=COLUMNS)
    for verb, fn, text in (("show", _show, "show one workspace"),
                           ("delete", _delete, "delete a workspace (long-running)")):
        p = add_command(g, verb, fn, text, common, columns=COLUMNS)
        p.add_argument("--name", "-n", help="workspace name (default: --workspace/-w)")
        if verb == "delete":
            add_wait_options(p)
    p = add_command(g, "create", _create, "create a workspace (long-running; needs its four dependent resources)",
                    common, columns=COLUMNS)
    p.add_argument("--name", "-n", help="workspace name (default: --workspace/-w)")
    p.add_argument("--location", "-l", required=True, help="region, e.g. eastus")
    p.add_argument("--storage-account", metavar="ARM_ID", help="storage account resource id (required)")
    p.add_argument("--key-vault", metavar="ARM_ID", help="key vault resource id (required)")
    p.add_argument("--application-insights", metavar="ARM_ID", help="Application Insights resource id (required)")
    p.add_argument("--container-registry", metavar="ARM_ID", help="container registry resource id (optional)")
    p.add_argument("--friendly-name")
    p.add_argument("--description")
    p.add_argument("--sku", default="Basic", help="default Basic")
    add_wait_options(p)
    add_command(sub, "discovery", _discovery,
                "the workspace's service endpoint map (GET its discoveryUrl; needs -g and -w)", common)
