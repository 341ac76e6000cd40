"""Helpers for blob store tests: account credentials from the emulator, Microsoft's blob clients pointed at
it (path-style, or virtual-hosted over TLS through :class:`LoopbackAdapter`), and raw SAS requests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlparse

import httpx
import requests
from azure.core.pipeline.transport import RequestsTransport
from azure.storage.blob import BlobServiceClient, ContainerClient, ContainerSasPermissions, generate_container_sas
from requests.adapters import HTTPAdapter

from tests.emulator.support import verify_for
from tests.emulator_fixture import Emulator

DEV_ACCOUNT = "devstoreaccount1"


def accounts(emu: Emulator) -> dict[str, dict[str, str]]:
    """``GET /_emulator/storage/accounts`` by account name (works for in-process and subprocess emulators)."""
    r = httpx.get(emu.base_url + "/_emulator/storage/accounts", verify=verify_for(emu))  # type: ignore[arg-type]
    r.raise_for_status()
    return {a["name"]: a for a in r.json()["value"]}


def account_key(emu: Emulator, account: str = DEV_ACCOUNT) -> str:
    """The account's key as the emulator hands it out."""
    return accounts(emu)[account]["key"]


def new_name(stem: str = "c") -> str:
    """A fresh container name."""
    return f"{stem}-{uuid.uuid4().hex[:12]}"


def service_client(url: str, account: str, key: str, **kwargs: Any) -> BlobServiceClient:
    """azure-storage-blob with an account key; ``url`` is the account URL (path-style or virtual-hosted)."""
    return BlobServiceClient(url, credential={"account_name": account, "account_key": key}, **kwargs)


def path_style(emu: Emulator, account: str = DEV_ACCOUNT, **kwargs: Any) -> BlobServiceClient:
    """A key-authorized client for ``{base_url}/{account}``."""
    return service_client(f"{emu.base_url}/{account}", account, account_key(emu, account), **kwargs)


def container_sas(account: str, key: str, container: str, permission: str, **kwargs: Any) -> str:
    """A container SAS signed by azure-storage-blob (expiry one hour ahead unless given)."""
    kwargs.setdefault("expiry", dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    return generate_container_sas(
        account, container, account_key=key, permission=ContainerSasPermissions.from_string(permission), **kwargs
    )


def sas_container_client(emu: Emulator, container: str, permission: str, **kwargs: Any) -> ContainerClient:
    """A ContainerClient on the development account with a container SAS as its only credential."""
    sas = container_sas(DEV_ACCOUNT, account_key(emu), container, permission, **kwargs)
    return ContainerClient.from_container_url(f"{emu.base_url}/{DEV_ACCOUNT}/{container}?{sas}")


class LoopbackAdapter(HTTPAdapter):
    """Connect every request to ``127.0.0.1:<port of the URL>`` while the URL's host name stays the Host header,
    the TLS server name and the name the certificate is checked against.

    The test harness's name resolution for ``{account}.blob.core.localhost`` (which this machine's resolver does
    not answer): handed to azure-core's ``RequestsTransport`` as its session, so Microsoft's client is configured,
    not patched.
    """

    def get_connection_with_tls_context(
        self, request: requests.PreparedRequest, verify: Any, proxies: Any = None, cert: Any = None
    ) -> Any:
        host = urlparse(request.url).hostname
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if host_params.get("scheme") == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": host, "assert_hostname": host}
        host_params = {**host_params, "host": "127.0.0.1"}
        return self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        request.headers["Host"] = urlparse(request.url).netloc
        return super().send(request, *args, **kwargs)


def loopback_transport(ca_file: str) -> RequestsTransport:
    """An azure-core transport whose session resolves every host to 127.0.0.1 (see :class:`LoopbackAdapter`) and
    trusts ``ca_file``."""
    session = requests.Session()
    session.mount("https://", LoopbackAdapter())
    session.mount("http://", LoopbackAdapter())
    return RequestsTransport(session=session, session_owner=True, connection_verify=ca_file)


def error_code(exc: BaseException) -> str | None:
    """The Storage error code azure-storage-blob attaches to its exceptions (``x-ms-error-code``)."""
    code = getattr(exc, "error_code", None)
    return None if code is None else str(getattr(code, "value", code))  # a StorageErrorCode or a plain str
