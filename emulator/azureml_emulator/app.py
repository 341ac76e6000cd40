"""``create_app(config)``: the Starlette application serving every group on one port."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

# The data plane is part of the emulator and needs nothing beyond the [emulator] extra, so it is imported like
# the rest: a bug in it fails the start instead of leaving an emulator that answers 404 to every run.
from . import arm, blobstore, cloud_metadata, control, dataplane, discovery, paths, tokens, v2
from .config import EmulatorConfig
from .context import Context
from .middleware import EmulatorMiddleware, Receive, Scope, Send
from .responses import group_error

log = logging.getLogger("azureml_emulator")


class EmulatorApp(Starlette):
    """Starlette with :class:`EmulatorMiddleware` outermost (it needs the server's own ``send`` for drops).

    Blob requests (``{account}.blob.*`` hosts, ``/{account}/...`` paths of served accounts) go to the blob store
    before the middleware: its normalisation and bearer auth belong to ARM and the data plane.
    """

    def __init__(self, ctx: Context, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        blobs = blobstore.for_context(ctx, reserved=blobstore.route_roots(self.routes))
        self._gate = blobstore.mount(EmulatorMiddleware(self._inner, ctx), blobs)

    async def _inner(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._gate(scope, receive, send)


def create_app(config: EmulatorConfig) -> tuple[Starlette, Context]:
    """The emulator application and its context (``ctx.base_url`` is set by the server once bound)."""
    ctx = Context.create(config)
    route_list: list[BaseRoute] = [
        *control.routes(ctx),
        *blobstore.routes(ctx),
        *discovery.routes(ctx),
        *cloud_metadata.routes(ctx),
        *tokens.routes(ctx),
        *v2.routes(ctx),  # before arm: v2 api-versions of workspace and compute paths get the v2 shape
        *arm.routes(ctx),
        *dataplane.routes(ctx),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        dataplane.on_startup(ctx)
        try:
            yield
        finally:
            dataplane.on_shutdown(ctx)

    async def http_error(request: Request, exc: Exception) -> Response:
        kind = paths.classify(request.url.path)
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return group_error(
                kind, 404, "NotFound", f"No resource or operation matches '{request.method} {request.url.path}'."
            )
        if status == 405:
            return group_error(
                kind, 405, "MethodNotAllowed", f"The method '{request.method}' is not allowed on '{request.url.path}'."
            )
        detail = exc.detail if isinstance(exc, HTTPException) else "Bad request."
        return group_error(kind, status, "BadRequest", str(detail))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        kind = paths.classify(request.url.path)
        return group_error(kind, 500, "InternalServerError", "The emulator failed to process the request.")

    app = EmulatorApp(
        ctx,
        routes=route_list,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    return app, ctx
