"""Unit tests of azureml_rest.lro: one behaviour per test, on httpx.MockTransport (no retry layer in between)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from azureml_rest.errors import (
    BadRequestError,
    InvalidResponseError,
    OperationFailedError,
    OperationTimeoutError,
    UntrustedHostError,
)
from azureml_rest.lro import AsyncPoller, Poller

BASE = "https://management.azure.com"
OP = f"{BASE}/subscriptions/s/providers/Microsoft.MachineLearningServices/locations/eastus"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def resp(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers or {})


class Script:
    """A MockTransport handler answering from a list, recording each URL asked."""

    def __init__(self, answers: list[httpx.Response]) -> None:
        self.answers = list(answers)
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return self.answers.pop(0)


def sync_client(script: Script) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(script))


def async_client(script: Script) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(script))


def ident(body: Any) -> Any:
    return body


def recorder() -> tuple[list[float], Callable[[float], None]]:
    sleeps: list[float] = []
    return sleeps, sleeps.append


# --- waiting --------------------------------------------------------------------------------------------------


def test_retry_after_headers_set_each_wait() -> None:
    script = Script([
        resp(202, headers={"Location": f"{OP}/operationResults/1", "retry-after-ms": "1500"}),
        resp(200, {"name": "ws"}),
    ])
    initial = resp(202, headers={"Location": f"{OP}/operationResults/1", "Retry-After": "7"})
    sleeps, sleep = recorder()
    poller = Poller("Workspaces_CreateOrUpdate", initial, client=sync_client(script), method="PUT",
                    deserialize=ident, sleep=sleep, poll_interval=99)
    assert poller.result() == {"name": "ws"}
    assert sleeps == [7.0, 1.5]


def test_default_interval_without_hint_and_cap_on_huge_hint() -> None:
    script = Script([resp(202, headers={"Retry-After": "100000"}), resp(204)])
    initial = resp(202, headers={"Location": f"{OP}/operationResults/1"})
    sleeps, sleep = recorder()
    poller = Poller("X", initial, client=sync_client(script), method="DELETE", deserialize=ident, sleep=sleep,
                    poll_interval=2.5, max_poll_interval=40)
    assert poller.result() is None
    assert sleeps == [2.5, 40.0]


def test_api_version_added_to_operation_url_without_one() -> None:
    script = Script([resp(204)])
    initial = resp(202, headers={"Location": f"{OP}/operationResults/1"})
    Poller("X", initial, client=sync_client(script), method="DELETE", deserialize=ident, sleep=lambda s: None,
           api_version="2019-11-01").result()
    assert script.urls == [f"{OP}/operationResults/1?api-version=2019-11-01"]


# --- ARM Location ---------------------------------------------------------------------------------------------


def test_location_error_status_raises_typed_error_with_service_message() -> None:
    script = Script([resp(400, {"error": {"code": "DependentResourceInvalid",
                                          "message": "keyVault '/x' is not a Microsoft.KeyVault/vaults id"}},
                          headers={"x-ms-request-id": "rid-1"})])
    initial = resp(202, headers={"Location": f"{OP}/operationResults/1"})
    poller = Poller("Workspaces_CreateOrUpdate", initial, client=sync_client(script), method="PUT",
                    deserialize=ident, sleep=lambda s: None)
    with pytest.raises(BadRequestError) as info:
        poller.result()
    assert info.value.error_code == "DependentResourceInvalid"
    assert "Microsoft.KeyVault/vaults" in str(info.value)
    assert info.value.request_id == "rid-1"
    assert poller.done()
    with pytest.raises(BadRequestError):  # the failure is remembered, no new request
        poller.result()
    assert len(script.urls) == 1


def test_location_200_without_body_gets_the_resource() -> None:
    script = Script([resp(200)])
    initial = resp(202, headers={"Location": f"{OP}/operationResults/1"})
    refreshed: list[int] = []

    def refresh() -> httpx.Response:
        refreshed.append(1)
        return resp(200, {"name": "c", "properties": {"provisioningState": "Succeeded"}})

    p = Poller("X", initial, client=sync_client(script), method="PUT", deserialize=ident, refresh=refresh,
               sleep=lambda s: None)
    assert p.result()["name"] == "c"
    assert refreshed == [1]


def test_prefer_location_when_both_headers() -> None:
    headers = {"Location": f"{OP}/operationResults/1", "Azure-AsyncOperation": f"{OP}/operationsStatus/1"}
    p1 = Poller("X", resp(202, headers=headers), client=sync_client(Script([])), method="PUT", deserialize=ident)
    p2 = Poller("X", resp(202, headers=headers), client=sync_client(Script([])), method="PUT", deserialize=ident,
                prefer="location")
    assert (p1.strategy, p2.strategy) == ("azure-async-operation", "location")


# --- ARM Azure-AsyncOperation ---------------------------------------------------------------------------------


def test_async_operation_success_then_resource_get() -> None:
    script = Script([resp(200, {"status": "InProgress"}), resp(200, {"status": "Succeeded"})])
    initial = resp(201, {"properties": {"provisioningState": "Creating"}},
                   headers={"Azure-AsyncOperation": f"{OP}/operationsStatus/1?api-version=2019-11-01"})
    p = Poller("Compute", initial, client=sync_client(script), method="PUT", deserialize=ident,
               refresh=lambda: resp(200, {"properties": {"provisioningState": "Succeeded"}}), sleep=lambda s: None)
    assert p.status() == "Creating"
    assert not p.done()
    assert p.result() == {"properties": {"provisioningState": "Succeeded"}}
    assert p.status() == "Succeeded"
    assert len(script.urls) == 2


def test_async_operation_failed_with_double_nested_error() -> None:
    script = Script([resp(200, {"status": "Failed", "error": {"error": {"code": "QuotaExceeded", "message": "no"}}})])
    initial = resp(202, headers={"Azure-AsyncOperation": f"{OP}/operationsStatus/1"})
    p = Poller("Compute", initial, client=sync_client(script), method="DELETE", deserialize=ident,
               sleep=lambda s: None)
    with pytest.raises(OperationFailedError) as info:
        p.result()
    assert (info.value.status, info.value.error_code, info.value.message) == ("Failed", "QuotaExceeded", "no")


def test_async_operation_status_missing_is_invalid_response() -> None:
    script = Script([resp(200, {"nothing": True})])
    initial = resp(202, headers={"Azure-AsyncOperation": f"{OP}/operationsStatus/1"})
    p = Poller("X", initial, client=sync_client(script), method="DELETE", deserialize=ident, sleep=lambda s: None)
    with pytest.raises(InvalidResponseError):
        p.result()


# --- model management Operation-Location ----------------------------------------------------------------------


MMS = "https://eastus.api.azureml.ms/modelmanagement/v1.0/subscriptions/s/resourceGroups/r/providers/" \
      "Microsoft.MachineLearningServices/workspaces/w"


def test_operation_location_follows_resource_location() -> None:
    script = Script([
        resp(200, {"state": "Running"}),
        resp(200, {"state": "Succeeded", "resourceLocation": "/modelmanagement/v1.0/x/services/svc"}),
        resp(200, {"id": "svc", "state": "Healthy"}),
    ])
    initial = resp(202, headers={"Operation-Location": f"{MMS}/operations/op1"})
    p = Poller("Services_Create", initial, client=sync_client(script), method="POST", deserialize=ident,
               sleep=lambda s: None)
    assert p.result() == {"id": "svc", "state": "Healthy"}
    assert script.urls[2] == "https://eastus.api.azureml.ms/modelmanagement/v1.0/x/services/svc"


@pytest.mark.parametrize("state", ["Failed", "Cancelled", "TimedOut"])
def test_operation_location_terminal_failures(state: str) -> None:
    script = Script([resp(200, {"state": state, "error": {"code": "ScriptError", "message": "init() raised"}})])
    initial = resp(202, headers={"Operation-Location": f"{MMS}/operations/op1"})
    p = Poller("Services_Create", initial, client=sync_client(script), method="POST", deserialize=ident,
               sleep=lambda s: None)
    with pytest.raises(OperationFailedError) as info:
        p.result()
    assert info.value.status == state
    assert info.value.message == "init() raised"


# --- provisioningState on the resource ------------------------------------------------------------------------


def test_provisioning_state_polls_resource_until_terminal() -> None:
    states = iter(["Creating", "Succeeded"])
    p = Poller("X", resp(201, {"properties": {"provisioningState": "Creating"}}), client=sync_client(Script([])),
               method="PUT", deserialize=ident,
               refresh=lambda: resp(200, {"properties": {"provisioningState": next(states)}}), sleep=lambda s: None)
    assert p.strategy == "provisioning-state"
    assert p.result()["properties"]["provisioningState"] == "Succeeded"


def test_provisioning_failed_reports_first_provisioning_error() -> None:
    body = {"properties": {"provisioningState": "Failed",
                           "provisioningErrors": [{"error": {"code": "BadVmSize", "message": "size unknown"}}]}}
    p = Poller("X", resp(201, {"properties": {"provisioningState": "Creating"}}), client=sync_client(Script([])),
               method="PUT", deserialize=ident, refresh=lambda: resp(200, body), sleep=lambda s: None)
    with pytest.raises(OperationFailedError, match="size unknown"):
        p.result()


def test_already_finished_answer_needs_no_request() -> None:
    script = Script([])
    p = Poller("X", resp(200, {"properties": {"provisioningState": "Succeeded"}}), client=sync_client(script),
               method="PUT", deserialize=lambda b: b["properties"]["provisioningState"])
    assert p.done()
    assert p.result() == "Succeeded"
    assert script.urls == []


# --- guard and timeout ----------------------------------------------------------------------------------------


def guard(url: str) -> None:
    host = httpx.URL(url).host
    if not host.endswith("azure.com") and not host.endswith("azureml.ms"):
        raise UntrustedHostError(host, "AzureCloud")


def test_foreign_operation_url_refused_before_any_request() -> None:
    script = Script([])
    with pytest.raises(UntrustedHostError, match=r"evil\.example\.com"):
        Poller("X", resp(202, headers={"Location": "https://evil.example.com/op"}), client=sync_client(script),
               method="PUT", deserialize=ident, url_guard=guard)
    assert script.urls == []


def test_foreign_resource_location_refused() -> None:
    script = Script([resp(200, {"state": "Succeeded", "resourceLocation": "https://evil.example.com/svc"})])
    p = Poller("X", resp(202, headers={"Operation-Location": f"{MMS}/operations/1"}), client=sync_client(script),
               method="POST", deserialize=ident, url_guard=guard, sleep=lambda s: None)
    with pytest.raises(UntrustedHostError):
        p.result()
    assert len(script.urls) == 1


def test_timeout_reports_last_status_and_can_resume() -> None:
    now = [0.0]

    def sleep(s: float) -> None:
        now[0] += s

    script = Script([resp(200, {"status": "Running"}), resp(200, {"status": "Running"}),
                     resp(200, {"status": "Succeeded"})])
    p = Poller("X", resp(202, headers={"Azure-AsyncOperation": f"{OP}/operationsStatus/1"}),
               client=sync_client(script), method="DELETE", deserialize=ident, sleep=sleep, clock=lambda: now[0],
               poll_interval=1.0)
    with pytest.raises(OperationTimeoutError) as info:
        p.result(timeout=1.5)
    assert info.value.last_status == "Running"
    assert len(script.urls) == 2  # polled at t=1 and t=1.5, then gave up
    assert p.result() is None  # waiting again finishes it


# --- async ----------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_retry_after_honoured() -> None:
    script = Script([resp(202, headers={"retry-after-ms": "250"}), resp(200, {"name": "ws"})])
    sleeps: list[float] = []

    async def sleep(s: float) -> None:
        sleeps.append(s)

    p = AsyncPoller("X", resp(202, headers={"Location": f"{OP}/operationResults/1", "Retry-After": "3"}),
                    client=async_client(script), method="PUT", deserialize=ident, sleep=sleep)
    assert await p.result() == {"name": "ws"}
    assert sleeps == [3.0, 0.25]


@pytest.mark.anyio
async def test_async_operation_location_failure() -> None:
    script = Script([resp(200, {"state": "Running"}), resp(200, {"state": "Failed", "error": {"code": "E"}})])

    async def sleep(s: float) -> None:
        return None

    p = AsyncPoller("X", resp(202, headers={"Operation-Location": f"{MMS}/operations/1"}),
                    client=async_client(script), method="POST", deserialize=ident, sleep=sleep)
    with pytest.raises(OperationFailedError) as info:
        await p.wait()
    assert info.value.error_code == "E"


@pytest.mark.anyio
async def test_async_provisioning_state_with_async_refresh() -> None:
    states = iter(["Creating", "Creating", "Succeeded"])

    async def refresh() -> httpx.Response:
        return resp(200, {"properties": {"provisioningState": next(states)}})

    async def sleep(s: float) -> None:
        return None

    p = AsyncPoller("X", resp(201, {"properties": {"provisioningState": "Creating"}}),
                    client=async_client(Script([])), method="PUT", deserialize=ident, refresh=refresh, sleep=sleep)
    assert (await p.result())["properties"]["provisioningState"] == "Succeeded"


def test_result_with_status_reports_each_change_and_the_final_status() -> None:
    import threading

    from azureml_rest.lro import result_with_status

    class SlowPoller:
        """Moves through statuses while result() waits; only status() and result() are used."""

        def __init__(self) -> None:
            self.current = "Creating"
            self.released = threading.Event()

        def status(self) -> str:
            return self.current

        def result(self, timeout: float | None = None) -> str:
            self.released.wait(5)
            self.current = "Succeeded"
            return "done"

    poller = SlowPoller()
    seen: list[str] = []

    def report(status: str, seconds: float) -> None:
        assert seconds >= 0
        seen.append(status)
        if status == "Creating":
            poller.released.set()  # the ticker saw the first status: let the operation end

    assert result_with_status(poller, report, heartbeat=60) == "done"  # type: ignore[arg-type]
    assert seen[0] == "Creating" and seen[-1] == "Succeeded" and seen.count("Succeeded") == 1
