"""``azureml-rest token``, ``score``, ``emulator`` and ``demo``."""

from __future__ import annotations

import argparse
import base64
import json
import os
from datetime import UTC, datetime
from typing import Any

from ._app import EXIT_ERROR, Context, UsageError, add_command


def _jwt_claims(token: str) -> dict[str, Any]:
    """The (unverified) claims of a JWT, for display only; {} when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _token(ctx: Context) -> Any:
    from ..clouds import resource_to_scope, scope_to_resource

    cloud = ctx.cloud()
    scope = resource_to_scope(ctx.args.resource) if ctx.args.resource else cloud.arm_scope
    cred = ctx.credential()
    try:
        tok = cred.get_token(scope)
    finally:
        close = getattr(cred, "close", None)
        if callable(close):
            close()
    claims = _jwt_claims(tok.token)
    result: dict[str, Any] = {
        "tokenType": "Bearer",
        "audience": claims.get("aud") or scope_to_resource(scope),
        "expiresOn": int(tok.expires_on),
        "expiresOnUtc": datetime.fromtimestamp(int(tok.expires_on), UTC).isoformat(),
        "tenant": claims.get("tid") or getattr(cred, "tenant_id", None),
        "clientId": claims.get("appid") or claims.get("azp") or getattr(cred, "client_id", None),
        "authority": getattr(cred, "authority_host", None),
    }
    if ctx.args.show_secret:
        result["accessToken"] = tok.token
    return result


def _load_data(spec: str) -> Any:
    if spec.startswith("@"):
        path = spec[1:]
        if not os.path.isfile(path):
            raise UsageError(f"--data file {path!r} does not exist")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    else:
        text = spec
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--data is not JSON: {exc}") from None


def fixed_key_scoring(scoring_uri: str, key: str, http: Any) -> Any:
    """A :class:`~azureml_rest.operations.scoring.ScoringClient` for ``scoring_uri`` with one fixed key.

    Built from the library's pieces (build_client + KeyAuth.from_key); the library has no such constructor yet.
    """
    from ..auth import KeyAuth
    from ..pipeline import build_client
    from ..operations.scoring import ScoringClient, scoring_base_url

    client = build_client(scoring_base_url(scoring_uri), auth=KeyAuth.from_key(key), config=http)
    return ScoringClient(scoring_uri, client)


def _score(ctx: Context) -> Any:
    a = ctx.args
    data = _load_data(a.data)
    if a.scoring_uri:
        if not a.key:
            raise UsageError("--scoring-uri needs --key (or use --service with -g and -w)")
        with fixed_key_scoring(a.scoring_uri, a.key, ctx.http_config()) as client:
            return client.score(data)
    if not a.service:
        raise UsageError("score needs --service (with -g and -w), or --scoring-uri and --key")
    return ctx.workspace().scoring(a.service).score(data)


def _emulator(ctx: Context) -> int:
    import importlib

    try:
        cli = importlib.import_module("azureml_emulator.cli")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("azureml_emulator", "uvicorn", "starlette", "multipart",
                                                    "python_multipart", "trustme"):
            ctx.err.write(f"error: the emulator is not installed ({exc.name} is missing). "
                          "Hint: pip install 'azureml-rest[emulator]'\n")
            return EXIT_ERROR
        raise
    try:
        return int(cli.main(list(ctx.args._extra)) or 0)
    except SystemExit as exc:  # its --help / usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR


def _demo(ctx: Context) -> int:
    from ..demo.walkthrough import run_from_cli

    return run_from_cli(ctx)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = add_command(sub, "token", _token, "get a token and print its metadata (the token only with --show-secret)",
                    common)
    p.add_argument("--resource", metavar="URL",
                   help="token audience (default: the cloud's ARM resource, https://management.azure.com/)")
    p.add_argument("--show-secret", action="store_true", help="also print the access token itself")

    p = add_command(sub, "score", _score, "score a deployed service with its key (the article's {\"data\": [...]})",
                    common)
    p.add_argument("--data", required=True, metavar="JSON|@FILE", help='the request, e.g. \'{"data": [[1, 2]]}\'')
    p.add_argument("--service", metavar="SERVICE_ID", help="service id or name (keys fetched with -g/-w)")
    p.add_argument("--scoring-uri", metavar="URL", help="score this URI directly (with --key)")
    p.add_argument("--key", help="the service key for --scoring-uri")

    p = sub.add_parser("emulator", add_help=False, help="run the local emulator (azureml-emulator; --help for its "
                       "options); needs azureml-rest[emulator]",
                       description="Runs azureml_emulator.cli.main with the remaining arguments.")
    p.set_defaults(_handler=_emulator, _columns=(), _returns_status=True, _passthrough=True)

    from ..demo import register_arguments

    p = add_command(sub, "demo", _demo, "the article's walkthrough end to end (embedded emulator by default)",
                    common)
    register_arguments(p)
    p.set_defaults(_returns_status=True)
