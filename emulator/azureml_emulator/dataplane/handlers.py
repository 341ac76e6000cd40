"""Endpoint wrapper shared by the data-plane groups: counters, workspace lookup, error shapes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ..context import Context
from ..errors import history_error, mms_error
from .common import BadRequest
from .workspace import Workspace, find_workspace, not_found_message

WsHandler = Callable[[Request, Workspace], Awaitable[Response]]
log = logging.getLogger("azureml_emulator.dataplane")


def error(group: str, status: int, code: str, message: str) -> Response:
    """An error in the shape of ``group``: model management is flat, history/execution nested."""
    if group == "modelmanagement":
        return mms_error(status, code, message)
    return history_error(status, code, message)


def ws_endpoint(ctx: Context, group: str, fn: WsHandler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap ``fn``: count the request, resolve the workspace (404 if absent), turn BadRequest into errors.

    Unexpected exceptions become a 500 in the group's shape without internal details (and are logged).
    """

    async def endpoint(request: Request) -> Response:
        ctx.counters[group] += 1
        ws = find_workspace(ctx, request)
        if ws is None:
            return error(group, 404, "WorkspaceNotFound", not_found_message(request))
        try:
            return await fn(request, ws)
        except BadRequest as exc:
            return error(group, exc.status, exc.code, exc.message)
        except Exception:
            log.exception("data-plane handler failed: %s %s", request.method, request.url.path)
            return error(group, 500, "InternalServerError", "The emulator failed to process the request.")

    return endpoint
