"""The emulator's v2 surface (Azure ML ARM api-version 2025-12-01, what azure-ai-ml 1.35 uses).

One module per concern, each exposing ``routes(ctx) -> list[BaseRoute]``; :func:`routes` assembles them and
``app.py`` mounts the result once, before the v1 ARM routes (v2 routes on v1 paths only match v2 api-versions,
see ``common.VersionedRoute``). Engineers add ONE line below for their module's routes.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..context import Context
from . import codes, computes, datastores, environments, jobs, models, online, workspaces


def routes(ctx: Context) -> list[BaseRoute]:
    """Every v2 route of the emulator."""
    return [
        # one line per module: *module.routes(ctx),
        *workspaces.routes(ctx),
        *computes.routes(ctx),
        *datastores.routes(ctx),
        *codes.routes(ctx),
        *environments.routes(ctx),
        *models.routes(ctx),
        *jobs.routes(ctx),
        *online.routes(ctx),
    ]
