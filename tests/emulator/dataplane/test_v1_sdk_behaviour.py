"""What azureml-core (issue 14) needs of the emulator, over plain HTTP in the gate's own venv (the SDK itself runs
in tests/microsoft_v1): the run context in a run's environment and the definition's interpreter, snapshots that
inherit unchanged files from their parent, ARM paths with a doubled slash and lower-case enums, nulls where the
SDK indexes, and model-management lists without a ``nextLink`` on their last page."""

from __future__ import annotations

import stat
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.generated.emulator_world import path_style

from .conftest import ARM_WS, SUB, E, M, P, definition, make_zip, start_run, wait_run

DP = {"api-version": "2019-11-01"}
CONTENT = f"/content/v2.0{ARM_WS}/snapshots"
ARTIFACTS = f"/artifact/v2.0{ARM_WS}/artifacts"

# Prints what it finds (never the token itself) and calls run history with the run token, as Run.get_context() does.
CONTEXT_SCRIPT = """import json, os, urllib.request
env = os.environ
print("mark:", env.get("V1_MARK", "none"))
for name in ("AZUREML_RUN_TOKEN", "AZUREML_RUN_TOKEN_EXPIRY", "AZUREML_WORKSPACE_ID", "AZUREML_EXPERIMENT_ID",
             "AZUREML_DISCOVERY_SERVICE_ENDPOINT", "AZUREML_SERVICE_ENDPOINT", "AZUREML_RUN_ID"):
    print(name, "set" if env.get(name) else "missing")
url = (env["AZUREML_SERVICE_ENDPOINT"] + "/history/v1.0/subscriptions/" + env["AZUREML_ARM_SUBSCRIPTION"]
       + "/resourceGroups/" + env["AZUREML_ARM_RESOURCEGROUP"] + "/providers/Microsoft.MachineLearningServices"
       + "/workspaces/" + env["AZUREML_ARM_WORKSPACE_NAME"] + "/experimentids/" + env["AZUREML_EXPERIMENT_ID"]
       + "/runs/" + env["AZUREML_RUN_ID"])
req = urllib.request.Request(url, headers={"Authorization": "Bearer " + env["AZUREML_RUN_TOKEN"]})
print("run status seen with the run token:", json.load(urllib.request.urlopen(req))["status"])
"""


def _driver_log(client: httpx.Client, run_id: str) -> str:
    path = f"{ARTIFACTS}/content/ExperimentRun/dcid.{run_id}/azureml-logs%2F70_driver_log.txt"
    resp = client.get(path, params=DP)
    assert resp.status_code == 200, resp.text
    return resp.text


