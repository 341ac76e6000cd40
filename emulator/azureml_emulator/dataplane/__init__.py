"""The emulator's data plane: run history (experiments by name or id, artifacts, metric ingestion), project
content (snapshots), execution (really running projects), model management (models, assets), deployments and
scoring, plus the signed blob URLs of run logs and artifacts.

Entry points for the app (:mod:`azureml_emulator.app`): :func:`routes`, :func:`on_startup`, :func:`on_shutdown`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..context import Context
from . import artifacts, assets, content, execution, experiment_ids, history, metrics_ingest, models, scoring, services
from .blobs import blob_response
from .state import drop_state, state_of

__all__ = ["on_shutdown", "on_startup", "routes"]


def routes(ctx: Context) -> list[BaseRoute]:
    """Every data-plane route, bound to ``ctx``."""
    dp = state_of(ctx)

    async def blob(request: Request) -> Response:
        return blob_response(ctx, dp.signer, request)

    return [
        *history.routes(dp),
        *content.routes(dp),
        *artifacts.routes(dp),
        *metrics_ingest.routes(dp),
        *experiment_ids.routes(dp),
        *execution.routes(dp),
        *models.routes(dp),
        *assets.routes(dp),
        *services.routes(dp),
        *scoring.routes(dp),
        Route("/_emulator/blobs/{key:path}", blob, methods=["GET", "HEAD"]),
    ]


def on_startup(ctx: Context) -> None:
    """Fail runs and deployments an earlier process left unfinished; redeploy Healthy services."""
    dp = state_of(ctx)
    dp.runs.recover()
    dp.services.recover()


def on_shutdown(ctx: Context) -> None:
    """Kill run processes and scoring workers."""
    dp = state_of(ctx)
    dp.runs.shutdown()
    dp.services.shutdown()
    drop_state(ctx)
