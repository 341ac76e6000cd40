"""TLS with the emulator's CA, and durable state across a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import azureml_emulator
import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm, verify_for

EMULATOR_PATH = str(Path(azureml_emulator.__file__).resolve().parent.parent)


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


def _start(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = EMULATOR_PATH + os.pathsep + env.get("PYTHONPATH", "")
    for name in list(env):
        if name.startswith("AZUREML_EMULATOR_"):
            del env[name]
    proc = subprocess.Popen(
        [sys.executable, "-m", "azureml_emulator", "--data-dir", str(data_dir), "--port", "0", "--lro-delay", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    prefix = "azureml-emulator listening on "
    assert first.startswith(prefix), first
    return proc, first[len(prefix) :]


def test_state_survives_kill_9(tmp_path: Path) -> None:
    proc, base = _start(tmp_path)
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
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    proc2, base2 = _start(tmp_path)
    try:
        # the token issued before the crash is still valid (the signing key is persisted)
        r = httpx.get(
            f"{base2}/subscriptions/{sub}/resourceGroups/durable", params={"api-version": "2019-11-01"}, headers=h
        )
        assert r.status_code == 200, r.text
        assert r.json()["tags"] == {"k": "v"}
    finally:
        proc2.send_signal(signal.SIGKILL)
        proc2.wait(timeout=10)
