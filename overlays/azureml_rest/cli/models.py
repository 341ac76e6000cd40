"""``azureml-rest v1 model list|register|show|delete`` (legacy model management; ``model`` is the current API's)."""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, parse_pairs
from .context import Context
from .errors import UsageError
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Id", "id"),
    Column("Name", "name"),
    Column("Version", "version"),
    Column("RunId", "runId"),
    Column("Url", "url"),
)


def _list(ctx: Context) -> Any:
    return list(ctx.workspace().v1.models.list(name=ctx.args.name, run_id=ctx.args.run_id))


def _register(ctx: Context) -> Any:
    a = ctx.args
    models = ctx.workspace().v1.models
    tags = parse_pairs(a.tag)
    if a.url:
        return models.register(a.name, a.url, mime_type=a.mime_type, run_id=a.run_id,
                               experiment_name=a.experiment, description=a.description, tags=tags)
    if not (a.run_id and a.experiment and a.path):
        raise UsageError("model register needs --url, or --run-id with --experiment and --path")
    return models.register_from_run(a.experiment, a.run_id, a.path, a.name, mime_type=a.mime_type,
                                    description=a.description, tags=tags)


def _show(ctx: Context) -> Any:
    return ctx.workspace().v1.models.get(ctx.args.model_id)


def _delete(ctx: Context) -> Any:
    deleted = ctx.workspace().v1.models.delete(ctx.args.model_id)
    return {"id": ctx.args.model_id, "deleted": bool(deleted) if deleted is not None else True}


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "model", "registered models of the legacy model management service (needs -g and -w)")
    p = add_command(g, "list", _list, "list models", common, columns=COLUMNS)
    p.add_argument("--name", help="only models with this name")
    p.add_argument("--run-id", help="only models registered from this run")
    p = add_command(g, "register", _register, "register a model (from a URL or a run's outputs)", common,
                    columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
    p.add_argument("--url", help="model location, e.g. aml://artifact/ExperimentRun/dcid.RUN/outputs/model.json")
    p.add_argument("--run-id", help="the run whose output holds the model")
    p.add_argument("--experiment", "-e", help="the run's experiment")
    p.add_argument("--path", help="artifact path in the run, e.g. outputs/model.json")
    p.add_argument("--mime-type", default="application/json", help="default application/json")
    p.add_argument("--description")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="a tag (repeatable)")
    for verb, fn, text in (("show", _show, "show one model"), ("delete", _delete, "delete a model")):
        p = add_command(g, verb, fn, text, common, columns=COLUMNS)
        p.add_argument("model_id", metavar="MODEL_ID", help="the model id (name:version)")
