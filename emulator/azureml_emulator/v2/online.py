"""Managed online endpoints: every route of endpoints (``endpoints``), their deployments (``deployments``) and
scoring (``endpoints_scoring``), for ``v2/__init__.py``."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..context import Context
from . import deployments, endpoints, endpoints_scoring


def routes(ctx: Context) -> list[BaseRoute]:
    """The online endpoint, deployment and scoring routes."""
    return [*endpoints.routes(ctx), *deployments.routes(ctx), *endpoints_scoring.routes(ctx)]
