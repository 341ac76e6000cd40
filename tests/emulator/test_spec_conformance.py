"""Every ARM and discovery response of a scripted session validates against specs/ (openapi-core)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import ML, Arm

SPECS = Path(__file__).resolve().parents[2] / "specs"
openapi_core = pytest.importorskip("openapi_core")
testing = pytest.importorskip("openapi_core.testing")


def _spec(name: str) -> Any:
    path = SPECS / name
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    return openapi_core.OpenAPI.from_file_path(str(path))


class Checker:
    """Validates responses against one spec, pretending the emulator is the spec's first server."""

    def __init__(self, spec: Any, server: str) -> None:
        self.spec = spec
        self.server = server
        self.checked: list[str] = []
        # ARM paths are case-insensitive: map a request path onto the spec's spelling of its template.
        self.templates = []
        for template in spec.spec["paths"].keys():
            pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
            self.templates.append((re.compile(f"^{pattern}$", re.IGNORECASE), template))

    def spec_path(self, path: str) -> str:
        for regex, template in self.templates:
            m = regex.match(path)
            if m:
                parts = re.split(r"\{[^}]+\}", template)
                return "".join(p + v for p, v in zip(parts, [*m.groups(), ""], strict=True))
        raise AssertionError(f"no spec path matches {path}")

    def __call__(self, r: httpx.Response) -> httpx.Response:
        url = urlsplit(str(r.request.url))
        args = dict(httpx.QueryParams(url.query))
        request = testing.MockRequest(
            self.server,
            r.request.method.lower(),
            self.spec_path(url.path),
            args=args,
            data=r.request.content or None,
            content_type=r.request.headers.get("content-type", "application/json"),
        )
        ctype = r.headers.get("content-type", "application/json").split(";")[0]
        response = testing.MockResponse(
            r.content, status_code=r.status_code, headers=dict(r.headers), content_type=ctype
        )
        self.spec.validate_response(request, response)
        self.checked.append(f"{r.request.method} {r.status_code}")
        return r


def test_management_responses_match_the_spec(arm: Arm) -> None:
    check = Checker(_spec("management.yaml"), "https://management.azure.com")
    sub = arm.sub
    rg = "conf-" + arm.new_group()[3:]
    check(arm.request("PUT", arm.rg_path(rg), json={"location": "eastus", "tags": {"a": "b"}}))
    check(arm.request("PUT", arm.rg_path(rg), json={"location": "eastus"}))
    check(arm.request("GET", arm.rg_path(rg)))
    check(arm.request("GET", f"/subscriptions/{sub}/resourcegroups"))
    check(arm.request("GET", arm.rg_path("missing-rg")))
    ws_path = arm.ws_path(rg, "conf-ws")
    created = check(arm.request("PUT", ws_path, json=arm.workspace_body(rg)))
    check(arm.client.get(created.headers["Azure-AsyncOperation"]))
    check(arm.client.get(created.headers["Location"]))
    arm.wait(created.headers["Location"])
    check(arm.client.get(created.headers["Location"]))
    check(arm.client.get(created.headers["Azure-AsyncOperation"]))
    check(arm.request("GET", ws_path))
    check(arm.request("PUT", ws_path, json=arm.workspace_body(rg)))
    check(arm.request("PATCH", ws_path, json={"tags": {"x": "y"}, "properties": {"description": "d2"}}))
    check(arm.request("GET", f"{arm.rg_path(rg)}/providers/{ML}/workspaces"))
    check(arm.request("GET", f"/subscriptions/{sub}/providers/{ML}/workspaces"))
    check(arm.request("POST", ws_path + "/listKeys"))
    bad = check(arm.request("PUT", arm.ws_path(rg, "conf-bad"), json=arm.workspace_body(rg, keyVault="nope")))
    check(arm.wait(bad.headers["Location"]))
    compute = ws_path + "/computes/conf-c"
    body = {
        "location": "eastus",
        "properties": {
            "computeType": "AmlCompute",
            "properties": {"vmSize": "STANDARD_D1", "scaleSettings": {"maxNodeCount": 2, "minNodeCount": 0}},
        },
    }
    made = check(arm.request("PUT", compute, json=body))
    arm.wait_async(made.headers["Azure-AsyncOperation"])
    check(arm.request("GET", compute))
    check(arm.request("GET", ws_path + "/computes"))
    check(arm.request("PATCH", compute, json={"properties": {"scaleSettings": {"maxNodeCount": 3}}}))
    check(arm.request("POST", compute + "/listKeys"))
    check(arm.request("POST", compute + "/listNodes"))
    check(arm.request("GET", ws_path + "/computes/none"))
    gone = check(arm.request("DELETE", compute, params={"underlyingResourceAction": "Delete"}))
    check(arm.wait(gone.headers["Location"]))
    check(arm.request("GET", f"/providers/{ML}/operations"))
    deleted = check(arm.request("DELETE", ws_path))
    check(arm.wait(deleted.headers["Location"]))
    check(arm.request("DELETE", ws_path))
    rg_gone = check(arm.request("DELETE", arm.rg_path(rg)))
    assert rg_gone.status_code == 202
    assert len(check.checked) > 30


def test_discovery_matches_the_spec(emulator: RunningEmulator) -> None:
    check = Checker(_spec("discovery.yaml"), "https://centralus.experiments.azureml.net")
    check(httpx.get(emulator.base_url + "/discovery"))
