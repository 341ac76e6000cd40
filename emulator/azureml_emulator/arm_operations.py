"""Operation polling (``Location`` and ``Azure-AsyncOperation`` targets) and Operations_List."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import lro
from .armcommon import ML
from .context import Context
from .errors import arm_error

_OPERATIONS: list[tuple[str, str, str]] = [
    ("workspaces/read", "Workspace", "Gets the Machine Learning Services Workspace(s)"),
    ("workspaces/write", "Workspace", "Creates or updates a Machine Learning Services Workspace"),
    ("workspaces/delete", "Workspace", "Deletes the Machine Learning Services Workspace"),
    ("workspaces/listKeys/action", "Workspace", "Lists the keys of a Machine Learning Services Workspace"),
    ("workspaces/computes/read", "Compute", "Gets the compute resources in a Machine Learning Services Workspace"),
    ("workspaces/computes/write", "Compute", "Creates or updates a compute resource"),
    ("workspaces/computes/delete", "Compute", "Deletes a compute resource"),
    ("workspaces/computes/listKeys/action", "Compute", "Lists the secrets of a compute resource"),
    ("workspaces/computes/listNodes/action", "Compute", "Lists the nodes of an AmlCompute cluster"),
    ("locations/operationsStatus/read", "Operation", "Gets the status of an asynchronous operation"),
]


def _operation(ctx: Context, request: Request) -> dict[str, Any] | None:
    record = ctx.store.get(lro.OPS, request.path_params["op"])
    if record is None or record["internal"]["sub"].lower() != request.path_params["sub"].lower():
        return None
    return record


def _not_found(op: str) -> Response:
    return arm_error(404, "OperationNotFound", f"The operation '{op}' was not found.")


def routes(ctx: Context) -> list[BaseRoute]:
    """The polling routes and Operations_List."""

    async def operation_result(request: Request) -> Response:
        record = _operation(ctx, request)
        if record is None:
            return _not_found(request.path_params["op"])
        internal = record["internal"]
        if record["status"] == "InProgress":
            headers = {"Location": lro.location_url(ctx, record), **lro.poll_headers(ctx)}
            return Response(status_code=202, headers=headers)
        if record["status"] != "Succeeded":
            error = internal.get("error") or {"error": {"code": "OperationFailed", "message": "The operation failed."}}
            return JSONResponse(error, status_code=int(internal.get("errorStatus") or 400))
        if internal["action"] == "delete":
            return Response(status_code=204)
        doc = ctx.store.get(internal["kind"], internal["key"])
        if doc is None:
            return arm_error(404, "ResourceNotFound", "The resource of this operation no longer exists.")
        return JSONResponse(doc, status_code=200)

    async def operation_status(request: Request) -> Response:
        record = _operation(ctx, request)
        if record is None:
            return _not_found(request.path_params["op"])
        headers = lro.poll_headers(ctx) if record["status"] == "InProgress" else {}
        return JSONResponse(lro.public_status(record), headers=headers)

    async def list_operations(request: Request) -> Response:
        value = [
            {
                "name": f"{ML}/{name}",
                "display": {
                    "provider": "Microsoft Machine Learning Services",
                    "resource": resource,
                    "operation": name.rsplit("/", 1)[-1],
                    "description": description,
                },
            }
            for name, resource, description in _OPERATIONS
        ]
        return JSONResponse({"value": value})

    op_base = f"/subscriptions/{{sub}}/providers/{ML}/locations/{{loc}}"
    return [
        Route(op_base + "/operationResults/{op}", operation_result, methods=["GET"]),
        Route(op_base + "/operationsStatus/{op}", operation_status, methods=["GET"]),
        Route("/subscriptions/{sub}/operationResults/{op}", operation_result, methods=["GET"]),
        Route(f"/providers/{ML}/operations", list_operations, methods=["GET"]),
    ]
