"""Error responses in the three shapes of CONTRIBUTING.md ("The contract in one table", error bodies).

- ARM: ``{"error": {"code", "message", "target", "details", "additionalInfo"}}``
- history / execution: ``{"error": {...}, "correlation": {...}, "environment", "location", "time"}``
- model management: flat ``{"code", "statusCode", "message", "details"}``
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse

DEFAULT_LOCATION = "eastus"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def arm_error(
    status: int,
    code: str,
    message: str,
    *,
    target: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An ARM error response (``x-ms-failure-cause`` is left to the caller's headers)."""
    body = arm_error_body(code, message, target=target, details=details)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def arm_error_body(
    code: str,
    message: str,
    *,
    target: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ARM error body, for storing in operation records as well as answering."""
    err: dict[str, Any] = {"code": code, "message": message}
    if target is not None:
        err["target"] = target
    err["details"] = list(details or [])
    err["additionalInfo"] = []
    return {"error": err}


def history_error(
    status: int,
    code: str,
    message: str,
    *,
    target: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    location: str = DEFAULT_LOCATION,
) -> JSONResponse:
    """A run history / execution ``ErrorResponse``."""
    err: dict[str, Any] = {"code": code, "message": message, "details": list(details or [])}
    if target is not None:
        err["target"] = target
    body: dict[str, Any] = {
        "error": err,
        "correlation": {"operation": uuid.uuid4().hex, "request": uuid.uuid4().hex[:16]},
        "environment": location,
        "location": location,
        "time": _now(),
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def mms_error(
    status: int,
    code: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A model management flat ``ModelErrorResponse``."""
    body: dict[str, Any] = {
        "code": code,
        "statusCode": status,
        "message": message,
        "details": list(details or []),
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))
