"""The conformance walkthrough at 2025-12-01, ARM resources and assets: the workspace reads, a compute's life
(create, both polling URLs, delete), datastores (listSecrets included), code (the content-hash lookup,
startPendingUpload, the files put to the emulator's blob store with the SAS by plain httpx Put Blob),
environments and models (each version and container deleted at the end), plus the error answers of this
surface; and the workspace-level reads of every side-by-side api-version (specs/versions/) at that version."""

from __future__ import annotations

import hashlib
import re
import uuid

import httpx
from azureml_rest._registry import GROUPS

from tests.generated.emulator_world import ML, World, ok
from tests.generated.ml_world import SCORE_PY, V2, compute_body, datastore_props, unique, upload
from tests.tools.openapi_validation import spec_name, spec_paths

from .walk_common import follow, ml_env

HASH_VERSION = "202208"  # azure-ai-ml's content-hash version (operations/_code_operations.py)


def walk_assets(http: httpx.Client, w: World) -> None:
    """Every workspace, compute, datastore, code, environment and model operation of specs/machinelearning.yaml."""
    _workspaces_and_computes(http, w)
    _datastores(http, w)
    _codes(http, w)
    _environments(http, w)
    _models(http, w)
    _errors(http, w)


def walk_side_by_side(http: httpx.Client, w: World) -> None:
    """Every workspace-level read (a GET whose only parameters are the workspace's path) of each side-by-side
    api-version of machinelearning the registry lists (specs/versions/), at that api-version: checked against that
    version's own spec (nothing before the first bump)."""
    info = GROUPS["machinelearning"]
    names = {"subscriptionId": w.sub, "resourceGroupName": w.rg, "workspaceName": w.ws}
    for version in (v for v in info.versions if v != info.api_version):
        for template, item in spec_paths(spec_name("machinelearning", version)).items():
            if "get" in item and set(re.findall(r"\{(\w+)\}", template)) <= set(names):
                ok(http.get(template.format(**names), params={"api-version": version}))


def _workspaces_and_computes(http: httpx.Client, w: World) -> None:
    ws = w.ws_path
    ok(http.get(ws, params=V2))
    ok(http.get(f"/subscriptions/{w.sub}/providers/{ML}/workspaces", params=V2))
    ok(http.get(f"/subscriptions/{w.sub}/resourceGroups/{w.rg}/providers/{ML}/workspaces", params=V2))
    compute = f"{ws}/computes/v2c{uuid.uuid4().hex[:6]}"
    final = follow(http, ok(http.put(compute, params=V2, json=compute_body(w.location)), 201))
    assert final.status_code == 200 and final.json()["properties"]["provisioningState"] == "Succeeded", final.text
    ok(http.get(f"{ws}/computes", params=V2))
    ok(http.get(compute, params=V2))
    follow(http, ok(http.delete(compute, params={**V2, "underlyingResourceAction": "Delete"}), 200, 202, 204))
    assert http.get(compute, params=V2).status_code == 404


def _datastores(http: httpx.Client, w: World) -> None:
    stores = f"{w.ws_path}/datastores"
    ok(http.get(stores, params={**V2, "isDefault": "true"}))
    ok(http.get(f"{stores}/workspaceblobstore", params=V2))
    expiry = {"expirableSecret": True, "expireAfterHours": 1}
    ok(http.post(f"{stores}/workspaceblobstore/listSecrets", params=V2, json=expiry))
    mine = f"{stores}/{unique('walk_ds').replace('-', '_')}"
    ok(http.put(mine, params={**V2, "skipValidation": "true"}, json={"properties": datastore_props("walk")}), 200, 201)
    ok(http.post(f"{mine}/listSecrets", params=V2))
    ok(http.delete(mine, params=V2), 200, 204)


