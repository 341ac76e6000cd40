"""Datastores (2025-12-01): the workspace's system datastores on its blob account, user datastores, secrets."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
from collections.abc import Callable

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, verify_for
from tests.emulator.v2.v2_support import V2Workspace, arm_error

SECRET = "c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw=="


@pytest.fixture
def space(arm: Arm) -> V2Workspace:
    return V2Workspace(arm)


def _shared_key_list(emu: RunningEmulator, account: str, key: str, container: str) -> httpx.Response:
    """List Blobs signed with SharedKey (the string to sign of the Blob service, version 2021-08-06)."""
    date = email.utils.formatdate(usegmt=True)
    version = "2021-08-06"
    resource = f"/{account}/{account}/{container}\ncomp:list\nrestype:container"
    to_sign = "GET\n" + "\n" * 11 + f"x-ms-date:{date}\nx-ms-version:{version}\n" + resource
    sig = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest()).decode()
    return httpx.get(
        f"{emu.base_url}/{account}/{container}",
        params={"restype": "container", "comp": "list"},
        headers={"x-ms-date": date, "x-ms-version": version, "Authorization": f"SharedKey {account}:{sig}"},
        verify=verify_for(emu),
    )


def test_default_datastore_is_the_workspace_blob_container(emulator: RunningEmulator, space: V2Workspace) -> None:
    ws = space.workspace()
    # the query azure-ai-ml's jobs.download sends
    r = space.call(
        "GET",
        "/datastores",
        api="2024-10-01-preview",
        params={"count": "30", "isDefault": "true", "orderByAsc": "false"},
    )
    assert r.status_code == 200, r.text
    (default,) = r.json()["value"]
    props = default["properties"]
    account = ws["properties"]["storageAccount"].rsplit("/", 1)[-1]
    assert default["name"] == "workspaceblobstore" and props["isDefault"] is True
    assert props["datastoreType"] == "AzureBlob" and props["accountName"] == account
    assert props["containerName"] == f"azureml-blobstore-{ws['properties']['workspaceId']}"
    assert props["credentials"] == {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey"}}
    names = {d["name"] for d in space.call("GET", "/datastores").json()["value"]}
    assert names == {"workspaceblobstore", "workspaceartifactstore"}
    artifacts = space.call("GET", "/datastores/workspaceartifactstore").json()["properties"]
    assert artifacts["containerName"] == "azureml" and artifacts["isDefault"] is False

    secrets = space.call("POST", "/datastores/workspaceblobstore/listSecrets", json={"expirableSecret": True})
    assert secrets.status_code == 200 and secrets.json()["secretsType"] == "AccountKey"
    key = secrets.json()["key"]
    # the key is the blob store's key for that account, and its containers exist there
    listed = httpx.get(f"{emulator.base_url}/_emulator/storage/accounts", verify=verify_for(emulator)).json()
    assert {"name": account, "key": key}.items() <= next(a for a in listed["value"] if a["name"] == account).items()
    assert _shared_key_list(emulator, account, key, props["containerName"]).status_code == 200
    assert _shared_key_list(emulator, account, key, "azureml").status_code == 200
    # the v1 listKeys hands out the same account key
    keys = space.call("POST", "/listKeys", api="2019-11-01").json()
    assert keys["userStorageKey"] == key


def test_system_datastores_cannot_be_replaced_or_deleted(space: V2Workspace) -> None:
    assert arm_error(space.call("DELETE", "/datastores/workspaceblobstore"), 400)
    body = {"properties": {"datastoreType": "AzureBlob", "accountName": "a", "containerName": "c",
                           "credentials": {"credentialsType": "None"}}}  # fmt: skip
    assert arm_error(space.call("PUT", "/datastores/workspaceartifactstore", json=body), 400)


def test_user_datastore_keeps_its_secret_apart(space: V2Workspace) -> None:
    body = {
        "properties": {
            "datastoreType": "AzureBlob",
            "accountName": "otheraccount",
            "containerName": "data",
            "description": "mine",
            "credentials": {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey", "key": SECRET}},
        }
    }
    r = space.call("PUT", "/datastores/mydata", json=body)
    assert r.status_code == 201, r.text
    assert SECRET not in r.text and r.json()["properties"]["credentials"]["secrets"] == {"secretsType": "AccountKey"}
    assert space.call("PUT", "/datastores/mydata", json=body).status_code == 200
    got = space.call("GET", "/datastores/mydata")
    assert SECRET not in got.text and got.json()["properties"]["isDefault"] is False
    assert SECRET not in space.call("GET", "/datastores").text
    listed = space.call("POST", "/datastores/mydata/listSecrets")
    assert listed.json() == {"secretsType": "AccountKey", "key": SECRET}
    # filters: names, searchText
    names = space.call("GET", "/datastores", params={"names": "mydata,workspaceblobstore"}).json()["value"]
    assert {d["name"] for d in names} == {"mydata", "workspaceblobstore"}
    found = space.call("GET", "/datastores", params={"searchText": "myd"}).json()["value"]
    assert [d["name"] for d in found] == ["mydata"]
    assert space.call("DELETE", "/datastores/mydata").status_code == 200
    assert space.call("DELETE", "/datastores/mydata").status_code == 204
    assert arm_error(space.call("GET", "/datastores/mydata"), 404)["code"] == "ResourceNotFound"
    assert arm_error(space.call("POST", "/datastores/mydata/listSecrets"), 404)


def test_sas_and_identity_datastores(space: V2Workspace) -> None:
    sas = {"properties": {"datastoreType": "AzureBlob", "accountName": "acc", "containerName": "c",
                          "credentials": {"credentialsType": "Sas",
                                          "secrets": {"secretsType": "Sas", "sasToken": "sv=x&sig=y"}}}}  # fmt: skip
    assert space.call("PUT", "/datastores/viasas", json=sas).status_code == 201
    assert space.call("POST", "/datastores/viasas/listSecrets").json() == {
        "secretsType": "Sas",
        "sasToken": "sv=x&sig=y",
    }
    none = {"properties": {"datastoreType": "AzureDataLakeGen2", "accountName": "acc", "filesystem": "fs",
                           "credentials": {"credentialsType": "None"}}}  # fmt: skip
    assert space.call("PUT", "/datastores/viaidentity", json=none).status_code == 201
    assert arm_error(space.call("POST", "/datastores/viaidentity/listSecrets"), 400)["code"] == "NoSecrets"


@pytest.mark.parametrize(
    "props",
    [
        {"datastoreType": "AzureTable", "credentials": {"credentialsType": "None"}},  # unknown discriminator
        {"datastoreType": "AzureBlob", "accountName": "a", "containerName": "c",
         "credentials": {"credentialsType": "Kerberos"}},  # unknown credentials discriminator
        {"datastoreType": "AzureBlob", "accountName": "a", "containerName": "c",
         "credentials": {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey"}}},  # no key
        {"datastoreType": "AzureFile", "accountName": "a", "credentials": {"credentialsType": "None"}},  # no share
        {"datastoreType": "AzureBlob", "accountName": "a", "containerName": "c"},  # no credentials
    ],
)  # fmt: skip
def test_datastore_put_refusals(space: V2Workspace, props: dict[str, object]) -> None:
    r = space.call("PUT", "/datastores/refused", json={"properties": props})
    assert arm_error(r, 400)["code"] == "BadArgument"
    assert arm_error(space.call("GET", "/datastores/refused"), 404)


def test_datastore_paging_uses_skip(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(page_size=1)
    arm = Arm(emu)
    try:
        space = V2Workspace(arm)
        first = space.call("GET", "/datastores").json()
        assert len(first["value"]) == 1 and "$skip=" in first["nextLink"]
        second = arm.client.get(first["nextLink"]).json()
        assert len(second["value"]) == 1 and "nextLink" not in second
        assert {first["value"][0]["name"], second["value"][0]["name"]} == {
            "workspaceblobstore",
            "workspaceartifactstore",
        }
        bad = space.call("GET", "/datastores", params={"$skip": "!!"})
        assert arm_error(bad, 400)["code"] == "InvalidSkipToken"
    finally:
        arm.client.close()


def test_secret_expiry_body_must_be_an_object(space: V2Workspace) -> None:
    r = space.call("POST", "/datastores/workspaceblobstore/listSecrets", content=b"[1]")
    assert arm_error(r, 400)["code"] == "InvalidRequestContent"
    # the emulator still serves
    assert space.call("GET", "/datastores/workspaceblobstore").status_code == 200
