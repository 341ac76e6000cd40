"""ARM long-running operations, settled lazily from timestamps (no background threads).

An operation record (store kind ``operations``) remembers which resource it changes and when it is due
(``config.lro_delay`` after it started). :func:`settle_due` finishes every due operation: a create makes
the resource ``Succeeded`` (or, when validation failed, removes it and fails the operation with its
error), a delete removes the resource and everything under it. The middleware calls it before every ARM
and data-plane request, so readers of the store (the data plane too) see settled states.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from .context import Context
from .timeutil import iso

OPS = "operations"
PENDING = "lro:pending"
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    "resourcegroups": ("workspaces", "computes"),
    "workspaces": ("computes",),
    "computes": (),
}
#: kind -> called as ``hook(ctx, key, action)`` once an operation on that kind succeeded (after its effect).
SETTLE_HOOKS: dict[str, Callable[[Context, str, str], None]] = {}
#: kind -> called as ``hook(ctx, key)`` for each record of that kind a delete removes, itself or under a parent
#: (a deployment's scoring worker must stop with its workspace, not only with its own DELETE).
REMOVE_HOOKS: dict[str, Callable[[Context, str], None]] = {}
_lock = threading.Lock()


def register_kind(
    kind: str,
    *,
    parents: tuple[str, ...] = ("resourcegroups", "workspaces"),
    on_succeeded: Callable[[Context, str, str], None] | None = None,
    on_removed: Callable[[Context, str], None] | None = None,
) -> None:
    """Make ``kind`` (keys ``sub/rg/ws/...``) go when one of its ``parents`` is deleted; optional settle hook,
    and ``on_removed(ctx, key)`` for each of its records a delete removes.

    Idempotent; the v2 modules call it (through ``v2/lro.py``) when they build their routes.
    """
    for parent in parents:
        children = CHILD_KINDS.get(parent, ())
        if kind not in children:
            CHILD_KINDS[parent] = (*children, kind)
    if on_succeeded is not None:
        SETTLE_HOOKS[kind] = on_succeeded
    if on_removed is not None:
        REMOVE_HOOKS[kind] = on_removed


def start(
    ctx: Context,
    *,
    sub: str,
    location: str,
    kind: str,
    key: str,
    action: str,
    api_version: str,
    error: dict[str, Any] | None = None,
    error_status: int = 400,
    resources_scope: bool = False,
) -> dict[str, Any]:
    """Record a new operation on ``(kind, key)``; ``action`` is create, update or delete.

    With ``error`` (an ARM error body) the operation ends Failed with ``error_status``.
    """
    op_id = str(uuid.uuid4())
    now = time.time()
    loc = location.replace(" ", "").lower() or ctx.config.location
    if resources_scope:
        path = f"/subscriptions/{sub}/operationresults/{op_id}"
        status_path = path
    else:
        base = f"/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{loc}"
        path = f"{base}/operationResults/{op_id}"
        status_path = f"{base}/operationsStatus/{op_id}"
    record: dict[str, Any] = {
        "id": status_path,
        "name": op_id,
        "status": "InProgress",
        "startTime": iso(now),
        "percentComplete": 0.0,
        "internal": {
            "sub": sub,
            "kind": kind,
            "key": key,
            "action": action,
            "readyAt": now + ctx.config.lro_delay,
            "error": error,
            "errorStatus": error_status,
            "apiVersion": api_version,
            "resultPath": path,
            "statusPath": status_path,
        },
    }
    ctx.store.put(OPS, op_id, record)
    ctx.store.put(PENDING, op_id, {"id": op_id, "readyAt": now + ctx.config.lro_delay})
    return record


def location_url(ctx: Context, record: dict[str, Any]) -> str:
    """The ``Location`` (OperationResults_Get) URL of an operation."""
    internal = record["internal"]
    return f"{ctx.base_url}{internal['resultPath']}?api-version={internal['apiVersion']}"


def async_url(ctx: Context, record: dict[str, Any]) -> str:
    """The ``Azure-AsyncOperation`` (AsyncOperations_Get) URL of an operation."""
    internal = record["internal"]
    return f"{ctx.base_url}{internal['statusPath']}?api-version={internal['apiVersion']}"


def poll_headers(ctx: Context) -> dict[str, str]:
    """How long a poller should wait: ``retry-after-ms`` always, ``Retry-After`` (whole seconds) when >= 1 s.

    azure-core (1.41) prefers ``Retry-After`` over ``retry-after-ms`` and treats ``Retry-After: 0`` as
    absent (falling back to 30 s), so for sub-second ``lro_delay`` only the millisecond headers are sent;
    otherwise a 0.5 s operation would cost Microsoft's clients a full second per poll.
    """
    wait = ctx.config.lro_delay / 4
    ms = str(max(10, int(wait * 1000)))
    headers = {"retry-after-ms": ms, "x-ms-retry-after-ms": ms}
    if ctx.config.lro_delay >= 1:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return headers


def settle_due(ctx: Context, now: float | None = None) -> None:
    """Finish every operation whose time has come."""
    t = time.time() if now is None else now
    due = [p["id"] for p in ctx.store.list(PENDING) if float(p["readyAt"]) <= t]
    for op_id in due:
        settle(ctx, str(op_id))


def settle(ctx: Context, op_id: str) -> None:
    """Apply a due operation's effect once and mark it terminal."""
    with _lock:
        record = ctx.store.get(OPS, op_id)
        if record is None or record["status"] != "InProgress":
            ctx.store.delete(PENDING, op_id)
            return
        internal = record["internal"]
        kind, key, action = internal["kind"], internal["key"], internal["action"]
        if internal.get("error"):
            if action == "create":
                _remove_tree(ctx, kind, key)
            record["status"] = "Failed"
            record["error"] = internal["error"]["error"]
        else:
            if action == "delete":
                _remove_tree(ctx, kind, key)
            else:
                doc = ctx.store.get(kind, key)
                if doc is not None:
                    ctx.store.put(kind, key, succeeded(doc))
            record["status"] = "Succeeded"
            hook = SETTLE_HOOKS.get(kind)
            if hook is not None:
                hook(ctx, key, action)
        record["endTime"] = iso(time.time())
        record["percentComplete"] = 100.0
        ctx.store.put(OPS, op_id, record)
        ctx.store.delete(PENDING, op_id)


