"""``GET /discovery``: the regional service map the workspace's ``discoveryUrl`` points at (facts §4).

Every service lives on the emulator's one port, so every key maps to the base URL (no trailing slash).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .context import Context

KEYS = (
    "api",
    "catalog",
    "experimentation",
    "gallery",
    "history",
    "hyperdrive",
    "labeling",
    "modelmanagement",
    "pipelines",
    "studiocoreservices",
)


def routes(ctx: Context) -> list[BaseRoute]:
    """The discovery route (no authentication, like the real service)."""

    async def discovery(request: Request) -> Response:
        ctx.counters["discovery"] += 1
        base = ctx.base_url.rstrip("/")
        return JSONResponse({key: base for key in KEYS})

    return [Route("/discovery", discovery, methods=["GET"])]
