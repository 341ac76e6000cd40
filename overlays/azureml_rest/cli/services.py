"""``azureml-rest v1 service create|list|show|keys|regenerate-key|delete`` (model management web services, legacy
v1 API: deprecated 2025-03-31; also ``azureml-rest service ...`` for existing scripts; the current API's are
``online-endpoint`` and ``online-deployment``).

``keys`` and ``regenerate-key`` print the service keys: showing them is what these commands are for.
"""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options, legacy_help
from .context import Context, finish
from .output import Column

__all__ = ["COLUMNS", "KEY_COLUMNS", "register"]

COLUMNS = (
    Column("Id", "id"),
    Column("Name", "name"),
    Column("State", "state"),
    Column("ComputeType", "computeType"),
    Column("ScoringUri", "scoringUri"),
)
KEY_COLUMNS = (Column("PrimaryKey", "primaryKey"), Column("SecondaryKey", "secondaryKey"))


def _create(ctx: Context) -> Any:
    a = ctx.args
    poller = ctx.workspace().v1.services.begin_create(
        a.name, model_ids=list(a.model or ()), driver_program=a.driver_program, assets=list(a.asset or ()),
        compute_type=a.compute_type, cpu=a.cpu, memory_gb=a.memory_gb, auth_enabled=not a.no_auth,
    )
    return finish(ctx, poller, f"create service {a.name}", {"name": a.name})


def _list(ctx: Context) -> Any:
    return list(ctx.workspace().v1.services.list())


def _show(ctx: Context) -> Any:
    return ctx.workspace().v1.services.get(ctx.args.service_id)


def _keys_doc(keys: Any) -> dict[str, Any]:
    # The service's own JSON names (listkeys answers primaryKey/secondaryKey).
    return {"primaryKey": keys.primary_key, "secondaryKey": keys.secondary_key}


def _keys(ctx: Context) -> Any:
    return _keys_doc(ctx.workspace().v1.services.keys(ctx.args.service_id))


def _regenerate(ctx: Context) -> Any:
    return _keys_doc(ctx.workspace().v1.services.regenerate_key(ctx.args.service_id, ctx.args.key))


def _delete(ctx: Context) -> Any:
    poller = ctx.workspace().v1.services.begin_delete(ctx.args.service_id)
    return finish(ctx, poller, f"delete service {ctx.args.service_id}", {"id": ctx.args.service_id})


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser, *,
             top_level: bool = False) -> None:
    """Under ``azureml-rest v1``; ``top_level``: also at the top level, its help saying it is legacy."""
    g = add_group(sub, "service", legacy_help("service", "deployed web services (needs -g and -w)",
                                             top_level=top_level))
    p = add_command(g, "create", _create, "deploy models as a web service (long-running)", common, columns=COLUMNS)
    p.add_argument("--name", "-n", required=True)
    p.add_argument("--model", action="append", metavar="MODEL_ID", help="a registered model id (repeatable)")
    p.add_argument("--driver-program", required=True, metavar="FILE",
                   help="scoring script with init() and run(raw_data), among the assets (e.g. score.py)")
    p.add_argument("--asset", action="append", metavar="URL",
                   help="asset URL, e.g. aml://artifact/ExperimentRun/dcid.RUN/outputs/score.py (repeatable)")
    p.add_argument("--compute-type", default="ACI", help="default ACI")
    p.add_argument("--cpu", type=float, default=0.1, help="CPU cores (default 0.1)")
    p.add_argument("--memory-gb", type=float, default=0.5, help="memory in GB (default 0.5)")
    p.add_argument("--no-auth", action="store_true", help="deploy without key authentication")
    add_wait_options(p)
    add_command(g, "list", _list, "list services", common, columns=COLUMNS)
    for verb, fn, text, cols in (("show", _show, "show one service", COLUMNS),
                                 ("keys", _keys, "print the service's keys", KEY_COLUMNS),
                                 ("delete", _delete, "delete a service (long-running)", COLUMNS)):
        p = add_command(g, verb, fn, text, common, columns=cols)
        p.add_argument("service_id", metavar="SERVICE_ID", help="the service id (or name)")
        if verb == "delete":
            add_wait_options(p)
    p = add_command(g, "regenerate-key", _regenerate, "rotate a key (regenerateKeys) and print the keys", common,
                    columns=KEY_COLUMNS)
    p.add_argument("service_id", metavar="SERVICE_ID", help="the service id (or name)")
    p.add_argument("--key", choices=("Primary", "Secondary"), default="Primary", help="which key (default Primary)")
