"""The test-support controls: per-field token-request counters and ``/_emulator/config``."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm


def _stats(emu: RunningEmulator) -> dict[str, int]:
    return dict(httpx.get(f"{emu.base_url}/_emulator/stats").json()["counters"])


def test_token_requests_count_the_fields_sent_never_their_values(
    make_emulator: Callable[..., RunningEmulator],
) -> None:
    emu = make_emulator(client_secret="field-counter-secret-42")
    cfg = emu.config
    form = {"grant_type": "client_credentials", "client_id": cfg.client_id, "client_secret": cfg.client_secret}
    v1 = httpx.post(f"{emu.base_url}/{cfg.tenant_id}/oauth2/token", data={**form, "resource": "https://x.test/"})
    v2 = httpx.post(
        f"{emu.base_url}/{cfg.tenant_id}/oauth2/v2.0/token", data={**form, "scope": "https://x.test/.default"}
    )
    bad = httpx.post(f"{emu.base_url}/{cfg.tenant_id}/oauth2/v2.0/token", data={**form, "resource": "https://x.test/"})
    assert (v1.status_code, v2.status_code, bad.status_code) == (200, 200, 400)  # v2 needs scope
    stats = _stats(emu)
    assert stats["token"] == 3 and stats["token:v1"] == 1 and stats["token:v2"] == 2
    assert stats["token:v1:resource"] == 1 and "token:v1:scope" not in stats
    assert stats["token:v2:scope"] == 1 and stats["token:v2:resource"] == 1
    assert stats["token:v2:client_secret"] == 2 and "token:v2:client_assertion" not in stats
    text = httpx.get(f"{emu.base_url}/_emulator/stats").text
    assert cfg.client_secret not in text and "x.test" not in text


def test_config_control_changes_settings_read_per_request(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator()
    url = f"{emu.base_url}/_emulator/config"
    before = httpx.get(url).json()
    assert before == {"tokenLifetime": 3600.0, "lroDelay": 0.2, "pageSize": 100, "maxUploadBytes": 300 * 1024 * 1024}
    r = httpx.post(url, json={"pageSize": 1, "tokenLifetime": 120, "maxUploadBytes": 4096})
    assert r.status_code == 200
    assert r.json() == {"tokenLifetime": 120.0, "lroDelay": 0.2, "pageSize": 1, "maxUploadBytes": 4096}
    assert httpx.get(url).json() == r.json()

    arm = Arm(emu)  # its token was issued after the change: 120 s
    try:
        arm.new_group()
        arm.new_group()
        page = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups", api="2019-10-01").json()
        assert len(page["value"]) == 1 and page["nextLink"]
    finally:
        arm.client.close()
    cfg = emu.config
    tok = httpx.post(
        f"{emu.base_url}/{cfg.tenant_id}/oauth2/v2.0/token",
        data={"grant_type": "client_credentials", "client_id": cfg.client_id, "client_secret": cfg.client_secret,
              "scope": "https://management.azure.com/.default"},
    ).json()  # fmt: skip
    assert tok["expires_in"] == 120


def test_config_control_refuses_bad_bodies(emulator: RunningEmulator) -> None:
    url = f"{emulator.base_url}/_emulator/config"
    before = httpx.get(url).json()
    for body in (
        {"pageSize": 0},
        {"pageSize": 1.5},
        {"pageSize": True},
        {"maxUploadBytes": "big"},
        {"tokenLifetime": 0},
        {"lroDelay": -1},
        {"clientSecret": "x"},  # not adjustable
        ["pageSize", 2],
    ):
        r = httpx.post(url, json=body)
        assert r.status_code == 400 and r.json()["error"]["code"] == "BadRequest", body
    assert httpx.post(url, content=b"{not json").status_code == 400
    assert httpx.get(url).json() == before  # nothing changed


def test_discovery_control_overrides_the_document_and_null_restores_it(
    make_emulator: Callable[..., RunningEmulator],
) -> None:
    emu = make_emulator()
    control, doc_url = f"{emu.base_url}/_emulator/discovery", f"{emu.base_url}/discovery"
    default = httpx.get(doc_url).json()
    assert default["api"] == default["history"] == emu.base_url
    assert httpx.get(control).json() == default

    legacy = {"history": "http://127.0.0.1:1", "modelmanagement": "http://127.0.0.1:2"}
    r = httpx.put(control, json=legacy)
    assert r.status_code == 200 and r.json() == legacy
    assert httpx.get(doc_url).json() == legacy  # exactly the override: no default keys merged in

    for bad in ([1, 2], {"api": 3}, "text"):
        refused = httpx.put(control, json=bad)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "BadRequest"
    assert httpx.get(doc_url).json() == legacy  # a refused body changes nothing

    assert httpx.put(control, json=None).json() == default
    assert httpx.get(doc_url).json() == default


def test_discovery_counts_requests_that_carry_authorization(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator()
    httpx.get(f"{emu.base_url}/discovery")
    httpx.get(f"{emu.base_url}/discovery", headers={"Authorization": "Bearer not-checked"})
    httpx.get(f"{emu.base_url}/_emulator/discovery")  # the control is not a discovery request
    stats = _stats(emu)
    assert stats["discovery"] == 2 and stats["discovery:authorized"] == 1
