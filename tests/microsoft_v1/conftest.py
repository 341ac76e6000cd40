"""azureml-core (Microsoft's v1 SDK, unchanged) against one emulator over TLS: the fixture ``v1``.

How the SDK is pointed at the emulator, with settings it reads itself (nothing of it is patched):

- ``ARM_CLOUD_METADATA_URL`` = the emulator's ``/metadata/endpoints``: the SDK loads its clouds from there at
  import (azureml/_vendor/azure_cli_core/cloud.py ``get_known_clouds``) and ``AZUREML_CURRENT_CLOUD`` picks the
  emulator's cloud (azureml/_vendor/azure_cli_core/azureml_cloud.py), whose ``resourceManager`` is the emulator;
  ``AZURE_CONFIG_DIR`` keeps the cloud cache of this session apart, ``HOME`` the SDK's snapshot cache;
- ``REQUESTS_CA_BUNDLE`` / ``SSL_CERT_FILE``: trust the emulator's CA;
- ``HTTPS_PROXY``: a loopback CONNECT proxy that resolves ``*.localhost`` (the blob store's virtual-hosted
  names) to 127.0.0.1 (loopback_proxy.py); ``NO_PROXY`` keeps 127.0.0.1 direct;
- the credential: :class:`EmulatorAuthentication`, an ``AbstractAuthentication`` with tokens from the emulator.

azureml is imported only after these are set (it reads the cloud list when imported), so the whole session
shares one emulator (in this process: the runs it starts inherit the settings above). Without azureml-core
installed the tests skip, unless ``AZUREML_CORE_REQUIRED`` is set (the ``azureml_core`` nox session sets it).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.microsoft_v1.arm_setup import create_workspace
from tests.microsoft_v1.harness import CLOUD, PROJECT, REQUIRED_ENV, RESOURCE_GROUP, WORKSPACE, V1World
from tests.microsoft_v1.loopback_proxy import LoopbackProxy

# Proxy and trust settings a machine may already carry: the tests set what they need explicitly.
_CLEARED = ("HTTP_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "no_proxy", "CURL_CA_BUNDLE")


def _require_azureml_core() -> None:
    """Skip without azureml-core, or fail when it is required (found without importing it: see above)."""
    if importlib.util.find_spec("azureml") is not None and importlib.util.find_spec("azureml.core") is not None:
        return
    if os.environ.get(REQUIRED_ENV):
        raise RuntimeError(f"azureml-core is required (${REQUIRED_ENV}) but not installed: nox -s azureml_core")
    pytest.skip("azureml-core is not installed (its own nox session: nox -s azureml_core)")


@pytest.fixture(scope="session")
def v1(session_emulator_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[V1World]:
    _require_azureml_core()
    # In this process: the runs it starts inherit this process's trust and proxy settings, as a compute has them.
    emu = session_emulator_factory(mode="inprocess", tls=True)
    home = tmp_path_factory.mktemp("v1-home")
    with LoopbackProxy() as proxy, pytest.MonkeyPatch.context() as mp:
        for name in _CLEARED:
            mp.delenv(name, raising=False)
        settings = {
            "ARM_CLOUD_METADATA_URL": f"{emu.base_url}/metadata/endpoints?api-version=2019-05-01",
            "AZUREML_CURRENT_CLOUD": CLOUD,
            "AZURE_CONFIG_DIR": str(home / ".azure"),
            "HOME": str(home),
            "REQUESTS_CA_BUNDLE": str(emu.ca_file),
            "SSL_CERT_FILE": str(emu.ca_file),
            "HTTPS_PROXY": proxy.url,
            "NO_PROXY": "127.0.0.1",
        }
        for name, value in settings.items():
            mp.setenv(name, value)
        from azureml.core import Workspace

        from tests.microsoft_v1.emulator_auth import EmulatorAuthentication

        cfg = emu.config
        auth = EmulatorAuthentication(
            emu.base_url, str(emu.ca_file), tenant_id=cfg.tenant_id, client_id=cfg.client_id,
            client_secret=cfg.client_secret, subscription_id=cfg.subscription_id, cloud=CLOUD,
        )  # fmt: skip
        create_workspace(emu.base_url, str(emu.ca_file), auth.get_authentication_header(), cfg.subscription_id,
                         RESOURCE_GROUP, WORKSPACE)
        ws = Workspace.get(WORKSPACE, auth=auth, subscription_id=cfg.subscription_id, resource_group=RESOURCE_GROUP)
        yield V1World(emu, auth, ws, PROJECT)
