"""The overlay's credentials and auth against the emulator over real HTTP (and HTTPS) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_emulator.server import RunningEmulator
from azureml_rest.auth import BearerTokenAuth
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import AsyncServicePrincipalCredential, ServicePrincipalCredential
from azureml_rest.errors import CredentialError
from azureml_rest.pipeline import build_async_client, build_client

from tests.emulator_fixture import EmulatorFactory

ARM_SCOPE = "https://management.azure.com/.default"
RG_API = "2019-10-01"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# Module-scoped, so from the session factory; stopped at the module's end (stopping again is a no-op).
@pytest.fixture(scope="module")
def emu(session_emulator_factory: EmulatorFactory) -> Iterator[RunningEmulator]:
    with session_emulator_factory() as running:
        yield running


@pytest.fixture(scope="module")
def emu_tls(
    session_emulator_factory: EmulatorFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningEmulator]:
    with session_emulator_factory(tls=True, data_dir=tmp_path_factory.mktemp("emu")) as running:
        yield running


def _cred(emu: RunningEmulator, **kw: Any) -> ServicePrincipalCredential:
    c = emu.config
    return ServicePrincipalCredential(
        c.tenant_id, c.client_id, kw.pop("secret", c.client_secret), cloud=Cloud.emulator(emu.base_url), **kw
    )


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_token_and_arm_call(emu: RunningEmulator, version: str) -> None:
    cloud = Cloud.emulator(emu.base_url)
    with _cred(emu, token_version=version) as cred:
        tok = cred.get_token(ARM_SCOPE)
        assert tok.token.count(".") == 2  # a JWT
        with build_client(emu.base_url, auth=BearerTokenAuth(cred, cloud=cloud)) as c:
            r = c.get(f"/subscriptions/{emu.config.subscription_id}/resourcegroups", params={"api-version": RG_API})
    assert r.status_code == 200, r.text
    assert "value" in r.json()


def test_wrong_secret(emu: RunningEmulator) -> None:
    with _cred(emu, secret="definitely-wrong") as cred, pytest.raises(CredentialError) as info:
        cred.get_token(ARM_SCOPE)
    assert info.value.error_code is not None and info.value.error_code.startswith("AADSTS")
    assert "definitely-wrong" not in str(info.value)


def test_no_token_is_401(emu: RunningEmulator) -> None:
    with build_client(emu.base_url) as c:
        r = c.get(f"/subscriptions/{emu.config.subscription_id}/resourcegroups", params={"api-version": RG_API})
    assert r.status_code == 401


@pytest.mark.anyio
async def test_async_token_and_arm_call(emu: RunningEmulator) -> None:
    c = emu.config
    cloud = Cloud.emulator(emu.base_url)
    async with AsyncServicePrincipalCredential(c.tenant_id, c.client_id, c.client_secret, cloud=cloud) as cred:
        async with build_async_client(emu.base_url, auth=BearerTokenAuth(cred, cloud=cloud)) as client:
            r = await client.get(f"/subscriptions/{c.subscription_id}/resourcegroups", params={"api-version": RG_API})
    assert r.status_code == 200, r.text


def test_tls_with_ca_file_and_azure_identity(emu_tls: RunningEmulator) -> None:
    """Our clients over HTTPS with the emulator's CA, with our credential and with azure-identity's."""
    azure_identity = pytest.importorskip("azure.identity")
    assert emu_tls.ca_file is not None
    c = emu_tls.config
    cloud = Cloud.emulator(emu_tls.base_url)
    cfg = HttpConfig(verify=str(emu_tls.ca_file))
    ours = ServicePrincipalCredential(c.tenant_id, c.client_id, c.client_secret, cloud=cloud, http_config=cfg)
    theirs = azure_identity.ClientSecretCredential(
        c.tenant_id,
        c.client_id,
        c.client_secret,
        authority=emu_tls.base_url,
        disable_instance_discovery=True,
        connection_verify=str(emu_tls.ca_file),
    )
    for cred in (ours, theirs):
        with build_client(emu_tls.base_url, auth=BearerTokenAuth(cred, cloud=cloud), config=cfg) as client:
            r = client.get(f"/subscriptions/{c.subscription_id}/resourcegroups", params={"api-version": RG_API})
        assert r.status_code == 200, (type(cred).__name__, r.text)
    ours.close()
