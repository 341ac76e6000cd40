"""``azureml_emulator.start(...)``: the emulator's public way to embed it (what ``python -m demo`` uses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import azureml_emulator
import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_start_serves_with_the_given_settings_and_stop_releases_the_port() -> None:
    with azureml_emulator.start(lro_delay=0.05, location="westeurope") as emu:
        assert isinstance(emu, azureml_emulator.RunningEmulator)
        assert emu.config.location == "westeurope" and emu.config.lro_delay == 0.05
        url = f"{emu.base_url}/{emu.config.tenant_id}/v2.0/.well-known/openid-configuration"
        assert httpx.get(url, trust_env=False).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False)


def test_start_takes_a_config_or_keywords_not_both() -> None:
    with pytest.raises(TypeError, match="not both"):
        azureml_emulator.start(azureml_emulator.EmulatorConfig(), lro_delay=0.1)


def test_importing_the_package_loads_no_server() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("overlays", "generated", "emulator"))}
    code = ("import sys, azureml_emulator; azureml_emulator.start; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('uvicorn', 'starlette', 'azureml_emulator')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert proc.stdout.strip() == "['azureml_emulator']"
