"""Run history addressed by experiment id: ``P/experimentids/{experimentId}[/runs/{runId}]``.

Inside a run, azureml-core knows the experiment's id (``AZUREML_EXPERIMENT_ID``) and addresses the experiment
and its runs by it (azureml/_restclient/operations/run_operations.py and experiment_operations.py: the
``.../experimentids/{experimentId}`` route templates). The handlers are run history's own, given the
experiment's name in place of its id.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ..errors import history_error
from . import records
from .common import ci_route
from .handlers import WsHandler, ws_endpoint
from .history import HistoryApi
from .state import DataPlane
from .workspace import PREFIX_HISTORY, Workspace


def _by_id(ctx: Any, fn: WsHandler) -> WsHandler:
    async def handler(request: Request, ws: Workspace) -> Response:
        wanted = str(request.path_params["experimentId"]).lower()
        for doc in records.list_experiments(ctx, ws):
            if str(doc.get("experimentId", "")).lower() == wanted:
                request.scope["path_params"] = {**request.path_params, "experimentName": str(doc["name"])}
                return await fn(request, ws)
        return history_error(404, "ExperimentNotFound", f"Experiment id '{wanted[:100]}' was not found.")

    return handler


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The experiment-id routes."""
    api = HistoryApi(dp)
    exp = PREFIX_HISTORY + "/experimentids/{experimentId}"

    def r(path: str, fn: WsHandler, *methods: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "history", _by_id(dp.ctx, fn)), methods)

    return [
        r(exp, api.experiment_get, "GET"),
        r(exp + "/runs/{runId}", api.run_get, "GET"),
        r(exp + "/runs/{runId}", api.run_patch, "PATCH"),
    ]
