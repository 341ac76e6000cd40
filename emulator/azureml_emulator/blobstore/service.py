"""The blob store's front door: claim blob requests ahead of the emulator's other routes, authorize, dispatch.

Blob requests never pass through :class:`~azureml_emulator.middleware.EmulatorMiddleware`: its path
normalisation and bearer-token checks belong to ARM and the data plane, and a container named ``history`` must
not be re-cased. What the middleware does that also suits blobs is done here: request counters (``requests``,
``blob``), fault injection (``429`` and ``503`` become Storage's ``503 ServerBusy``; ``slow``; ``drop``) and
``x-ms-request-id`` / ``x-ms-client-request-id``, plus Storage's ``x-ms-version`` (the server adds ``Date``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from ..context import Context
from . import accounts, blobs, containers
from .addressing import Target, locate, validate_names
from .authorize import authorize
from .call import Call, ClientGone
from .errors import StorageError, error_response
from .storage import BlobStorage

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handler = Callable[[Call], Awaitable[Response]]

log = logging.getLogger("azureml_emulator.blobstore")
DEFAULT_VERSION = "2026-10-06"  # what azure-storage-blob 12.31 sends; answered when a request names none
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _head(call: Call) -> Awaitable[Response]:
    return blobs.get_blob(call, head=True)


# (container-level?, method, restype, comp) -> (operation, handler)
OPERATIONS: dict[tuple[bool, str, str, str], tuple[str, Handler]] = {
    (True, "PUT", "container", ""): ("CreateContainer", containers.create_container),
    (True, "GET", "container", ""): ("GetContainerProperties", containers.container_properties),
    (True, "HEAD", "container", ""): ("GetContainerProperties", containers.container_properties),
    (True, "DELETE", "container", ""): ("DeleteContainer", containers.delete_container),
    (True, "GET", "container", "list"): ("ListBlobs", containers.list_blobs),
    (False, "PUT", "", ""): ("PutBlob", blobs.put_blob),
    (False, "PUT", "", "block"): ("PutBlock", blobs.put_block),
    (False, "PUT", "", "blocklist"): ("PutBlockList", blobs.put_block_list),
    (False, "PUT", "", "metadata"): ("SetBlobMetadata", blobs.set_metadata),
    (False, "GET", "", ""): ("GetBlob", blobs.get_blob),
    (False, "HEAD", "", ""): ("GetBlobProperties", _head),
    (False, "DELETE", "", ""): ("DeleteBlob", blobs.delete_blob),
}


def route_roots(routes: Iterable[BaseRoute]) -> frozenset[str]:
    """The literal first path segments of ``routes`` (``subscriptions``, ``history``, ``_emulator``, ...)."""
    roots = set()
    for route in routes:
        path = getattr(route, "path", "")
        first = path.split("/")[1] if path.startswith("/") and "/" in path else ""
        if first and not first.startswith("{"):
            roots.add(first)
    return frozenset(roots)


def _operation(method: str, target: Target) -> tuple[str, Handler]:
    if target.container is None:
        raise StorageError("InvalidQueryParameterValue", "Account-level operations are not emulated.")
    restype = (target.param("restype") or "").lower()
    comp = (target.param("comp") or "").lower()
    key = (target.blob is None, method, restype, comp)
    found = OPERATIONS.get(key)
    if found is not None:
        return found
    if not any(k[0] == key[0] and k[1] == method for k in OPERATIONS):
        raise StorageError("UnsupportedHttpVerb")
    if target.blob is None and restype != "container":
        raise StorageError("InvalidQueryParameterValue", "Container operations need restype=container.")
    raise StorageError("InvalidQueryParameterValue", f"The operation (comp={comp or '-'}) is not emulated.")


class BlobService:
    """Serves the blob store of one emulator (see the module docstring)."""

    def __init__(self, ctx: Context, reserved: Iterable[str] = ()) -> None:
        self.ctx = ctx
        self.storage = BlobStorage(ctx.store)
        self.reserved = frozenset(reserved)

    def __repr__(self) -> str:
        return "BlobService()"

    def claims(self, scope: Scope) -> Target | None:
        """The blob target of ``scope``, or None when the request belongs to the emulator's other routes."""
        if scope.get("type") != "http":
            return None
        return locate(scope, lambda name: accounts.is_account(self.ctx, name), self.reserved)

    async def handle(self, scope: Scope, receive: Receive, send: Send, target: Target) -> None:
        """Answer one blob request."""
        ctx = self.ctx
        method = str(scope["method"]).upper()
        request_id = str(uuid.uuid4())
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            name = bytes(key).decode("latin-1").lower()
            text = bytes(value).decode("latin-1")
            headers[name] = f"{headers[name]},{text}" if name in headers else text
        ctx.counters["requests"] += 1
        ctx.counters["blob"] += 1
        fault = ctx.faults.choose(str(scope.get("path", "")), headers.get("x-emulator-fault"))
        if fault is not None:
            ctx.counters["faults"] += 1
            ctx.counters[f"faults:{fault}"] += 1
            if fault == "drop":
                await _drop(send)
                return
            if fault == "slow":
                await asyncio.sleep(ctx.faults.slow_seconds)
                fault = None
        try:
            if fault is not None:
                raise StorageError("ServerBusy", "Injected fault.", headers={"Retry-After": "1"})
            response = await self._answer(scope, method, headers, receive, target)
        except StorageError as err:
            response = error_response(err, request_id, head=method == "HEAD")
        except ClientGone:
            return
        except Exception:
            log.exception("blob store failed on %s %s", method, target.raw_path)
            response = error_response(StorageError("InternalError"), request_id, head=method == "HEAD")
        version = headers.get("x-ms-version", "")
        response.headers["x-ms-request-id"] = request_id
        response.headers["x-ms-version"] = version if _VERSION.match(version) else DEFAULT_VERSION
        if "x-ms-client-request-id" in headers:
            response.headers["x-ms-client-request-id"] = headers["x-ms-client-request-id"]
        await response(scope, receive, send)

    async def _answer(
        self, scope: Scope, method: str, headers: dict[str, str], receive: Receive, target: Target
    ) -> Response:
        if not accounts.is_account(self.ctx, target.account):
            raise StorageError("AuthenticationFailed", f"The account '{target.account}' is not served here.")
        validate_names(target)
        operation, handler = _operation(method, target)
        client = scope.get("client")
        key = accounts.key_bytes(self.ctx, target.account)
        caller = authorize(operation, method, headers, target, key, client[0] if client else None)
        return await handler(Call(target, method, headers, receive, caller, self.storage))


async def _drop(send: Send) -> None:
    """Close the connection without an answer (as the middleware's ``drop`` fault does)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return
    transport.abort()
    for _ in range(10):
        if getattr(cycle, "disconnected", False):
            break
        await asyncio.sleep(0)


def mount(app: ASGIApp, service: BlobService) -> ASGIApp:
    """``app`` with blob requests answered by ``service`` first (everything else passes through unchanged)."""

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        target = service.claims(scope)
        if target is None:
            await app(scope, receive, send)
        else:
            await service.handle(scope, receive, send, target)

    return dispatch