def _codes(http: httpx.Client, w: World) -> None:
    e = ml_env(http, w)
    codes = f"{w.ws_path}/codes"
    script = f"{SCORE_PY}# {uuid.uuid4()}\n"  # content of its own: the hash lookup spans every code asset
    digest = hashlib.sha256(script.encode()).hexdigest()
    lookup = {**V2, "hash": digest, "hashVersion": HASH_VERSION}
    assert ok(http.get(f"{codes}/{uuid.uuid4()}/versions", params=lookup)).json()["value"] == []
    folder = upload(e, {"src/score.py": script})  # startPendingUpload, then Put Blob with its SAS
    name = unique("walk-code")
    hashed = {"hash_sha256": digest, "hash_version": HASH_VERSION}
    version = {"properties": {"codeUri": f"{folder}/src", "isAnonymous": True, "properties": hashed}}
    ok(http.put(f"{codes}/{name}/versions/1", params=V2, json=version), 200, 201)
    found = ok(http.get(f"{codes}/{uuid.uuid4()}/versions", params=lookup)).json()["value"]
    assert [v["name"] for v in found] == ["1"] and f"/codes/{name}/" in found[0]["id"], found
    ok(http.get(f"{codes}/{name}/versions/1", params=V2))
    ok(http.get(f"{codes}/{name}/versions", params=V2))
    ok(http.get(f"{codes}/{name}", params=V2))
    ok(http.put(f"{codes}/{name}", params=V2, json={"properties": {"description": "walked"}}), 200, 201)
    ok(http.get(codes, params=V2))
    _delete_asset(http, codes, name)


def _environments(http: httpx.Client, w: World) -> None:
    envs, name = f"{w.ws_path}/environments", unique("walk-env")
    image = {"properties": {"image": "python:3.11-slim", "description": "walk"}}
    ok(http.put(f"{envs}/{name}/versions/1", params=V2, json=image), 200, 201)
    ok(http.get(f"{envs}/{name}/versions/1", params=V2))
    ok(http.get(f"{envs}/{name}/versions", params=V2))
    ok(http.put(f"{envs}/{name}", params=V2, json={"properties": {"description": "walked"}}), 200, 201)
    ok(http.get(f"{envs}/{name}", params=V2))
    ok(http.get(envs, params=V2))
    _delete_asset(http, envs, name)


def _models(http: httpx.Client, w: World) -> None:
    models, name = f"{w.ws_path}/models", unique("walk-model")
    folder = upload(ml_env(http, w), {"model/weights.json": '{"factor": 3}'})
    body = {"properties": {"modelType": "custom_model", "modelUri": f"{folder}/model/"}}
    ok(http.put(f"{models}/{name}/versions/1", params=V2, json=body), 200, 201)
    ok(http.get(f"{models}/{name}/versions/1", params=V2))
    ok(http.get(f"{models}/{name}/versions", params={**V2, "$orderBy": "createdtime desc", "$top": "1"}))
    ok(http.put(f"{models}/{name}", params=V2, json={"properties": {"description": "walked"}}), 200, 201)
    ok(http.get(f"{models}/{name}", params=V2))
    ok(http.get(models, params=V2))
    _delete_asset(http, models, name)


def _delete_asset(http: httpx.Client, collection: str, name: str) -> None:
    """Version 1 deleted, then the container; a second delete of either answers 204 (not long-running)."""
    version = f"{collection}/{name}/versions/1"
    ok(http.delete(version, params=V2), 200)
    ok(http.delete(version, params=V2), 204)
    ok(http.delete(f"{collection}/{name}", params=V2), 200)
    ok(http.delete(f"{collection}/{name}", params=V2), 204)
    assert http.get(f"{collection}/{name}", params=V2).status_code == 404


def _errors(http: httpx.Client, w: World) -> None:
    """The ARM error shape on this surface too: unknown names, a bad body, an unknown discriminator value."""
    ws, missing = w.ws_path, unique("nope")
    assert http.get(f"{ws}/codes/{missing}/versions/1", params=V2).status_code == 404
    assert http.get(f"{ws}/onlineEndpoints/{missing}", params=V2).status_code == 404
    assert http.get(f"{ws}/jobs/{missing}", params=V2).status_code == 404
    assert http.get(f"{ws}/datastores/{missing}", params=V2).status_code == 404
    bad = http.put(f"{ws}/computes/{missing[:12]}", params=V2, json={"properties": {"computeType": "Nope"}})
    assert bad.status_code == 400
    assert http.put(f"{ws}/environments/{missing}/versions/1", params=V2, content=b"{").status_code == 400
