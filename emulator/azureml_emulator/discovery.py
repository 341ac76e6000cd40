"""``GET /discovery``: the regional service map the workspace's ``discoveryUrl`` points at (specs/discovery.yaml
``Discovery_Get``; specs/README.md "Discovery (`specs/discovery.yaml`): decisions and deviations").

Every service lives on the emulator's one port, so by default every key maps to the base URL (no trailing
slash). ``studio`` is there because azureml-core indexes it in every discovery document it reads
(azureml/_base_sdk_common/service_discovery.py ``get_cached_services_uris``, ``KeyError: 'studio'`` without it;
specs/discovery.yaml documents it). Tests replace the document with ``PUT /_emulator/discovery`` (a JSON object
of string values; ``null`` restores the default) and read it back with ``GET /_emulator/discovery``.
Counters: ``discovery`` per request, ``discovery:authorized`` per request that carried an ``Authorization``
header (the real clients send none).
"""

from __future__ import annotations

import json

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
    "studio",
    "studiocoreservices",
)


def default_document(base_url: str) -> dict[str, str]:
    """Every key of :data:`KEYS` mapped to ``base_url`` without its trailing slash."""
    base = base_url.rstrip("/")
    return {key: base for key in KEYS}


def _override_from(body: object) -> dict[str, str] | str | None:
    """The override a ``PUT /_emulator/discovery`` body asks for (None = default), or why it is refused."""
    if body is None:
        return None
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        return "The body must be a JSON object of string values (the discovery document), or null for the default."
    return {str(k): v for k, v in body.items()}


def routes(ctx: Context) -> list[BaseRoute]:
    """The discovery route (no authentication, like the real service) and its test control."""
    # The override lives here, not in Context: only these two handlers read or write it.
    override: dict[str, dict[str, str] | None] = {"doc": None}

    def document() -> dict[str, str]:
        doc = override["doc"]
        return dict(doc) if doc is not None else default_document(ctx.base_url)

    async def discovery(request: Request) -> Response:
        ctx.counters["discovery"] += 1
        if "authorization" in request.headers:
            ctx.counters["discovery:authorized"] += 1
        return JSONResponse(document())

    async def get_override(request: Request) -> Response:
        return JSONResponse(document())

    async def set_override(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            body = []  # refused below with the same message as any other non-object
        doc = _override_from(body)
        if isinstance(doc, str):
            return JSONResponse({"error": {"code": "BadRequest", "message": doc}}, status_code=400)
        override["doc"] = doc
        return JSONResponse(document())

    return [
        Route("/discovery", discovery, methods=["GET"]),
        Route("/_emulator/discovery", get_override, methods=["GET"]),
        Route("/_emulator/discovery", set_override, methods=["PUT"]),
    ]