def test_a_run_gets_its_context_and_the_definitions_interpreter(client: httpx.Client, tmp_path: Path) -> None:
    wrapper = tmp_path / "marked-python"
    wrapper.write_text(f'#!/bin/sh\nV1_MARK=wrapper exec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    doc = definition("context.py")
    doc["configuration"]["environment"] = {
        "python": {"userManagedDependencies": True, "interpreterPath": str(wrapper)}
    }
    started = start_run(client, "v1-context", doc, make_zip({"context.py": CONTEXT_SCRIPT}))
    assert started.status_code == 200, started.text
    run_id = started.json()["runId"]
    assert wait_run(client, "v1-context", run_id)["status"] == "Completed", _driver_log(client, run_id)
    log = _driver_log(client, run_id)
    assert "mark: wrapper" in log  # interpreterPath was used
    assert "missing" not in log, log
    assert "run status seen with the run token: Running" in log


def test_without_user_managed_dependencies_the_interpreter_path_is_not_used(client: httpx.Client) -> None:
    doc = definition("context.py")
    doc["configuration"]["environment"] = {"python": {"userManagedDependencies": False, "interpreterPath": "/nope"}}
    run_id = start_run(client, "v1-context", doc, make_zip({"context.py": CONTEXT_SCRIPT})).json()["runId"]
    assert wait_run(client, "v1-context", run_id)["status"] == "Completed"
    assert "mark: none" in _driver_log(client, run_id)


def _upload(client: httpx.Client, names_and_bodies: dict[str, bytes]) -> list[dict[str, Any]]:
    """getblob, then each file put path-style with the SAS handed out; the revisions for the snapshot body."""
    uris = client.post(f"{CONTENT}/getblob", params=DP, json={"FileNames": list(names_and_bodies)})
    assert uris.status_code == 200, uris.text
    revisions = []
    for node in uris.json()["fileNodes"]:
        parts = urlsplit(node["blobUri"])
        account = (parts.hostname or "").split(".", 1)[0]
        assert parts.hostname == f"{account}.blob.core.localhost"  # virtual-hosted, as the SDK's uploader needs
        body = names_and_bodies[node["fullName"]]
        put = httpx.put(path_style(str(client.base_url), node["blobUri"]), content=body,
                        headers={"x-ms-blob-type": "BlockBlob"})
        assert put.status_code == 201, put.text
        revisions.append({"FullName": node["fullName"], "BlobUri": node["blobUri"], "FileSize": len(body)})
    return revisions


def _tree(*names: str) -> dict[str, Any]:
    children = {n: {"name": n, "type": "File", "hash": n, "timestamp": "t", "children": {}} for n in names}
    return {"name": "", "type": "Directory", "hash": "root", "timestamp": "t", "children": children}


def test_a_snapshot_takes_unchanged_files_from_its_parent(client: httpx.Client) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    files = {"main.py": b"import helper\nprint('helper says', helper.WORD)\n", "helper.py": b"WORD = 'one'\n"}
    body = {"ParentSnapshotId": None, "DirTreeNode": _tree("helper.py", "main.py"),
            "FileRevisionList": {"FileNodes": _upload(client, files)}}  # fmt: skip
    assert client.post(f"{CONTENT}/{first}", params=DP, json=body).status_code == 200
    latest = client.get(f"/content/v1.0{ARM_WS}/snapshots/latest/metadata", params=DP).json()
    assert latest["id"] == first and set(latest["root"]["children"]) == {"helper.py", "main.py"}
    # the second snapshot sends only what changed, as the SDK does after diffing against the latest
    body = {"ParentSnapshotId": first, "DirTreeNode": _tree("helper.py", "main.py"),
            "FileRevisionList": {"FileNodes": _upload(client, {"helper.py": b"WORD = 'two'\n"})}}  # fmt: skip
    assert client.post(f"{CONTENT}/{second}", params=DP, json=body).status_code == 200
    doc = {"Configuration": {"Script": "main.py", "Target": "cpu-compute"}, "SnapshotId": second}
    started = client.post(f"{E}/experiments/v1-snap/snapshotrun", params=DP, json=doc)
    assert started.status_code == 200, started.text
    run_id = started.json()["runId"]
    assert wait_run(client, "v1-snap", run_id)["status"] == "Completed"
    assert "helper says two" in _driver_log(client, run_id)


def test_a_snapshot_with_an_unknown_parent_or_a_missing_file_is_refused(client: httpx.Client) -> None:
    body = {"ParentSnapshotId": str(uuid.uuid4()), "DirTreeNode": _tree("a.py"), "FileRevisionList": {}}
    assert client.post(f"{CONTENT}/{uuid.uuid4()}", params=DP, json=body).status_code == 400
    body = {"ParentSnapshotId": None, "DirTreeNode": _tree("a.py"), "FileRevisionList": {"FileNodes": []}}
    refused = client.post(f"{CONTENT}/{uuid.uuid4()}", params=DP, json=body)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "SnapshotFileMissing"


def test_arm_double_slash_lower_case_enum_and_nulls(client: httpx.Client) -> None:
    name = "v1-" + uuid.uuid4().hex[:6]
    body = {"location": "eastus", "properties": {"computeType": "AmlCompute", "properties": {
        "vmSize": "STANDARD_D2_V2", "vmPriority": "dedicated",
        "scaleSettings": {"maxNodeCount": 1, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT120S"}}}}  # fmt: skip
    doubled = f"{str(client.base_url).rstrip('/')}/{ARM_WS}/computes/{name}"  # '//subscriptions/...'
    put = client.put(doubled, params={"api-version": "2020-02-02"}, json=body)
    assert put.status_code in (200, 201), put.text
    got = client.get(f"/rp/workspaces{ARM_WS}/computes/{name}", params={"api-version": "2020-02-02"}).json()
    props = got["properties"]
    assert props["properties"]["vmPriority"] == "Dedicated"
    for key in ("description", "resourceId", "provisioningErrors"):
        assert key in props and props[key] is None
    assert "subnet" in props["properties"] and props["properties"]["subnet"] is None
    bad = dict(body, properties={**body["properties"], "properties": {"vmSize": "X", "vmPriority": "spot"}})
    refused = client.put(f"{ARM_WS}/computes/{name}-bad", params={"api-version": "2020-02-02"}, json=bad)
    assert refused.status_code == 400


@pytest.mark.parametrize("collection", ["models", "services", "assets"])
def test_mms_lists_have_no_next_link_on_their_last_page(client: httpx.Client, collection: str) -> None:
    body = client.get(f"{M}/{collection}", params={"api-version": "2018-11-19"}).json()
    assert "value" in body and "nextLink" not in body


def test_workspaces_through_the_generic_resource_listing(client: httpx.Client) -> None:
    query = {"api-version": "2025-04-01", "$filter": "resourceType eq 'Microsoft.MachineLearningServices/workspaces'"}
    listed = client.get(f"/subscriptions/{SUB}/resources", params=query).json()["value"]
    assert ARM_WS in [r["id"] for r in listed]
    other = {**query, "$filter": "resourceType eq 'Microsoft.Storage/storageAccounts'"}
    assert client.get(f"/subscriptions/{SUB}/resources", params=other).json()["value"] == []
    assert client.get(f"{P}/experiments", params=DP).status_code == 200  # the history API is unaffected
