"""The test machinery of tests/emulator_fixture.py: mode choice, the subprocess emulator, the factory."""

from __future__ import annotations

import ssl

import httpx
import pytest

from tests.emulator_fixture import EmulatorFactory, SubprocessEmulator, make_config, mode_from, start_emulator


def test_mode_option_wins_over_environment() -> None:
    assert mode_from(None, {}) == "inprocess"
    assert mode_from(None, {"AZUREML_TEST_EMULATOR": "subprocess"}) == "subprocess"
    assert mode_from("inprocess", {"AZUREML_TEST_EMULATOR": "subprocess"}) == "inprocess"
    assert mode_from(None, {"AZUREML_TEST_EMULATOR": "In-Process"}) == "inprocess"
    with pytest.raises(ValueError, match="threads"):
        mode_from("threads", {})


def test_config_defaults_and_unknown_names() -> None:
    assert make_config().lro_delay == 0.2
    assert make_config(lro_delay=1.5, page_size=3).page_size == 3
    with pytest.raises(TypeError):
        make_config(no_such_setting=1)


def test_subprocess_emulator_reads_its_banner_and_takes_every_setting() -> None:
    secret = "subprocess-secret-" + "7" * 8
    with start_emulator("subprocess", tls=True, client_secret=secret, max_upload_bytes=4096, page_size=3) as emu:
        assert isinstance(emu, SubprocessEmulator)
        assert emu.base_url.startswith("https://127.0.0.1:") and emu.ca_file is not None and emu.ca_file.exists()
        assert secret not in str(emu.process.args)  # the secret travels in the environment
        verify = ssl.create_default_context(cafile=str(emu.ca_file))
        cfg = emu.config
        r = httpx.post(
            f"{emu.base_url}/{cfg.tenant_id}/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": cfg.client_id, "client_secret": secret,
                  "resource": "https://management.azure.com/"},
            verify=verify,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        settings = httpx.get(f"{emu.base_url}/_emulator/config", verify=verify).json()
        assert settings["maxUploadBytes"] == 4096 and settings["pageSize"] == 3 and settings["lroDelay"] == 0.2
        assert emu.ctx is not None and emu.ctx.counters["token"] == 1 and emu.ctx.counters["nothing"] == 0
    assert emu.process.poll() is not None
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{emu.base_url}/_emulator/health", verify=verify, timeout=2)


def test_subprocess_that_cannot_start_says_why() -> None:
    with pytest.raises(RuntimeError, match="exited before it printed its banner") as info:
        start_emulator("subprocess", fault_kinds=("bogus",))
    assert "unknown fault kind" in str(info.value)


def test_factory_stops_everything_it_started() -> None:
    factory = EmulatorFactory("inprocess")
    first, second = factory(), factory(page_size=2)
    assert first.base_url != second.base_url and second.config.page_size == 2
    for emu in (first, second):
        assert httpx.get(f"{emu.base_url}/_emulator/health").status_code == 200
    factory.close()
    for emu in (first, second):
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{emu.base_url}/_emulator/health", timeout=2)
