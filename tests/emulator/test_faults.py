"""Fault injection by header, by /_emulator/faults, by config; deterministic with a seed."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm


def test_fault_header_kinds(arm: Arm) -> None:
    path = f"/subscriptions/{arm.sub}/resourcegroups"
    r = arm.request("GET", path, headers={"x-emulator-fault": "429"})
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "1" and int(r.headers["retry-after-ms"]) > 0
    assert r.json()["error"]["code"] == "TooManyRequests"
    r = arm.request("GET", path, headers={"x-emulator-fault": "503"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "ServiceUnavailable"
    with pytest.raises(httpx.TransportError):
        arm.request("GET", path, headers={"x-emulator-fault": "drop"})
    httpx.post(arm.emu.base_url + "/_emulator/faults", json={"rate": 0, "slowSeconds": 0.4})
    t0 = time.monotonic()
    r = arm.request("GET", path, headers={"x-emulator-fault": "slow"})
    assert r.status_code == 200 and time.monotonic() - t0 >= 0.35
    # the emulator still serves after all of that
    assert arm.request("GET", path).status_code == 200
    assert arm.emu.ctx.counters["faults:drop"] >= 1


def test_faults_by_control_endpoint_with_path_filter(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator()
    arm = Arm(emu)
    r = httpx.post(
        emu.base_url + "/_emulator/faults", json={"rate": 1.0, "kinds": ["503"], "seed": 1, "paths": ["/subscriptions"]}
    )
    assert r.status_code == 200 and r.json()["rate"] == 1.0
    assert arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups").status_code == 503
    assert httpx.get(emu.base_url + "/discovery").status_code == 200  # outside the path filter
    assert httpx.get(emu.base_url + "/_emulator/stats").status_code == 200  # controls are never faulted
    assert httpx.get(emu.base_url + "/_emulator/stats").json()["counters"]["faults"] >= 1
    bad = httpx.post(emu.base_url + "/_emulator/faults", json={"rate": 2})
    assert bad.status_code == 400
    bad = httpx.post(emu.base_url + "/_emulator/faults", json={"rate": 0.5, "kinds": ["explode"]})
    assert bad.status_code == 400
    httpx.post(emu.base_url + "/_emulator/faults", json={"rate": 0})
    assert arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups").status_code == 200


def _pattern(emu: RunningEmulator, n: int) -> list[int]:
    return [httpx.get(emu.base_url + "/discovery").status_code for _ in range(n)]


def test_seeded_faults_are_deterministic(make_emulator: Callable[..., RunningEmulator]) -> None:
    a = make_emulator(fault_rate=0.5, fault_kinds=("429", "503"), fault_seed=7)
    b = make_emulator(fault_rate=0.5, fault_kinds=("429", "503"), fault_seed=7)
    pa, pb = _pattern(a, 30), _pattern(b, 30)
    assert pa == pb
    assert {200, 429} <= set(pa) or {200, 503} <= set(pa)
