"""``azureml-rest online-endpoint create|show|list|update|delete|get-credentials|invoke`` (current API, az ml v2's
``online-endpoint`` commands). ``get-credentials`` prints the keys (or token) it exists to show; nothing else
does."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .arguments import SubParsers, add_command, add_group, add_wait_options, parse_pairs
from .context import Context, finish
from .errors import UsageError
from .output import Column
from .v2_assets import load_spec, note_ignored

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("State", "properties.provisioningState"),
    Column("AuthMode", "properties.authMode"),
    Column("Traffic", "properties.traffic"),
    Column("ScoringUri", "properties.scoringUri"),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().online_endpoints


def _create(ctx: Context) -> Any:
    from azureml_rest.yaml_specs import OnlineEndpointSpec, load_online_endpoint
    from azureml_rest.yaml_specs.specs import AUTH_MODES

    a = ctx.args
    if a.file:
        spec = load_spec(load_online_endpoint, a.file, a.set)
        note_ignored(ctx, spec.ignored)
    elif a.name:
        spec = OnlineEndpointSpec(name=a.name)
    else:
        raise UsageError("online-endpoint create needs --file or --name")
    kwargs = spec.create_kwargs()
    if a.auth_mode:
        kwargs["auth_mode"] = AUTH_MODES[a.auth_mode]
    name = a.name or spec.name
    poller = _ops(ctx).begin_create_or_update(name, **kwargs)
    return finish(ctx, poller, f"create endpoint {name}", {"name": name})


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.name)


def _list(ctx: Context) -> Any:
    return list(_ops(ctx).list())


def _update(ctx: Context) -> Any:
    a = ctx.args
    ops = _ops(ctx)
    traffic = parse_pairs(a.traffic, "--traffic")
    tags = parse_pairs(a.tag)
    if not traffic and not tags:
        raise UsageError("online-endpoint update needs --traffic or --tag")
    result: Any = None
    if tags:
        result = finish(ctx, ops.begin_update(a.name, tags=tags), f"update endpoint {a.name}", {"name": a.name})
    if traffic:
        try:
            weights = {k: int(v) for k, v in traffic.items()}
        except ValueError:
            raise UsageError("--traffic expects DEPLOYMENT=PERCENT") from None
        result = finish(ctx, ops.begin_set_traffic(a.name, weights), f"set traffic of {a.name}", {"name": a.name})
    return result


def _delete(ctx: Context) -> Any:
    name = ctx.args.name
    finish(ctx, _ops(ctx).begin_delete(name), f"delete endpoint {name}", {"name": name})
    return None


def _scoring_auth(endpoint: Any) -> str:
    """How the endpoint's callers authenticate, as the library's scoring names it: ``key`` or ``token``."""
    mode = str((endpoint.to_dict().get("properties") or {}).get("authMode") or "Key")
    return "key" if mode.lower() == "key" else "token"


def _credentials(ctx: Context) -> Any:
    ops = _ops(ctx)
    if _scoring_auth(ops.get(ctx.args.name)) == "key":
        keys = ops.keys(ctx.args.name)
        return {"primaryKey": keys.primary_key, "secondaryKey": keys.secondary_key}
    token = ops.token(ctx.args.name)
    return {"accessToken": token.access_token, "tokenType": token.token_type, "expiryTimeUtc": token.expiry_on,
            "refreshAfterTimeUtc": token.refresh_after}


def _invoke(ctx: Context) -> Any:
    a = ctx.args
    try:
        with open(a.request_file, encoding="utf-8") as fh:
            payload = json.load(fh)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--request-file {a.request_file}: not JSON ({exc.msg}, line {exc.lineno})") from None
    from azureml_rest.operations.online_endpoints import OnlineScoringClient

    ops = _ops(ctx)
    endpoint = ops.get(a.name)  # read once: its auth mode and scoring URI
    with OnlineScoringClient.for_endpoint(ops, endpoint, auth=_scoring_auth(endpoint),
                                          deployment=a.deployment_name) as client:
        return client.score(payload)


def _name(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--name", "-n", required=required, help="the endpoint's name")


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "online-endpoint", "managed online endpoints, az ml v2's `online-endpoint` (needs -g and -w)")
    p = add_command(g, "create", _create, "create (or replace) an endpoint from an az ml YAML file", common,
                    columns=COLUMNS)
    p.add_argument("--file", "-f", metavar="YAML", help="a managedOnlineEndpoint file")
    _name(p, required=False)
    # The keys of yaml_specs.specs.AUTH_MODES, spelled out: importing it (and PyYAML) would slow every --help;
    # tests/cli/test_parser.py checks the two agree.
    p.add_argument("--auth-mode", choices=("key", "aml_token", "aad_token"), help="override the file's auth_mode")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field of the file")
    add_wait_options(p)
    p = add_command(g, "show", _show, "show one endpoint", common, columns=COLUMNS)
    _name(p)
    add_command(g, "list", _list, "list the workspace's endpoints", common, columns=COLUMNS)
    p = add_command(g, "update", _update, "set traffic weights or tags", common, columns=COLUMNS)
    _name(p)
    p.add_argument("--traffic", action="append", metavar="DEPLOYMENT=PERCENT", help="a traffic weight (repeatable)")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="a tag (repeatable)")
    add_wait_options(p)
    p = add_command(g, "delete", _delete, "delete an endpoint and its deployments", common)
    _name(p)
    p.add_argument("--yes", "-y", action="store_true", help="accepted for az ml compatibility (never prompts)")
    add_wait_options(p)
    p = add_command(g, "get-credentials", _credentials, "print the endpoint's keys (or its AML token)", common)
    _name(p)
    p = add_command(g, "invoke", _invoke, "score: POST a JSON request file to the endpoint", common)
    _name(p)
    p.add_argument("--request-file", "-r", required=True, metavar="FILE", help="the JSON request body")
    p.add_argument("--deployment-name", "-d", help="send to this deployment regardless of traffic")
