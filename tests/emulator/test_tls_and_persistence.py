"""TLS with the emulator's CA, and durable state across a kill -9."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, verify_for
from tests.emulator_fixture import EmulatorFactory


def test_tls_with_the_emulators_ca(make_emulator: Callable[..., RunningEmulator], tmp_path: Path) -> None:
    emu = make_emulator(tls=True, data_dir=tmp_path)
    assert emu.base_url.startswith("https://127.0.0.1:")
    assert emu.ca_file == tmp_path / "emulator-ca.pem" and emu.ca_file.exists()
    r = httpx.get(emu.base_url + "/discovery", verify=verify_for(emu))
    assert r.status_code == 200 and r.json()["api"] == emu.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(emu.base_url + "/discovery")  # the system trust store does not know the CA
    arm = Arm(emu)
    assert arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups").status_code == 200
    localhost = emu.base_url.replace("127.0.0.1", "localhost")
    assert httpx.get(localhost + "/discovery", verify=verify_for(emu)).status_code == 200


def test_state_survives_kill_9(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    # Always a subprocess, whatever the mode: kill -9 needs a process of its own.
    first = emulator_factory(mode="subprocess", data_dir=tmp_path, lro_delay=0.1)
    base = first.base_url
    try:
        sub = "00000000-0000-4000-8000-0000000005b5"
        tenant = "00000000-0000-4000-8000-00000000e001"
        token = httpx.post(
            f"{base}/{tenant}/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "00000000-0000-4000-8000-00000000c11e",
                "client_secret": "emulator-dev-secret",
                "resource": "https://management.azure.com/",
            },
        ).json()["access_token"]
        h = {"Authorization": "Bearer " + token}
        r = httpx.put(
            f"{base}/subscriptions/{sub}/resourceGroups/durable",
            params={"api-version": "2019-11-01"},
            json={"location": "eastus", "tags": {"k": "v"}},
            headers=h,
        )
        assert r.status_code == 201
    finally:
        first.kill9()
    second = emulator_factory(mode="subprocess", data_dir=tmp_path, lro_delay=0.1)
    base2 = second.base_url
    try:
        # the token issued before the crash is still valid (the signing key is persisted)
        r = httpx.get(
            f"{base2}/subscriptions/{sub}/resourceGroups/durable", params={"api-version": "2019-11-01"}, headers=h
        )
        assert r.status_code == 200, r.text
        assert r.json()["tags"] == {"k": "v"}
    finally:
        second.kill9()
