"""Scoring an online endpoint: ``POST {base}/online/{endpoint}/score`` (the endpoint's ``scoringUri``).

What the service does and the emulator repeats (Microsoft Learn, "Troubleshooting online endpoints deployment and
scoring", HTTP status codes; "Safe rollout for online endpoints", the ``azureml-model-deployment`` header):

- auth by the endpoint's ``authMode`` (``v2/endpoints_auth.py``): 401 otherwise;
- routing: the ``azureml-model-deployment`` header picks a deployment (even one with 0 traffic); without it a
  deployment is drawn by the ``traffic`` weights; 404 when no deployment has traffic (or the header names none);
- the chosen deployment's worker runs ``run(raw_data)`` with the body; its answer is returned as JSON with the
  ``azureml-model-deployment`` response header naming the deployment; a script exception is 424 (the model
  container failed) with ``ms-azureml-model-error-statuscode``/``ms-azureml-model-error-reason``, a ``run()``
  that takes too long 408, a dead worker 502, a deployment not ready yet 503 with ``Retry-After``.

Errors are small JSON objects ``{"message": ...}`` (no fixed shape, as for v1 scoring). Requests are not ARM:
the middleware does no bearer check here (``/online/...`` is a public route kind); keys and tokens are checked
above and never echoed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..context import Context
from ..dataplane.deploy import DeployError, ScoreError
from ..dataplane.scoring import read_score_body, scoring_message
from . import endpoints_auth
from .deployments_runtime import runtime_of
from .endpoints_records import DEP_KIND, find_by_name
from .job_data import DataProblem

DEPLOYMENT_HEADER = "azureml-model-deployment"
_rng = random.SystemRandom()


def pick(traffic: Mapping[str, int], deployments: Mapping[str, Mapping[str, Any]], asked: str | None) -> str | None:
    """The deployment (lower-cased name) a request goes to: ``asked`` if the endpoint has it, else one drawn by
    ``traffic`` weight among deployments that exist; None when there is none."""
    if asked is not None:
        low = asked.strip().lower()
        return low if low in deployments else None
    weighted = [(n.lower(), w) for n, w in traffic.items() if w > 0 and n.lower() in deployments]
    if not weighted:
        return None
    names, weights = zip(*weighted, strict=True)
    return str(_rng.choices(names, weights=weights, k=1)[0])


def routes(ctx: Context) -> list[BaseRoute]:
    """The scoring route of every online endpoint."""
    runtime = runtime_of(ctx)

    async def score(request: Request) -> Response:
        ctx.counters["scoring"] += 1
        found = find_by_name(ctx, request.path_params["endpoint"])
        if found is None or (found[1].get("properties") or {}).get("provisioningState") == "Deleting":
            return scoring_message(404, "No online endpoint of that name is served here.")
        key, doc = found
        refused = endpoint_auth_problem(key, doc, request)
        if refused is not None:
            return scoring_message(401, f"Unauthorized: {refused}",
                                   **{"WWW-Authenticate": 'Bearer realm="online-endpoint"'})
        deployments = {str(d["name"]).lower(): d for d in ctx.store.scan(DEP_KIND, key + "/")}
        chosen = pick(
            (doc.get("properties") or {}).get("traffic") or {}, deployments, request.headers.get(DEPLOYMENT_HEADER)
        )
        if chosen is None:
            return scoring_message(
                404,
                "No valid deployments to route to. Give a deployment traffic, or name one in the "
                f"'{DEPLOYMENT_HEADER}' header.",
            )
        dep = deployments[chosen]
        dep_key = f"{key}/{dep['name']}"
        state = (dep.get("properties") or {}).get("provisioningState")
        if state != "Succeeded":
            return scoring_message(
                503, f"The deployment '{dep['name']}' is not ready (provisioningState {state}).", **{"Retry-After": "1"}
            )
        try:
            worker = await run_in_threadpool(runtime.ensure_worker, dep_key)
        except (DeployError, DataProblem) as exc:
            return scoring_message(502, f"The deployment '{dep['name']}' could not be started: {exc}")
        if worker is None:
            return scoring_message(
                503, f"The deployment '{dep['name']}' has no running scoring worker.", **{"Retry-After": "1"}
            )
        raw = await read_score_body(request)
        if isinstance(raw, Response):
            return raw
        named = {DEPLOYMENT_HEADER: str(dep["name"])}
        try:
            result = await run_in_threadpool(worker.score, raw)
        except ScoreError as exc:
            if exc.status == 500:
                return scoring_message(
                    424,
                    f"The scoring script failed: {exc.message}",
                    **named,
                    **{"ms-azureml-model-error-statuscode": "500", "ms-azureml-model-error-reason": "model_error"},
                )
            return scoring_message(408 if exc.status == 504 else exc.status, exc.message, **named)
        return Response(result, media_type="application/json", headers=named)

    def endpoint_auth_problem(key: str, doc: Mapping[str, Any], request: Request) -> str | None:
        return endpoints_auth.check(ctx, key, doc, request.headers.get("authorization"))

    return [Route("/online/{endpoint}/score", score, methods=["POST"])]
