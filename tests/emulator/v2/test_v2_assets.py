"""Code, environment and model assets (2025-12-01) over HTTP, in the sequences azure-ai-ml 1.35 sends."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, verify_for
from tests.emulator.v2.v2_support import V2Workspace, arm_error

CODES_API = "2023-04-01"  # what azure-ai-ml 1.35 pins for codes


@pytest.fixture
def space(arm: Arm) -> V2Workspace:
    return V2Workspace(arm)


def _upload(emu: RunningEmulator, sas_uri: str, blob: str, data: bytes) -> httpx.Response:
    base, _, query = sas_uri.partition("?")
    return httpx.put(
        f"{base}/{blob}?{query}",
        content=data,
        headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06"},
        verify=verify_for(emu),
    )


def test_code_upload_as_azure_ai_ml_does_it(emulator: RunningEmulator, space: V2Workspace) -> None:
    digest = hashlib.sha256(b"print('hello')").hexdigest()
    name = str(uuid.uuid4())  # anonymous code: a fresh name each time
    query = {"hash": digest, "hashVersion": "202208"}
    miss = space.call("GET", f"/codes/{name}/versions", api=CODES_API, params=query)
    assert miss.status_code == 200 and miss.json()["value"] == []

    r = space.call(
        "POST",
        f"/codes/{name}/versions/1/startPendingUpload",
        api=CODES_API,
        json={"pendingUploadType": "TemporaryBlobReference"},
    )
    assert r.status_code == 200, r.text
    ref = r.json()["blobReferenceForConsumption"]
    ws = space.workspace()
    container = f"azureml-blobstore-{ws['properties']['workspaceId']}"
    assert ref["blobUri"].startswith(f"{emulator.base_url}/") and f"/{container}/LocalUpload/" in ref["blobUri"]
    assert ref["credential"]["credentialType"] == "SAS" and ref["credential"]["sasUri"].startswith(ref["blobUri"] + "?")
    assert ref["storageAccountArmId"] == ws["properties"]["storageAccount"]
    assert r.json()["pendingUploadType"] == "TemporaryBlobReference"
    # the SAS lets the client upload the folder under the reference
    assert _upload(emulator, ref["credential"]["sasUri"], "src/hello.py", b"print('hello')").status_code == 201
    forged = ref["credential"]["sasUri"].replace("sig=", "sig=AAAA")
    assert _upload(emulator, forged, "src/evil.py", b"x").status_code == 403
    base, _, sas = ref["credential"]["sasUri"].partition("?")
    got = httpx.get(f"{base}/src/hello.py?{sas}", verify=verify_for(emulator))
    assert got.status_code == 200 and got.content == b"print('hello')"

    body = {"properties": {"codeUri": ref["blobUri"] + "/src", "isAnonymous": True,
                           "properties": {"hash_sha256": digest, "hash_version": 202208}}}  # fmt: skip
    put = space.call("PUT", f"/codes/{name}/versions/1", api=CODES_API, json=body)
    assert put.status_code == 201, put.text
    assert put.json()["id"].endswith(f"/codes/{name}/versions/1")
    assert put.json()["properties"]["properties"]["hash_version"] == "202208"

    # the next submit looks the hash up under another fresh name and finds this version
    hit = space.call("GET", f"/codes/{uuid.uuid4()}/versions", api=CODES_API, params=query).json()["value"]
    assert [h["id"] for h in hit] == [put.json()["id"]]
    other_version = space.call("GET", f"/codes/{uuid.uuid4()}/versions", params={**query, "hashVersion": "1"})
    assert other_version.json()["value"] == []
    container_doc = space.call("GET", f"/codes/{name}").json()
    assert container_doc["properties"]["latestVersion"] == "1" and container_doc["properties"]["nextVersion"] == "2"
    assert space.call("PUT", f"/codes/{name}/versions/1", api=CODES_API, json=body).status_code == 200
    moved = {"properties": {**body["properties"], "codeUri": ref["blobUri"] + "/moved"}}  # codeUri is mutable
    again = space.call("PUT", f"/codes/{name}/versions/1", api=CODES_API, json=moved)
    assert again.status_code == 200 and again.json()["properties"]["codeUri"].endswith("/moved")
    anonymous_changed = {"properties": {**body["properties"], "isAnonymous": False}}  # create-only
    assert arm_error(space.call("PUT", f"/codes/{name}/versions/1", json=anonymous_changed), 409)["code"] == "Conflict"


def test_environment_versions(space: V2Workspace) -> None:
    api = "2023-04-01-preview"
    path = "/environments/CliV2AnonymousEnvironment/versions/" + "a" * 64
    body = {"properties": {"image": "python:3.11-slim", "isAnonymous": True, "isArchived": False}}
    first = space.call("PUT", path, api=api, json=body)
    assert first.status_code == 201, first.text
    props = first.json()["properties"]
    assert props["image"] == "python:3.11-slim" and props["environmentType"] == "UserCreated"
    assert props["osType"] == "Linux" and props["provisioningState"] == "Succeeded"
    assert space.call("PUT", path, api=api, json=body).status_code == 200  # sent again on every submit
    changed = {"properties": {"image": "python:3.12-slim", "isAnonymous": True}}
    assert arm_error(space.call("PUT", path, json=changed), 409)["code"] == "Conflict"
    archived = {"properties": {**body["properties"], "isArchived": True, "description": "old"}}
    assert space.call("PUT", path, json=archived).json()["properties"]["description"] == "old"
    listed = space.call("GET", "/environments/CliV2AnonymousEnvironment/versions").json()["value"]
    assert listed == []  # ActiveOnly by default
    everything = space.call("GET", "/environments/CliV2AnonymousEnvironment/versions", params={"listViewType": "All"})
    assert len(everything.json()["value"]) == 1
    assert [c["name"] for c in space.call("GET", "/environments").json()["value"]] == ["CliV2AnonymousEnvironment"]
    build = {"properties": {"build": {"contextUri": "https://x/ctx", "dockerfilePath": "Dockerfile"}}}
    assert space.call("PUT", "/environments/built/versions/1", json=build).status_code == 201
    assert arm_error(space.call("PUT", "/environments/none/versions/1", json={"properties": {}}), 400)
    assert space.call("DELETE", path).status_code == 200
    assert space.call("DELETE", path).status_code == 204
    assert arm_error(space.call("GET", path), 404)["code"] == "ResourceNotFound"


def test_model_versions(space: V2Workspace) -> None:
    api = "2023-08-01-preview"
    latest = space.call("GET", "/models/mnist/versions", api=api, params={"$orderBy": "createdtime desc", "$top": "1"})
    assert latest.status_code == 200 and latest.json()["value"] == []
    uri = "azureml://jobs/job-123/outputs/artifacts/paths/outputs/"
    for version in ("1", "2"):
        body = {"properties": {"modelType": "custom_model", "modelUri": uri, "isAnonymous": False,
                               "isArchived": False, "tags": {"v": version}, "properties": {}}}  # fmt: skip
        r = space.call("PUT", f"/models/mnist/versions/{version}", api=api, json=body)
        assert r.status_code == 201, r.text
        assert r.json()["properties"]["flavors"] == {} and r.json()["properties"]["jobName"] == "job-123"
    newest = space.call("GET", "/models/mnist/versions", params={"$orderBy": "createdtime desc", "$top": "1"})
    assert [v["name"] for v in newest.json()["value"]] == ["2"]
    oldest = space.call("GET", "/models/mnist/versions", params={"$orderBy": "createdtime asc"})
    assert [v["name"] for v in oldest.json()["value"]] == ["1", "2"]
    container = space.call("GET", "/models/mnist").json()["properties"]
    assert container["latestVersion"] == "2" and container["nextVersion"] == "3"
    file_uri = (
        f"azureml://subscriptions/{space.arm.sub}/resourcegroups/{space.rg}/workspaces/{space.ws}"
        f"/datastores/workspaceblobstore/paths/LocalUpload/{'b' * 64}/model.pkl"
    )
    from_file = {"properties": {"modelUri": file_uri, "modelType": "custom_model"}}
    assert space.call("PUT", "/models/local-model/versions/1", json=from_file).status_code == 201
    for bad_uri in ("file:///etc/passwd", "azureml://datastores/x/paths/../../etc", "", 7):
        r = space.call("PUT", "/models/bad/versions/1", json={"properties": {"modelUri": bad_uri}})
        assert arm_error(r, 400)["code"] == "BadArgument"
    assert arm_error(space.call("GET", "/models/mnist/versions", params={"$orderBy": "name; drop"}), 400)
    assert arm_error(space.call("GET", "/models/mnist/versions", params={"$top": "0"}), 400)
    assert space.call("DELETE", "/models/mnist").status_code == 200
    assert arm_error(space.call("GET", "/models/mnist/versions/1"), 404)


def test_assets_go_with_their_workspace(space: V2Workspace) -> None:
    arm = space.arm
    body = {"properties": {"image": "python:3.11-slim"}}
    assert space.call("PUT", "/environments/env/versions/1", json=body).status_code == 201
    r = arm.request("DELETE", space.path)
    assert arm.wait(r.headers["Location"]).status_code in (200, 204)
    again = arm.request("PUT", space.path, json=arm.workspace_body(space.rg))
    assert arm.wait(again.headers["Location"]).status_code == 200
    assert arm_error(space.call("GET", "/environments/env/versions/1"), 404)
    assert space.call("GET", "/environments").json()["value"] == []


def test_names_keep_their_case_and_fixed_segments_do_not_matter(space: V2Workspace) -> None:
    body = {"properties": {"image": "python:3.11-slim"}}
    r = space.call("PUT", "/ENVIRONMENTS/Runs/Versions/Models", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["id"].endswith("/environments/Runs/versions/Models") and r.json()["name"] == "Models"
    assert space.call("GET", "/environments/Runs").json()["name"] == "Runs"
