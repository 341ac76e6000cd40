"""``azureml-rest environment create|show|list`` (current API, az ml v2's ``environment`` commands)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group
from .context import Context
from .output import Column
from .v2_assets import create_environment, load_spec, note_ignored

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "id", lambda v: str(v).split("/environments/", 1)[-1].split("/", 1)[0]),
    Column("Version", "name"),
    Column("Image", "properties.image"),
    Column("Created", "systemData.createdAt"),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().environments


def _create(ctx: Context) -> Any:
    from azureml_rest.yaml_specs import load_environment

    a = ctx.args
    spec = load_spec(load_environment, a.file, a.set)
    note_ignored(ctx, spec.ignored)
    if not (a.name or spec.name):
        from .errors import UsageError

        raise UsageError(f"{a.file}: the environment needs a name (name: in the file, or --name)")
    return create_environment(ctx, spec, name=a.name, version=a.version)


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.name, ctx.args.version)


def _list(ctx: Context) -> Any:
    if ctx.args.name:
        return list(_ops(ctx).list(ctx.args.name))
    return list(_ops(ctx).list_containers())


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "environment", "environments of the current API, az ml v2's `environment` (needs -g and -w)")
    p = add_command(g, "create", _create, "create an environment version from an az ml YAML file", common,
                    columns=COLUMNS)
    p.add_argument("--file", "-f", required=True, metavar="YAML", help="an environment file (image, conda_file)")
    p.add_argument("--name", "-n", help="the environment's name (default: the file's)")
    p.add_argument("--version", "-v", help="the version (default: the file's, else one more than the latest)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field, e.g. image=python:3.11")
    p = add_command(g, "show", _show, "show one environment version", common, columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
    p.add_argument("--version", "-v", required=True)
    p = add_command(g, "list", _list, "list environments, or the versions of one (--name)", common)
    p.add_argument("--name", "-n", help="list this environment's versions")
