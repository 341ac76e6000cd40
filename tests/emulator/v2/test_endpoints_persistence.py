"""Online endpoints across an emulator restart (``--data-dir``): a serving deployment serves again with the same
keys, and a deployment the old process left in progress is failed instead of hanging."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.emulator.support import Arm
from tests.emulator.v2.endpoints_support import Online, poll_until
from tests.emulator.v2.v2_support import V2Workspace
from tests.emulator_fixture import EmulatorFactory

SLOW_INIT = "import time\n\ndef init():\n    time.sleep(30)\n\ndef run(raw):\n    return raw\n"


def test_deployments_after_a_restart(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    first = emulator_factory(data_dir=tmp_path)
    arm = Arm(first)
    online = Online(V2Workspace(arm))
    endpoint, _ = online.create_endpoint()
    _, status = online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model(factor=4)))
    assert status["status"] == "Succeeded"
    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    key = online.keys(endpoint)["primaryKey"]
    slow = online.deployment_body(online.code({"score.py": SLOW_INIT}), None)
    put = online.space.call("PUT", f"/onlineEndpoints/{endpoint}/deployments/slow", json=slow)
    assert put.status_code == 201
    poll_until(
        lambda: "Starting the scoring script" in online.logs(endpoint, "slow", containerType="StorageInitializer")
    )
    arm.client.close()
    first.stop()

    second = emulator_factory(data_dir=tmp_path)
    arm = Arm(second)

    def call(method: str, path: str) -> httpx.Response:
        return arm.request(method, online.space.path + path, api="2025-12-01")

    try:
        ep = call("GET", f"/onlineEndpoints/{endpoint}").json()
        assert ep["properties"]["scoringUri"].startswith(second.base_url)
        restarted = Online(online.space)
        restarted.emu = second
        scored = restarted.score(ep["properties"]["scoringUri"], key, [2])
        assert scored.status_code == 200, scored.text
        assert scored.json()["result"] == [8]

        left = call("GET", f"/onlineEndpoints/{endpoint}/deployments/slow").json()
        assert left["properties"]["provisioningState"] == "Failed"
        status = arm.client.get(put.headers["Azure-AsyncOperation"].replace(first.base_url, second.base_url)).json()
        assert status["status"] == "Failed" and "restarted" in status["error"]["message"]
    finally:
        arm.client.close()
