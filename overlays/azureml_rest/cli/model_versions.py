"""``azureml-rest model create|show|list|archive`` (current API, az ml v2's ``model`` commands; the legacy model
management commands are ``azureml-rest v1 model``)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, parse_pairs
from .context import Context
from .errors import UsageError
from .output import Column
from .v2_assets import create_model, load_spec, note_ignored

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "id", lambda v: str(v).split("/models/", 1)[-1].split("/", 1)[0]),
    Column("Version", "name"),
    Column("Type", "properties.modelType"),
    Column("Uri", "properties.modelUri"),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().model_versions


def _create(ctx: Context) -> Any:
    from dataclasses import replace
    from pathlib import Path

    from azureml_rest.yaml_specs import ModelSpec, load_model
    from azureml_rest.yaml_specs.document import is_uri

    a = ctx.args
    if a.file:
        spec = load_spec(load_model, a.file, a.set)
        note_ignored(ctx, spec.ignored)
    elif a.name and a.path:
        path: Path | str = a.path if is_uri(a.path) else Path(a.path).resolve()
        spec = ModelSpec(name=a.name, version=None, path=path)
    else:
        raise UsageError("model create needs --file, or --name with --path")
    if a.type:
        spec = replace(spec, type=a.type)
    if a.description:
        spec = replace(spec, description=a.description)
    tags = parse_pairs(a.tag)
    if tags:
        spec = replace(spec, tags={**spec.tags, **tags})
    return create_model(ctx, spec, name=a.name, version=a.version)


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.name, ctx.args.version)


def _list(ctx: Context) -> Any:
    if ctx.args.name:
        return list(_ops(ctx).list(ctx.args.name))
    return list(_ops(ctx).list_containers())


def _archive(ctx: Context) -> Any:
    return _ops(ctx).archive(ctx.args.name, ctx.args.version)


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "model", "models of the current API, az ml v2's `model` (needs -g and -w; the legacy "
                  "model management commands are `v1 model`)")
    p = add_command(g, "create", _create, "register a model version from an az ml YAML file or --name/--path",
                    common, columns=COLUMNS)
    p.add_argument("--file", "-f", metavar="YAML", help="a model file (name, version, path, type)")
    p.add_argument("--name", "-n", help="the model's name (with --path, or to override the file's)")
    p.add_argument("--version", "-v", help="the version (default: the file's, else one more than the latest)")
    p.add_argument("--path", "-p", help="a local file or folder (uploaded), or a URI such as "
                   "azureml://jobs/JOB/outputs/artifacts/paths/model/")
    p.add_argument("--type", "-t", help="custom_model (default), mlflow_model or triton_model")
    p.add_argument("--description", "-d")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="a tag (repeatable)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field of the file")
    p = add_command(g, "show", _show, "show one model version", common, columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
    p.add_argument("--version", "-v", required=True)
    p = add_command(g, "list", _list, "list models, or the versions of one (--name)", common)
    p.add_argument("--name", "-n", help="list this model's versions")
    p = add_command(g, "archive", _archive, "archive a model version", common, columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
    p.add_argument("--version", "-v", required=True)
