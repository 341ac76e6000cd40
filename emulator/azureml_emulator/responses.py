"""Errors in the shape of the group a request belongs to."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from . import paths
from .errors import arm_error, history_error, mms_error


def group_error(
    kind: str, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error response in the shape of route kind ``kind`` (see :mod:`azureml_emulator.paths`)."""
    if kind in (paths.HISTORY, paths.EXECUTION):
        return history_error(status, code, message, headers=headers)
    if kind == paths.MODELMANAGEMENT:
        return mms_error(status, code, message, headers=headers)
    if kind == paths.TOKEN:
        # Azure AD's shape (no AADSTS code fits a throttled or unavailable emulator, so none is given).
        return JSONResponse(
            {"error": "temporarily_unavailable" if status >= 429 else code, "error_description": message},
            status_code=status,
            headers=dict(headers or {}),
        )
    return arm_error(status, code, message, headers=headers)