def succeeded(doc: dict[str, Any]) -> dict[str, Any]:
    props = doc.get("properties")
    if isinstance(props, dict):
        if "provisioningState" in props:
            props["provisioningState"] = "Succeeded"
        inner = props.get("properties")
        if props.get("computeType") == "AmlCompute" and isinstance(inner, dict):
            # The cluster settles at its minimum size.
            scale = inner.get("scaleSettings") or {}
            nodes = int(scale.get("minNodeCount") or 0)
            inner["currentNodeCount"] = nodes
            inner["targetNodeCount"] = nodes
            counts = inner.get("nodeStateCounts")
            if isinstance(counts, dict):
                counts["idleNodeCount"] = nodes
    return doc


def _remove_tree(ctx: Context, kind: str, key: str) -> None:
    _remove(ctx, kind, key)
    for child in CHILD_KINDS.get(kind, ()):
        for child_key in ctx.store.keys(child, key + "/"):
            _remove(ctx, child, child_key)


def _remove(ctx: Context, kind: str, key: str) -> None:
    ctx.store.delete(kind, key)
    hook = REMOVE_HOOKS.get(kind)
    if hook is not None:
        hook(ctx, key)


def public_status(record: dict[str, Any]) -> dict[str, Any]:
    """The AsyncOperations_Get body: ``{id, name, status, startTime, endTime, percentComplete, error}``."""
    body = {k: v for k, v in record.items() if k != "internal"}
    return body
