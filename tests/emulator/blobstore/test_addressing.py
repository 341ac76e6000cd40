"""Addressing: virtual-hosted ``{account}.blob.core.localhost`` over TLS (the workspace's own storage account),
path-style on the same port, and the emulator's other routes left as they were."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from azure.core.exceptions import HttpResponseError

from tests.emulator.blobstore.support import accounts, error_code, loopback_transport, service_client
from tests.emulator.support import Arm, verify_for
from tests.emulator_fixture import Emulator


def _workspace_with_account(emu: Emulator, account: str) -> None:
    arm = Arm(emu)  # type: ignore[arg-type]
    rg = arm.new_group()
    body = arm.workspace_body(rg)
    body["properties"]["storageAccount"] = (
        f"/subscriptions/{arm.sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{account}"
    )
    r = arm.request("PUT", arm.ws_path(rg, "ws-" + uuid.uuid4().hex[:8]), json=body)
    assert r.status_code == 202, r.text
    assert arm.wait(r.headers["Location"]).status_code == 200
    arm.client.close()


@pytest.fixture
def tls_emulator(make_emulator: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Emulator:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    emu: Emulator = make_emulator(tls=True)
    return emu


def test_workspace_account_virtual_hosted_over_tls(tls_emulator: Emulator) -> None:
    emu = tls_emulator
    account = "emu" + uuid.uuid4().hex[:10]
    assert account not in accounts(emu)
    _workspace_with_account(emu, account)
    info = accounts(emu)[account]
    assert info["blobEndpoint"] == f"{emu.base_url}/{account}"
    port = urlparse(emu.base_url).port
    url = f"https://{account}.blob.core.localhost:{port}"
    svc = service_client(url, account, info["key"], transport=loopback_transport(str(emu.ca_file)))
    c = svc.get_container_client("history")  # a container named like an emulator route: not re-cased, not ARM
    c.create_container()
    c.upload_blob("V1.0/Runs/log.txt", b"virtual")
    assert [b.name for b in c.list_blobs()] == ["V1.0/Runs/log.txt"]
    assert c.download_blob("V1.0/Runs/log.txt").readall() == b"virtual"
    # the same account path-style on the same port
    path_style = service_client(info["blobEndpoint"], account, info["key"], connection_verify=str(emu.ca_file))
    assert path_style.get_container_client("history").download_blob("V1.0/Runs/log.txt").readall() == b"virtual"
    # another account's key is refused
    other_key = accounts(emu)["devstoreaccount1"]["key"]
    wrong = service_client(url, account, other_key, transport=loopback_transport(str(emu.ca_file)))
    with pytest.raises(HttpResponseError) as info_err:
        wrong.get_container_client("history").download_blob("V1.0/Runs/log.txt").readall()
    assert error_code(info_err.value) == "AuthenticationFailed"
    svc.close()
    path_style.close()
    wrong.close()


def test_unknown_virtual_hosted_account_is_refused(emulator: Emulator) -> None:
    port = urlparse(emulator.base_url).port
    r = httpx.get(f"http://127.0.0.1:{port}/cont/b", headers={"Host": f"nosuchaccount.blob.core.localhost:{port}"})
    assert r.status_code == 403 and r.headers["x-ms-error-code"] == "AuthenticationFailed"


def test_other_routes_are_not_shadowed(emulator: Emulator) -> None:
    _workspace_with_account(emulator, "discovery")  # an account named like a route root is not served path-style
    r = httpx.get(emulator.base_url + "/discovery", verify=verify_for(emulator))  # type: ignore[arg-type]
    assert r.status_code == 200 and "api" in r.json()
    assert "discovery" in accounts(emulator)
    r = httpx.get(emulator.base_url + "/nosuchaccount/c/b")
    assert r.status_code == 404 and "x-ms-error-code" not in r.headers  # the emulator's own 404, not Storage's
