"""All ARM routes: resource groups, generic resource listing, workspaces, computes, operations."""

from __future__ import annotations

from starlette.routing import BaseRoute

from . import arm_computes, arm_groups, arm_operations, arm_resources, arm_workspaces
from .context import Context


def routes(ctx: Context) -> list[BaseRoute]:
    """Every ARM route of the emulator."""
    return [
        *arm_groups.routes(ctx),
        *arm_resources.routes(ctx),
        *arm_workspaces.routes(ctx),
        *arm_computes.routes(ctx),
        *arm_operations.routes(ctx),
    ]
