"""The cross-cutting request handling done once for every route (the data plane gets it for free).

In order: path normalisation (case-insensitive fixed segments, trailing slash), request ids, counters,
settling due long-running operations, fault injection, bearer-token auth, api-version checks.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.responses import Response

from . import apiversions, lro, paths
from .auth import ARM_AUDIENCES, DATAPLANE_AUDIENCES, check_bearer, www_authenticate
from .context import Context
from .responses import group_error
from .signing import TokenError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("azureml_emulator")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _query_param(scope: Scope, name: str) -> str | None:
    from urllib.parse import parse_qsl

    qs = bytes(scope.get("query_string", b"")).decode("latin-1")
    for key, value in parse_qsl(qs, keep_blank_values=True):
        if key == name:
            return value
    return None


class EmulatorMiddleware:
    """Pure ASGI middleware wrapping the whole Starlette app (outermost, so it sees the server's ``send``)."""

    def __init__(self, app: ASGIApp, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ctx = self.ctx
        raw_send = send
        path = paths.normalise_path(scope["path"])
        if path != scope["path"]:
            scope = dict(scope)
            scope["path"] = path
            scope["raw_path"] = path.encode("utf-8")
        kind = paths.classify(path)
        send = self._with_request_ids(scope, send, kind)
        ctx.counters["requests"] += 1
        if kind == paths.ARM:
            ctx.counters["arm"] += 1
        if kind == paths.ARM or kind in paths.DATAPLANE_KINDS:
            lro.settle_due(ctx)

        fault = ctx.faults.choose(path, _header(scope, b"x-emulator-fault"))
        if fault is not None:
            ctx.counters["faults"] += 1
            ctx.counters[f"faults:{fault}"] += 1
            if fault == "drop":
                await self._drop(raw_send)
                return
            if fault == "slow":
                await asyncio.sleep(ctx.faults.slow_seconds)
            else:
                await self._fault_response(kind, fault)(scope, receive, send)
                return

        if kind not in paths.PUBLIC_KINDS:
            accepted = ARM_AUDIENCES if kind == paths.ARM else DATAPLANE_AUDIENCES
            hint = ""
            if _header(scope, b"authorization") is None and _header(scope, b"authentication") is not None:
                hint = " An 'Authentication' header was sent: the header is named 'Authorization'."
            try:
                claims = check_bearer(ctx, _header(scope, b"authorization"), accepted, hint=hint)
            except TokenError as err:
                headers = {"WWW-Authenticate": www_authenticate(ctx, err.description)}
                await group_error(kind, 401, err.code, err.description, headers=headers)(scope, receive, send)
                return
            scope.setdefault("state", {})["claims"] = claims

        problem = self._api_version_problem(kind, path, scope)
        if problem is not None:
            await group_error(kind, 400, problem[0], problem[1])(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _api_version_problem(self, kind: str, path: str, scope: Scope) -> tuple[str, str] | None:
        if not self.ctx.config.strict_api_version:
            return None
        value = _query_param(scope, "api-version")
        if kind == paths.ARM:
            supported = (
                apiversions.RESOURCES_VERSIONS if paths.is_resource_groups_path(path) else apiversions.ml_versions(path)
            )
            return apiversions.check(value, supported, required=True)
        if kind in paths.DATAPLANE_KINDS:
            return apiversions.check(value, apiversions.DATAPLANE_VERSIONS, required=False)
        return None

    def _fault_response(self, kind: str, fault: str) -> Response:
        if fault == "429":
            retry = self.ctx.faults.retry_after_ms
            headers = {
                "Retry-After": str(max(1, retry // 1000)),
                "retry-after-ms": str(retry),
                "x-ms-retry-after-ms": str(retry),
            }
            return group_error(
                kind, 429, "TooManyRequests", "Injected fault: too many requests, retry later.", headers=headers
            )
        return group_error(kind, 503, "ServiceUnavailable", "Injected fault: the service is temporarily unavailable.")

    async def _drop(self, raw_send: Send) -> None:
        """Close the connection without any response (the server's transport is aborted)."""
        cycle = getattr(raw_send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if transport is None:  # not running under uvicorn: the closest thing is no response at all
            log.warning("drop fault: no transport to abort; answering nothing")
            return
        transport.abort()
        for _ in range(10):  # let the server notice the lost connection so it sends no 500 of its own
            if getattr(cycle, "disconnected", False):
                break
            await asyncio.sleep(0)

    def _with_request_ids(self, scope: Scope, send: Send, kind: str) -> Send:
        request_id = str(uuid.uuid4())
        client_id = _header(scope, b"x-ms-client-request-id")
        extra: list[tuple[bytes, bytes]] = [(b"x-ms-request-id", request_id.encode())]
        if client_id is not None:
            extra.append((b"x-ms-client-request-id", client_id.encode("latin-1")))
        if kind == paths.ARM:
            corr = _header(scope, b"x-ms-correlation-request-id") or request_id
            extra.append((b"x-ms-correlation-request-id", corr.encode("latin-1")))

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        return wrapped
