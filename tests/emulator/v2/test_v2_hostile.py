"""Hostile input to the v2 asset routes: every refusal is an ARM error and the emulator keeps serving."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm
from tests.emulator.v2.v2_support import V2Workspace, arm_error


@pytest.fixture
def space(arm: Arm) -> V2Workspace:
    return V2Workspace(arm)


@pytest.mark.parametrize(
    "content",
    [b"{", b"[]", b"", b"null", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"properties": 3}'],
)
@pytest.mark.parametrize(
    "path",
    ["/codes/c/versions/1", "/environments/e/versions/1", "/models/m/versions/1", "/datastores/d", "/computes/comp1",
     "/codes/c/versions/1/startPendingUpload"],
)  # fmt: skip
def test_malformed_bodies(space: V2Workspace, path: str, content: bytes) -> None:
    method = "POST" if path.endswith("startPendingUpload") else "PUT"
    r = space.call(method, path, content=content, headers={"Content-Type": "application/json"})
    if method == "POST" and content == b'{"properties": 3}':
        assert r.status_code == 200  # PendingUploadRequestDto has no 'properties': an unknown field is ignored
        return
    assert arm_error(r, 400)["code"] in ("InvalidRequestContent", "BadArgument")


@pytest.mark.parametrize(
    "name",
    ["%2E%2E", "%2e%2E%2F%2E%2E", ".hidden", "a%2Fb", "a%5Cb", "%00", "x" * 256, "-dash", "a%20b", "%E2%80%AEevil"],
)
def test_names_with_traversal_or_odd_characters(space: V2Workspace, name: str) -> None:
    for sub_path in (f"/codes/{name}/versions/1", f"/models/m/versions/{name}", f"/environments/{name}"):
        r = space.call("PUT", sub_path, json={"properties": {"image": "x", "modelUri": "https://x/m"}})
        assert r.status_code in (400, 404), (sub_path, r.text)
        assert set(r.json()) == {"error"}
    assert space.call("GET", "/codes").status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/codes/c/versions/1/startPendingUpload", {"pendingUploadType": "FtpUpload"}),
        ("/codes/c/versions/1/startPendingUpload", {"pendingUploadId": "../../x"}),
        ("/environments/e/versions/1", {"properties": {"image": "x", "osType": "Plan9"}}),
        ("/environments/e/versions/1",
         {"properties": {"image": "x", "inferenceConfig": {"scoringRoute": {"path": "s"}}}}),
        ("/codes/c/versions/1", {"properties": {"codeUri": 5}}),
        ("/codes/c/versions/1", {"properties": {"tags": {"a": {"b": 1}}}}),
        ("/codes/c/versions/1", {"properties": {"isAnonymous": "yes"}}),
        ("/models/m/versions/1", {"properties": {"modelUri": "https://x/m", "flavors": {"python": 3}}}),
    ],
)  # fmt: skip
def test_unknown_values_and_wrong_types(space: V2Workspace, path: str, body: dict[str, object]) -> None:
    method = "POST" if path.endswith("startPendingUpload") else "PUT"
    assert arm_error(space.call(method, path, json=body), 400)["code"] == "BadArgument"


def test_list_view_type_must_be_known(space: V2Workspace) -> None:
    r = space.call("GET", "/models", params={"listViewType": "Everything"})
    assert arm_error(r, 400)["code"] == "BadArgument"


def test_assets_survive_a_restart(make_emulator: Callable[..., RunningEmulator], tmp_path: Path) -> None:
    first = make_emulator(data_dir=tmp_path)
    arm = Arm(first)
    try:
        space = V2Workspace(arm)
        body = {"properties": {"modelUri": "azureml://jobs/j/outputs/artifacts/paths/model/"}}
        assert space.call("PUT", "/models/kept/versions/1", json=body).status_code == 201
        key = space.call("POST", "/datastores/workspaceblobstore/listSecrets").json()["key"]
    finally:
        arm.client.close()
        first.stop()
    second = make_emulator(data_dir=tmp_path)
    arm2 = Arm(second)
    try:
        path = arm2.ws_path(space.rg, space.ws)
        got = arm2.request("GET", path + "/models/kept/versions/1", api="2025-12-01")
        assert got.status_code == 200 and got.json()["properties"]["modelUri"].endswith("/paths/model/")
        again = arm2.request("POST", path + "/datastores/workspaceblobstore/listSecrets", api="2025-12-01")
        assert again.json()["key"] == key
    finally:
        arm2.client.close()
