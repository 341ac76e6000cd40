"""SharedKey and SAS refusals in Storage's shape, over raw HTTP with SAS tokens signed by azure-storage-blob."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import httpx
import pytest
from azure.storage.blob import (
    AccountSasPermissions,
    BlobClient,
    BlobSasPermissions,
    ResourceTypes,
    generate_account_sas,
    generate_blob_sas,
)

from tests.emulator.blobstore.support import DEV_ACCOUNT, account_key, container_sas, new_name, path_style
from tests.emulator_fixture import Emulator

NOW = dt.datetime.now(dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def setup(emulator: Emulator) -> tuple[str, str, str]:
    """(account URL, key, container) with blob ``a.txt`` = ``hello``."""
    key = account_key(emulator)
    name = new_name("auth")
    client = path_style(emulator).get_container_client(name)
    client.create_container()
    client.upload_blob("a.txt", b"hello")
    return f"{emulator.base_url}/{DEV_ACCOUNT}", key, name


def _refused(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["x-ms-error-code"] == code
    assert r.headers["x-ms-request-id"] and r.headers["x-ms-version"]
    if r.request.method != "HEAD":
        root = ET.fromstring(r.content)  # noqa: S314 (our own emulator's answer)
        assert root.tag == "Error" and root.findtext("Code") == code
        assert "RequestId:" + r.headers["x-ms-request-id"] in (root.findtext("Message") or "")


def test_expired_and_not_yet_valid_sas(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    expired = container_sas(DEV_ACCOUNT, key, c, "r", expiry=NOW - HOUR, start=NOW - 2 * HOUR)
    _refused(httpx.get(f"{url}/{c}/a.txt?{expired}"), 403, "AuthenticationFailed")
    future = container_sas(DEV_ACCOUNT, key, c, "r", expiry=NOW + 2 * HOUR, start=NOW + HOUR)
    _refused(httpx.get(f"{url}/{c}/a.txt?{future}"), 403, "AuthenticationFailed")
    assert httpx.get(f"{url}/{c}/a.txt?{container_sas(DEV_ACCOUNT, key, c, 'r')}").content == b"hello"


def test_tampered_and_misused_signatures(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    sas = container_sas(DEV_ACCOUNT, key, c, "r")
    tampered = sas.replace("sp=r", "sp=rw")
    r = httpx.put(f"{url}/{c}/b.txt?{tampered}", content=b"x", headers={"x-ms-blob-type": "BlockBlob"})
    _refused(r, 403, "AuthenticationFailed")
    sig = dict(p.split("=", 1) for p in sas.split("&"))["sig"]
    assert sig not in r.text
    other = new_name("other")
    _refused(httpx.get(f"{url}/{other}/a.txt?{sas}"), 403, "AuthenticationFailed")
    wrong_key = container_sas(DEV_ACCOUNT, "A" * 86 + "==", c, "r")
    _refused(httpx.get(f"{url}/{c}/a.txt?{wrong_key}"), 403, "AuthenticationFailed")


def test_blob_sas_is_scoped_to_its_blob(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    sas = generate_blob_sas(DEV_ACCOUNT, c, "a.txt", account_key=key, permission=BlobSasPermissions(read=True),
                            expiry=NOW + HOUR)
    assert httpx.get(f"{url}/{c}/a.txt?{sas}").content == b"hello"
    _refused(httpx.get(f"{url}/{c}/b.txt?{sas}"), 403, "AuthenticationFailed")
    _refused(httpx.get(f"{url}/{c}?restype=container&comp=list&{sas}"), 403, "AuthorizationResourceTypeMismatch")


def test_permissions_are_enforced(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    read_list = container_sas(DEV_ACCOUNT, key, c, "rl")
    _refused(httpx.delete(f"{url}/{c}/a.txt?{read_list}"), 403, "AuthorizationPermissionMismatch")
    r = httpx.put(f"{url}/{c}/a.txt?comp=metadata&{read_list}", headers={"x-ms-meta-k": "v"})
    _refused(r, 403, "AuthorizationPermissionMismatch")
    fresh = new_name()
    all_letters = container_sas(DEV_ACCOUNT, key, fresh, "racwdl")  # a service SAS never creates containers
    _refused(httpx.put(f"{url}/{fresh}?restype=container&{all_letters}"), 403, "AuthorizationPermissionMismatch")
    read_only = container_sas(DEV_ACCOUNT, key, c, "r")
    _refused(httpx.get(f"{url}/{c}?restype=container&comp=list&{read_only}"), 403, "AuthorizationPermissionMismatch")
    deleter = container_sas(DEV_ACCOUNT, key, c, "d")
    assert httpx.delete(f"{url}/{c}/a.txt?{deleter}").status_code == 202


def test_protocol_and_ip_restrictions(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    https_only = container_sas(DEV_ACCOUNT, key, c, "r", protocol="https")
    _refused(httpx.get(f"{url}/{c}/a.txt?{https_only}"), 403, "AuthorizationProtocolMismatch")
    elsewhere = container_sas(DEV_ACCOUNT, key, c, "r", ip="10.1.2.0-10.1.2.255")
    _refused(httpx.get(f"{url}/{c}/a.txt?{elsewhere}"), 403, "AuthorizationSourceIPMismatch")
    loopback = container_sas(DEV_ACCOUNT, key, c, "r", ip="127.0.0.1")
    assert httpx.get(f"{url}/{c}/a.txt?{loopback}").content == b"hello"


def test_account_sas_resource_types_and_permissions(setup: tuple[str, str, str]) -> None:
    url, key, c = setup
    objects_only = generate_account_sas(DEV_ACCOUNT, key, ResourceTypes(object=True),
                                        AccountSasPermissions(read=True, list=True), NOW + HOUR)
    assert httpx.get(f"{url}/{c}/a.txt?{objects_only}").content == b"hello"
    _refused(httpx.get(f"{url}/{c}?restype=container&comp=list&{objects_only}"), 403,
             "AuthorizationResourceTypeMismatch")
    everything = generate_account_sas(DEV_ACCOUNT, key, ResourceTypes(container=True, object=True),
                                      AccountSasPermissions(read=True, write=True, create=True, list=True), NOW + HOUR)
    fresh = new_name("acct")
    assert httpx.put(f"{url}/{fresh}?restype=container&{everything}").status_code == 201
    assert httpx.get(f"{url}/{fresh}?restype=container&comp=list&{everything}").status_code == 200
    _refused(httpx.delete(f"{url}/{fresh}?restype=container&{everything}"), 403, "AuthorizationPermissionMismatch")


def test_anonymous_and_unsupported_credentials(setup: tuple[str, str, str]) -> None:
    url, _, c = setup
    _refused(httpx.get(f"{url}/{c}/a.txt"), 403, "AuthorizationFailure")
    _refused(httpx.head(f"{url}/{c}/a.txt"), 403, "AuthorizationFailure")
    r = httpx.get(f"{url}/{c}/a.txt", headers={"Authorization": "Bearer abc.def.ghi"})
    _refused(r, 403, "AuthenticationFailed")
    stored_policy = "sv=2025-01-05&sr=c&si=policy1&sig=AAAA"
    _refused(httpx.get(f"{url}/{c}/a.txt?{stored_policy}"), 403, "AuthenticationFailed")
    with pytest.raises(Exception) as info:
        BlobClient.from_blob_url(f"{url}/{c}/a.txt").download_blob().readall()
    assert "AuthorizationFailure" in str(info.value)


def test_shared_key_for_another_account_or_stale_date(emulator: Emulator, setup: tuple[str, str, str]) -> None:
    url, _, c = setup
    r = httpx.get(f"{url}/{c}/a.txt", headers={"Authorization": "SharedKey someoneelse:AAAA", "x-ms-date": "x"})
    _refused(r, 403, "AuthenticationFailed")
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    r = httpx.get(f"{url}/{c}/a.txt", headers={"Authorization": f"SharedKey {DEV_ACCOUNT}:AAAA", "x-ms-date": old})
    _refused(r, 403, "AuthenticationFailed")
    assert "too old" in r.text
