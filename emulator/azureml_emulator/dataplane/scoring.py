"""Scoring endpoints of deployed services: ``/scoring/{serviceId}/score`` and ``/swagger.json`` (specs/scoring.yaml).

Auth: ``Authorization: Bearer <primary or secondary key>`` or a token from ``M/services/{id}/token``
(unless the service has ``authEnabled: false``); otherwise 401 with a plain JSON message, as real
scoring endpoints answer. Errors are small JSON objects ``{"message": ...}`` (no fixed shape: specs/README.md,
Scoring: "default error").
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .deploy import ScoreError
from .services import TokenSigner
from .state import DataPlane

MAX_SCORE_BODY = 16 * 1024 * 1024


def scoring_message(status: int, text: str, **headers: str) -> JSONResponse:
    """A scoring error: a small JSON ``{"message": ...}`` (scoring answers have no fixed error shape)."""
    return JSONResponse({"message": text}, status_code=status, headers=headers or None)


async def read_score_body(request: Request) -> str | Response:
    """The scoring request's body as text, or the error answer: 413 past :data:`MAX_SCORE_BODY` (read in chunks,
    never more than that held), 400 when it is not UTF-8. Shared by v1 services and v2 online endpoints."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_SCORE_BODY:
            return scoring_message(413, f"The request body exceeds {MAX_SCORE_BODY} bytes.")
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return scoring_message(400, "The request body must be UTF-8 text (JSON).")


class ScoringApi:
    """Handlers of the per-service scoring endpoints."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx
        self.tokens = TokenSigner(dp)

    def _service(self, request: Request) -> tuple[str, dict[str, Any]] | Response:
        sid = str(request.path_params["serviceId"])
        index = self.ctx.store.get("dp:scoring", sid)
        svc = None if index is None else self.ctx.store.get("dp:services", f"{index['ws']}/{index['name']}")
        if index is None or svc is None:
            return scoring_message(404, f"No service '{sid[:100]}' is deployed here.")
        key = f"{index['ws']}/{index['name']}"
        if svc.get("authEnabled", True) and not self._authorized(request, key, svc):
            return scoring_message(
                401,
                "Authorization failed: send 'Authorization: Bearer <service key or token>'.",
                **{"WWW-Authenticate": 'Bearer realm="scoring"'},
            )
        return key, svc

    def _authorized(self, request: Request, key: str, svc: dict[str, Any]) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, credential = header.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            return False
        keys = svc.get("_keys") or {}
        for stored in (keys.get("primaryKey"), keys.get("secondaryKey")):
            if isinstance(stored, str) and hmac.compare_digest(stored.encode(), credential.encode()):
                return True
        return self.tokens.check(credential, key)

    async def score(self, request: Request) -> Response:
        """POST /scoring/{serviceId}/score: the scoring script's ``run(raw_data)`` result as JSON."""
        self.ctx.counters["scoring"] += 1
        found = self._service(request)
        if isinstance(found, Response):
            return found
        key, svc = found
        if svc.get("state") != "Healthy":
            return scoring_message(503, f"The service is not ready (state {svc.get('state')}).", **{"Retry-After": "1"})
        worker = self.dp.services.worker(key)
        if worker is None:
            return scoring_message(503, "The service has no running scoring worker.", **{"Retry-After": "1"})
        raw = await read_score_body(request)
        if isinstance(raw, Response):
            return raw
        try:
            result = await run_in_threadpool(worker.score, raw)
        except ScoreError as exc:
            return scoring_message(exc.status, exc.message)
        return Response(result, media_type="application/json")

    async def swagger(self, request: Request) -> Response:
        """GET /scoring/{serviceId}/swagger.json: a small Swagger 2.0 document of ``/score``."""
        self.ctx.counters["scoring"] += 1
        found = self._service(request)
        if isinstance(found, Response):
            return found
        _, svc = found
        return JSONResponse(
            {
                "swagger": "2.0",
                "info": {
                    "title": str(svc["name"]),
                    "description": "API specification for the service",
                    "version": "1.0",
                },
                "schemes": [self.ctx.base_url.split(":", 1)[0] or "http"],
                "consumes": ["application/json"],
                "produces": ["application/json"],
                "securityDefinitions": {
                    "Bearer": {
                        "type": "apiKey",
                        "name": "Authorization",
                        "in": "header",
                        "description": "Bearer <service key or token>",
                    }
                },
                "paths": {
                    "/score": {
                        "post": {
                            "operationId": "RunMLService",
                            "description": "Run the scoring script's run(raw_data)",
                            "security": [{"Bearer": []}],
                            "parameters": [
                                {"name": "body", "in": "body", "required": True, "schema": {"type": "object"}}
                            ],
                            "responses": {
                                "200": {"description": "The result of run()", "schema": {}},
                                "default": {"description": "An error", "schema": {"type": "object"}},
                            },
                        }
                    }
                },
            }
        )


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The scoring routes (no ARM/AAD auth: the middleware leaves ``/scoring/*`` to us)."""
    api = ScoringApi(dp)
    return [
        Route("/scoring/{serviceId}/score", api.score, methods=["POST"]),
        Route("/scoring/{serviceId}/swagger.json", api.swagger, methods=["GET"]),
    ]
