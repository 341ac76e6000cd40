"""``GET P/experiments/{experimentName}/runs/{runId}/metricsingest/wait``: 200 ``{}``.

azureml-core waits on this after every flush of a run's metrics (azureml/_restclient/run_client.py
``wait_for_metrics_ingest``; route template in azureml/_restclient/operations/run_metric_operations.py
``wait_on_ingest``), accepting 200 (done) or 202 + polling. The emulator's metric service (``/metric/v2.0``,
azureml_emulator/v2/run_history.py) stores values when ``batch`` answers, so ingestion is always done.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from . import records
from .common import BadRequest, ci_route
from .handlers import ws_endpoint
from .state import DataPlane
from .workspace import PREFIX_HISTORY, Workspace


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The ingest-wait route."""

    async def wait(request: Request, ws: Workspace) -> Response:
        run_id = str(request.path_params["runId"])
        if records.run_in_experiment(dp.ctx, ws, str(request.path_params["experimentName"]), run_id) is None:
            raise BadRequest(f"Run '{run_id[:300]}' was not found.", "RunNotFound", 404)
        return JSONResponse({})

    path = PREFIX_HISTORY + "/experiments/{experimentName}/runs/{runId}/metricsingest/wait"
    return [ci_route(path, ws_endpoint(dp.ctx, "history", wait), ["GET"])]
