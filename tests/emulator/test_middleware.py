"""api-version checks, case-insensitive routing, request ids, error shapes of unknown routes."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import ML, Arm, get_token


def test_api_version_missing_and_unknown(arm: Arm) -> None:
    path = f"/subscriptions/{arm.sub}/resourcegroups"
    r = arm.client.get(path)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "MissingApiVersionParameter" and "--lax-api-version" in err["message"]
    assert "2019-11-01" in err["message"]
    r = arm.client.get(path, params={"api-version": "2099-01-01"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "InvalidApiVersionParameter" and "2099-01-01" in err["message"]
    assert "--lax-api-version" in err["message"]
    # resource groups and ML have their own sets: azure-mgmt-resource's 2025-04-01 is not an ML version
    assert arm.client.get(path, params={"api-version": "2025-04-01"}).status_code == 200
    r = arm.client.get(f"/subscriptions/{arm.sub}/providers/{ML}/workspaces", params={"api-version": "2025-04-01"})
    assert r.status_code == 400
    assert (
        arm.client.get(
            f"/subscriptions/{arm.sub}/providers/{ML}/workspaces", params={"api-version": "2020-08-01"}
        ).status_code
        == 200
    )


def test_data_plane_api_version_is_optional_but_checked(emulator: RunningEmulator) -> None:
    sub = emulator.config.subscription_id
    token = get_token(emulator)
    url = (
        f"{emulator.base_url}/history/v1.0/subscriptions/{sub}/resourceGroups/r/providers/{ML}/workspaces/w/experiments"
    )
    r = httpx.get(url, params={"api-version": "1999-01-01"}, headers={"Authorization": "Bearer " + token})
    assert r.status_code == 400
    body = r.json()
    assert body["error"]["code"] == "InvalidApiVersionParameter" and "correlation" in body


def test_lax_mode_accepts_anything(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(strict_api_version=False)
    arm = Arm(emu)
    assert arm.client.get(f"/subscriptions/{arm.sub}/resourcegroups").status_code == 200
    assert arm.client.get(f"/subscriptions/{arm.sub}/resourcegroups", params={"api-version": "1.0"}).status_code == 200


def test_routes_are_case_insensitive_and_tolerate_trailing_slash(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    for path in (
        f"/SUBSCRIPTIONS/{arm.sub}/resourcegroups/{rg}/providers/microsoft.machinelearningservices/WORKSPACES/{ws}",
        f"/subscriptions/{arm.sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}/",
        f"/subscriptions/{arm.sub}/ResourceGroups/{rg.upper()}/providers/Microsoft.MachineLearningServices/workspaces/{ws.upper()}",
    ):
        r = arm.request("GET", path)
        assert r.status_code == 200, path
        assert r.json()["name"] == ws  # names keep the casing they were created with
    r = arm.request("GET", f"/subscriptions/{arm.sub}/resourceGroups/{rg}/providers/{ML}/workspaces/")
    assert [w["name"] for w in r.json()["value"]] == [ws]


def test_request_ids(arm: Arm) -> None:
    r = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups", headers={"x-ms-client-request-id": "abc-123"})
    assert r.headers["x-ms-client-request-id"] == "abc-123"
    assert len(r.headers["x-ms-request-id"]) == 36
    other = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups")
    assert other.headers["x-ms-request-id"] != r.headers["x-ms-request-id"]
    assert "x-ms-client-request-id" not in other.headers
    assert "x-ms-request-id" in httpx.get(arm.emu.base_url + "/discovery").headers


def test_unknown_routes_answer_in_the_groups_shape(arm: Arm) -> None:
    r = arm.request("GET", f"/subscriptions/{arm.sub}/providers/Microsoft.Nothing/things")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NotFound"
    r = arm.request("POST", f"/subscriptions/{arm.sub}/resourcegroups")
    assert r.status_code == 405 and "error" in r.json()


def test_discovery_and_stats(emulator: RunningEmulator) -> None:
    base = emulator.base_url
    httpx.post(base + "/_emulator/reset-stats")
    r = httpx.get(base + "/discovery")
    assert r.status_code == 200
    keys = {
        "api",
        "catalog",
        "experimentation",
        "gallery",
        "history",
        "hyperdrive",
        "labeling",
        "modelmanagement",
        "pipelines",
        "studio",
        "studiocoreservices",
    }
    assert set(r.json()) == keys and set(r.json().values()) == {base}
    httpx.get(base + "/discovery")
    stats = httpx.get(base + "/_emulator/stats").json()["counters"]
    assert stats["discovery"] == 2
    httpx.post(base + "/_emulator/reset-stats")
    assert "discovery" not in httpx.get(base + "/_emulator/stats").json()["counters"]
