"""``azureml-rest v1 score``: score a deployed service with its key (the article's ``{"data": [...]}``; legacy v1
API: deprecated 2025-03-31; also ``azureml-rest score`` for existing scripts; the current API's is
``online-endpoint invoke``)."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from .arguments import SubParsers, add_command, legacy_help
from .context import Context
from .errors import UsageError

__all__ = ["register"]


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


def _score(ctx: Context) -> Any:
    a = ctx.args
    data = _load_data(a.data)
    if a.scoring_uri:
        if not a.key:
            raise UsageError("--scoring-uri needs --key (or use --service with -g and -w)")
        from azureml_rest import ScoringClient

        # A known scoringUri with one fixed key: no key look-up, no rotation.
        with ScoringClient.from_uri(a.scoring_uri, key=a.key, http=ctx.http_config()) as client:
            return client.score(data)
    if not a.service:
        raise UsageError("score needs --service (with -g and -w), or --scoring-uri and --key")
    return ctx.workspace().v1.scoring(a.service).score(data)


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser, *,
             top_level: bool = False) -> None:
    """Under ``azureml-rest v1``; ``top_level``: also at the top level, its help saying it is legacy."""
    text = legacy_help("score", "score a deployed service with its key (the article's {\"data\": [...]})",
                       top_level=top_level)
    p = add_command(sub, "score", _score, text, common)
    p.add_argument("--data", required=True, metavar="JSON|@FILE", help='the request, e.g. \'{"data": [[1, 2]]}\'')
    p.add_argument("--service", metavar="SERVICE_ID", help="service id or name (keys fetched with -g/-w)")
    p.add_argument("--scoring-uri", metavar="URL", help="score this URI directly (with --key)")
    p.add_argument("--key", help="the service key for --scoring-uri")
