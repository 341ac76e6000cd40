"""Helpers for the v2 (2025-12-01) emulator tests: a workspace to work in and calls with a v2 api-version."""

from __future__ import annotations

from typing import Any

import httpx

from tests.emulator.support import Arm

V2 = "2025-12-01"


class V2Workspace:
    """One fresh workspace (made by the v1 PUT, the only way to make one) and v2 calls under it."""

    def __init__(self, arm: Arm) -> None:
        self.arm = arm
        self.rg, self.ws = arm.new_workspace()
        self.path = arm.ws_path(self.rg, self.ws)

    def call(self, method: str, sub_path: str = "", *, api: str = V2, **kw: Any) -> httpx.Response:
        """``method`` on the workspace path + ``sub_path`` with ``api``."""
        return self.arm.request(method, self.path + sub_path, api=api, **kw)

    def workspace(self) -> dict[str, Any]:
        r = self.call("GET")
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body


def arm_error(r: httpx.Response, status: int) -> dict[str, Any]:
    """The ARM error of ``r`` after checking its status and shape."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    error: dict[str, Any] = body["error"]
    return error
