"""Long-running operations for the v2 (2025-12-01) routes: one helper for computes, jobs and online endpoints.

Built on the emulator's operation records (``azureml_emulator.lro``): an operation is settled lazily from
timestamps (``config.lro_delay`` after it started) by the middleware before every ARM request, and polled at the
location-scoped URLs ``arm_operations.py`` already serves:

- ``Azure-AsyncOperation``: ``/subscriptions/{s}/providers/Microsoft.MachineLearningServices/locations/{loc}/
  operationsStatus/{id}`` -> 200 ``{id, name, status, startTime, endTime, percentComplete, error}`` with
  ``status`` ``InProgress`` and then ``Succeeded`` or ``Failed``;
- ``Location``: ``.../operationResults/{id}`` -> 202 while running, then 200 with the resource (204 after a
  delete), or the operation's ARM error with its status.

How a route uses it (the resource document is stored first, with ``provisioningState`` ``Creating``/
``Updating``/``Deleting``; settling sets ``Succeeded`` on create/update and removes it, and every kind under it,
on delete)::

    lro.register(KIND, on_succeeded=my_hook)           # once, when building routes (idempotent)
    ctx.store.put(KIND, key, doc)
    op = lro.begin(ctx, request, sub=sub, location=doc["location"], kind=KIND, key=key, action="create")
    return lro.created(ctx, op, doc)                   # 201 + body + Azure-AsyncOperation + Location
    return lro.accepted(ctx, op)                       # 202, no body (deletes, cancel, regenerateKeys)

Statuses and headers per Microsoft's 2025-12-01 spec (specification/machinelearningservices/resource-manager/
Microsoft.MachineLearningServices/stable/2025-12-01, each operation's ``x-ms-long-running-operation-options``):
compute and online endpoint/deployment PUT answer 201 with ``Azure-AsyncOperation``; deletes, cancel and
regenerateKeys answer 202 with ``Location``. Both headers are always sent (the service's examples do too), plus
``Retry-After``/``retry-after-ms`` (see ``azureml_emulator.lro.poll_headers``), so any final-state-via works.

``on_succeeded(ctx, key, action)`` runs once, inside the settle lock, after a successful operation took effect
(for a delete the document is already gone): keep it short and do not call ``settle``/``settle_due`` from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import lro as _records
from ..context import Context
from ..errors import arm_error_body

Hook = Callable[[Context, str, str], None]
IN_PROGRESS, SUCCEEDED, FAILED = "InProgress", "Succeeded", "Failed"


def register(kind: str, *, on_succeeded: Hook | None = None, parents: tuple[str, ...] | None = None,
             on_removed: Callable[[Context, str], None] | None = None) -> None:
    """Declare a v2 store kind keyed ``sub/rg/ws/...``: deleting its workspace or group removes it too.

    ``parents`` defaults to the resource group and the workspace; pass e.g. ``("v2:onlineendpoints",)`` as well
    for deployments keyed under their endpoint's key. ``on_removed(ctx, key)`` runs for each record a delete
    removes (the record's own delete or a parent's).
    """
    chosen = ("resourcegroups", "workspaces") if parents is None else parents
    _records.register_kind(kind, parents=chosen, on_succeeded=on_succeeded, on_removed=on_removed)


def begin(
    ctx: Context,
    request: Request,
    *,
    sub: str,
    location: str,
    kind: str,
    key: str,
    action: str,
    error: tuple[int, str, str] | None = None,
) -> dict[str, Any]:
    """Record an operation on ``(kind, key)``; ``action`` is ``create``, ``update`` or ``delete``.

    ``error=(status, code, message)`` makes the operation end ``Failed`` with that ARM error (a failed create
    removes the document). The api-version of the request is echoed in the polling URLs, as ARM does.
    """
    failure = None
    status = 400
    if error is not None:
        status, code, message = error
        failure = arm_error_body(code, message)
    return _records.start(
        ctx,
        sub=sub,
        location=location,
        kind=kind,
        key=key,
        action=action,
        api_version=request.query_params.get("api-version") or "2025-12-01",
        error=failure,
        error_status=status,
    )


def headers(ctx: Context, op: dict[str, Any]) -> dict[str, str]:
    """``Azure-AsyncOperation``, ``Location`` and the retry headers of an operation."""
    return {
        "Azure-AsyncOperation": _records.async_url(ctx, op),
        "Location": _records.location_url(ctx, op),
        **_records.poll_headers(ctx),
    }


def created(ctx: Context, op: dict[str, Any], body: dict[str, Any], *, status: int = 201) -> JSONResponse:
    """The answer to an LRO PUT: ``status`` (201) with the resource as it is now, and the polling headers."""
    return JSONResponse(body, status_code=status, headers=headers(ctx, op))


def accepted(ctx: Context, op: dict[str, Any]) -> Response:
    """The answer to an LRO DELETE/POST: 202 without a body, and the polling headers."""
    return Response(status_code=202, headers=headers(ctx, op))


def status(ctx: Context, op_id: str) -> str | None:
    """The operation's status (``InProgress``, ``Succeeded``, ``Failed``), or None for an unknown id."""
    record = ctx.store.get(_records.OPS, op_id)
    return None if record is None else str(record["status"])


def settle_now(ctx: Context, op: dict[str, Any]) -> None:
    """Finish ``op`` at once (for routes whose work is already done, and for tests)."""
    _records.settle(ctx, str(op["name"]))
