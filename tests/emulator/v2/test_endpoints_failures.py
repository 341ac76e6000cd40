"""Online endpoints: deployments that fail (and say why), scripts that raise, and hostile input, which gets ARM's
error shape while the emulator keeps serving."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.support import Arm
from tests.emulator.v2.endpoints_support import SCORE_PY, Online
from tests.emulator.v2.v2_support import V2Workspace, arm_error


@pytest.fixture
def online(arm: Arm) -> Online:
    return Online(V2Workspace(arm))


def _operation_error(online: Online, endpoint: str, name: str, body: dict[str, object]) -> dict[str, object]:
    _, status = online.deploy(endpoint, name, body)
    assert status["status"] == "Failed", status
    dep = online.space.call("GET", f"/onlineEndpoints/{endpoint}/deployments/{name}").json()
    assert dep["properties"]["provisioningState"] == "Failed"  # kept, with its logs
    error: dict[str, object] = status["error"]
    return error


def test_a_failing_init_fails_the_deployment_with_its_reason_and_logs(online: Online) -> None:
    endpoint, _ = online.create_endpoint()
    code = online.code(
        {"score.py": "def init():\n    raise RuntimeError('no model here')\n\ndef run(d):\n    return d\n"}
    )
    error = _operation_error(online, endpoint, "blue", online.deployment_body(code, None))
    assert error["code"] == "ScoringScriptFailed" and "no model here" in str(error["message"])
    assert "RuntimeError: no model here" in online.logs(endpoint, "blue")
    # A failed deployment can be deployed again.
    _, status = online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model()))
    assert status["status"] == "Succeeded"


def test_missing_script_code_or_model_fail_the_deployment(online: Online) -> None:
    endpoint, _ = online.create_endpoint()
    code = online.code()
    body = online.deployment_body(code, online.model())
    body["properties"]["codeConfiguration"]["scoringScript"] = "../../../etc/passwd"
    error = _operation_error(online, endpoint, "traversal", body)
    assert error["code"] == "ScoringScriptNotFound" and "score.py" in str(error["message"])

    missing_code = code.replace("/versions/1", "/versions/99")
    error = _operation_error(online, endpoint, "nocode", online.deployment_body(missing_code, None))
    assert "was not found" in str(error["message"])
    missing_model = online.space.path + "/models/absent/versions/1"
    error = _operation_error(online, endpoint, "nomodel", online.deployment_body(code, missing_model))
    assert "absent" in str(error["message"])
    foreign = code.replace(online.space.ws, "other-ws")
    error = _operation_error(online, endpoint, "foreign", online.deployment_body(foreign, None))
    assert "another workspace" in str(error["message"])
    error = _operation_error(online, endpoint, "nocodeconf", online.deployment_body(None, None))
    assert error["code"] == "ScoringScriptRequired"


def test_scoring_script_errors_are_424_and_the_worker_keeps_serving(online: Online) -> None:
    endpoint, ep = online.create_endpoint(traffic=None)
    online.deploy(endpoint, "blue", online.deployment_body(online.code({"score.py": SCORE_PY}), online.model()))
    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    key, uri = online.keys(endpoint)["primaryKey"], ep["properties"]["scoringUri"]
    r = online.score(uri, key, ["boom"])
    assert r.status_code == 424, r.text
    assert r.headers["ms-azureml-model-error-statuscode"] == "500"
    assert "cannot score boom" in r.json()["message"]
    assert online.score(uri, key, [2]).json()["result"] == [6]
    bad = online.emu.base_url + f"/online/{endpoint}/score"
    not_utf8 = httpx.post(bad, content=b"\xff\xfe", headers={"Authorization": f"Bearer {key}"}, verify=online.verify)
    assert not_utf8.status_code == 400
    assert online.score(online.emu.base_url + "/online/no-such-endpoint/score", key, [1]).status_code == 404


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"properties": {"authMode": "Key"}}, "location"),
        ({"location": "eastus"}, "properties"),
        ({"location": "eastus", "properties": {}}, "authMode"),
        ({"location": "eastus", "properties": {"authMode": "Password"}}, "authMode"),
        ({"location": "eastus", "properties": {"authMode": "Key", "traffic": {"a": "all"}}}, "traffic"),
        ({"location": "eastus", "properties": {"authMode": "Key", "traffic": {"a": 101}}}, "traffic"),
        ({"location": "eastus", "properties": {"authMode": "Key", "keys": {"primaryKey": 7}}}, "keys"),
        ({"location": "eastus", "identity": {"type": "Everyone"}, "properties": {"authMode": "Key"}}, "identity"),
        ({"location": "eastus", "tags": {"a": {"b": 1}}, "properties": {"authMode": "Key"}}, "tags"),
    ],
)
def test_bad_endpoint_bodies_are_400(online: Online, body: dict[str, object], needle: str) -> None:
    error = arm_error(online.space.call("PUT", "/onlineEndpoints/ep-bad", json=body), 400)
    assert needle in error["message"]
    assert online.space.call("GET", "/onlineEndpoints/ep-bad").status_code == 404


def test_hostile_input_gets_arm_errors_and_the_emulator_keeps_serving(online: Online) -> None:
    call = online.space.call
    for raw in (b"", b"{not json", b"[1, 2]", b"[" * 100_000):
        arm_error(
            call("PUT", "/onlineEndpoints/ep-raw", content=raw, headers={"Content-Type": "application/json"}), 400
        )
    for name in ("%2e%2e", "a" * 40, "9starts-with-digit", "ends-", "bad_underscore", "x%2F..%2F..%2Fetc"):
        r = call("PUT", f"/onlineEndpoints/{name}", json={"location": "eastus", "properties": {"authMode": "Key"}})
        assert r.status_code in (400, 404), (name, r.text)
        arm_error(r, r.status_code)
    endpoint, _ = online.create_endpoint()
    base = f"/onlineEndpoints/{endpoint}"
    for props, needle in (
        ({}, "endpointComputeType"),
        ({"endpointComputeType": "Serverless"}, "endpointComputeType"),
        ({"endpointComputeType": "Kubernetes"}, "Kubernetes"),
        ({"endpointComputeType": "Managed", "codeConfiguration": {"codeId": 5}}, "scoringScript"),
        ({"endpointComputeType": "Managed", "scaleSettings": {"scaleType": "Infinite"}}, "scaleType"),
        ({"endpointComputeType": "Managed", "environmentVariables": {"A": 1}}, "environmentVariables"),
    ):
        error = arm_error(
            call("PUT", f"{base}/deployments/blue", json={"location": "eastus", "properties": props}), 400
        )
        assert needle in error["message"], error
    assert call("PUT", "/onlineEndpoints/absent/deployments/blue", json={"location": "x"}).status_code == 404
    for body in (
        {"keyType": "Tertiary"},
        {"keyType": "Primary", "keyValue": ""},
        {"keyType": "Primary", "keyValue": 3},
    ):
        arm_error(call("POST", f"{base}/regenerateKeys", json=body), 400)
    arm_error(call("POST", f"{base}/token"), 400)  # a Key endpoint has no AML tokens
    arm_error(call("PATCH", base, json={"properties": {"authMode": "AADToken"}}), 400)
    online.deploy(endpoint, "blue", online.deployment_body(online.code(), online.model()))
    logs_bodies: list[dict[str, object]] = [{"tail": -1}, {"tail": "all"}, {"containerType": "Sidecar"}]
    for logs_body in logs_bodies:
        arm_error(call("POST", f"{base}/deployments/blue/getLogs", json=logs_body), 400)
    arm_error(call("GET", "/onlineEndpoints", params={"$skip": "%%%"}), 400)
    # Still serving, with nothing left behind by the refused calls.
    listed = call("GET", "/onlineEndpoints").json()
    assert [e["name"] for e in listed["value"]] == [endpoint]
    assert call("GET", f"{base}/deployments/blue").json()["properties"]["provisioningState"] == "Succeeded"


def test_names_are_unique_per_emulator_like_per_region(arm: Arm) -> None:
    first, second = Online(V2Workspace(arm)), Online(V2Workspace(arm))
    endpoint, _ = first.create_endpoint()
    r = second.space.call(
        "PUT", f"/onlineEndpoints/{endpoint}", json={"location": "eastus", "properties": {"authMode": "Key"}}
    )
    assert arm_error(r, 409)["code"] == "Conflict"


def test_a_worker_that_died_is_started_again(online: Online) -> None:
    script = SCORE_PY.replace(
        '    if data == ["boom"]:', '    if data == ["exit"]:\n        os._exit(3)\n    if data == ["boom"]:'
    )
    endpoint, ep = online.create_endpoint()
    online.deploy(endpoint, "blue", online.deployment_body(online.code({"score.py": script}), online.model()))
    assert online.set_traffic(endpoint, {"blue": 100}).status_code == 201
    key, uri = online.keys(endpoint)["primaryKey"], ep["properties"]["scoringUri"]
    assert online.score(uri, key, ["exit"]).status_code == 502  # the process is gone mid-request
    again = online.score(uri, key, [1])
    assert again.status_code == 200, again.text
    assert again.json()["result"] == [3]
