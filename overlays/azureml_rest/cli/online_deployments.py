"""``azureml-rest online-deployment create|show|list|update|get-logs|delete`` (current API, az ml v2's
``online-deployment`` commands). ``create -f`` registers what the file describes inline first (model,
environment, code folder), then creates the deployment; ``--all-traffic`` then sends the endpoint's traffic to
it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options
from .context import Context, finish
from .output import Column
from .v2_assets import asset_id, create_environment, create_model, load_spec, note_ignored, upload_code

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("State", "properties.provisioningState"),
    Column("InstanceType", "properties.instanceType"),
    Column("Instances", "sku.capacity"),
    Column("Model", "properties.model", lambda v: "/".join(str(v).split("/")[-3::2])),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().online_deployments


def _create(ctx: Context) -> Any:
    from azureml_rest.yaml_specs import load_online_deployment

    a = ctx.args
    spec = load_spec(load_online_deployment, a.file, a.set)
    note_ignored(ctx, spec.ignored)
    endpoint, name = a.endpoint_name or spec.endpoint_name, a.name or spec.name
    if isinstance(spec.model, str):
        model = asset_id(ctx, "models", spec.model)
    else:
        note_ignored(ctx, spec.model.ignored)
        model = str(create_model(ctx, spec.model, default_name=f"{endpoint}-{name}-model").id)
    environment = None
    if isinstance(spec.environment, str):
        environment = asset_id(ctx, "environments", spec.environment)
    elif spec.environment is not None:
        note_ignored(ctx, spec.environment.ignored)
        environment = str(create_environment(ctx, spec.environment).id)
    code = None
    if isinstance(spec.code, Path):
        code = upload_code(ctx, spec.code)
    elif spec.code is not None:
        code = asset_id(ctx, "codes", spec.code)
    poller = _ops(ctx).begin_create_or_update(
        endpoint, name, model=model, code=code, scoring_script=spec.scoring_script if code else None,
        environment=environment, instance_type=spec.instance_type, instance_count=spec.instance_count,
        environment_variables=spec.environment_variables or None, description=spec.description,
        tags=spec.tags or None)
    result = finish(ctx, poller, f"create deployment {endpoint}/{name}", {"name": name, "endpoint": endpoint})
    if a.all_traffic and not a.no_wait:
        traffic = ctx.workspace().online_endpoints.begin_set_traffic(endpoint, {name: 100})
        finish(ctx, traffic, f"all traffic of {endpoint} to {name}", {"name": endpoint})
    return result


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.endpoint_name, ctx.args.name)


def _list(ctx: Context) -> Any:
    return list(_ops(ctx).list(ctx.args.endpoint_name))


def _update(ctx: Context) -> Any:
    a = ctx.args
    poller = _ops(ctx).begin_update(a.endpoint_name, a.name, instance_count=a.instance_count)
    return finish(ctx, poller, f"update deployment {a.endpoint_name}/{a.name}", {"name": a.name})


def _logs(ctx: Context) -> Any:
    a = ctx.args
    container = {"inference-server": "InferenceServer", "storage-initializer": "StorageInitializer"}[a.container_type]
    text = _ops(ctx).logs(a.endpoint_name, a.name, container_type=container, tail=a.lines)
    ctx.out.write(text if not text or text.endswith("\n") else text + "\n")
    return None


def _delete(ctx: Context) -> Any:
    a = ctx.args
    finish(ctx, _ops(ctx).begin_delete(a.endpoint_name, a.name), f"delete deployment {a.endpoint_name}/{a.name}",
           {"name": a.name})
    return None


def _names(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", "-n", required=True, help="the deployment's name")
    p.add_argument("--endpoint-name", "-e", required=True, help="its endpoint")


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "online-deployment", "managed online deployments, az ml v2's `online-deployment` (needs -g "
                  "and -w)")
    p = add_command(g, "create", _create, "create (or replace) a deployment from an az ml YAML file", common,
                    columns=COLUMNS)
    p.add_argument("--file", "-f", required=True, metavar="YAML", help="a managedOnlineDeployment file")
    p.add_argument("--name", "-n", help="the deployment's name (default: the file's)")
    p.add_argument("--endpoint-name", "-e", help="its endpoint (default: the file's endpoint_name)")
    p.add_argument("--all-traffic", action="store_true", help="then send all of the endpoint's traffic to it")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field, e.g. instance_count=2")
    add_wait_options(p)
    p = add_command(g, "show", _show, "show one deployment", common, columns=COLUMNS)
    _names(p)
    p = add_command(g, "list", _list, "list an endpoint's deployments", common, columns=COLUMNS)
    p.add_argument("--endpoint-name", "-e", required=True)
    p = add_command(g, "update", _update, "change the instance count", common, columns=COLUMNS)
    _names(p)
    p.add_argument("--instance-count", type=int, required=True, metavar="N")
    add_wait_options(p)
    p = add_command(g, "get-logs", _logs, "print a container's log", common)
    _names(p)
    p.add_argument("--lines", "-l", type=int, metavar="N", help="the last N lines only")
    p.add_argument("--container-type", "-c", choices=("inference-server", "storage-initializer"),
                   default="inference-server", help="which container's log")
    p = add_command(g, "delete", _delete, "delete a deployment (take its traffic away first)", common)
    _names(p)
    p.add_argument("--yes", "-y", action="store_true", help="accepted for az ml compatibility (never prompts)")
    add_wait_options(p)
