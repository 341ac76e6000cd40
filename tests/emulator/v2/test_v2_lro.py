"""The v2 LRO helper (emulator/azureml_emulator/v2/lro.py) on a context of its own, and its status over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from azureml_emulator import lro as records
from azureml_emulator.config import EmulatorConfig
from azureml_emulator.context import Context
from azureml_emulator.v2 import lro
from starlette.requests import Request

from tests.emulator.support import Arm
from tests.emulator.v2.v2_support import V2Workspace

KIND = "v2:test-things"


@pytest.fixture
def space(arm: Arm) -> V2Workspace:
    return V2Workspace(arm)


def _request(version: str) -> Request:
    return Request(
        {"type": "http", "method": "PUT", "path": "/", "headers": [], "query_string": f"api-version={version}".encode()}
    )


@pytest.fixture
def ctx() -> Iterator[Context]:
    context = Context.create(EmulatorConfig(lro_delay=60))
    context.base_url = "http://127.0.0.1:1"
    yield context
    context.store.close()
    records.SETTLE_HOOKS.pop(KIND, None)


def test_created_answers_201_with_both_polling_urls(ctx: Context) -> None:
    lro.register(KIND)
    ctx.store.put(KIND, "s/r/w/a", {"properties": {"provisioningState": "Creating"}})
    op = lro.begin(ctx, _request("2023-04-01-preview"), sub="s", location="East US", kind=KIND, key="s/r/w/a",
                   action="create")  # fmt: skip
    response = lro.created(ctx, op, {"name": "a"})
    assert response.status_code == 201
    status_url = response.headers["Azure-AsyncOperation"]
    assert status_url.startswith("http://127.0.0.1:1/subscriptions/s/providers/Microsoft.MachineLearningServices/")
    assert "/locations/eastus/operationsStatus/" in status_url and status_url.endswith("api-version=2023-04-01-preview")
    assert "/operationResults/" in response.headers["Location"] and response.headers["retry-after-ms"]
    assert lro.status(ctx, op["name"]) == "InProgress"
    lro.settle_now(ctx, op)
    assert lro.status(ctx, op["name"]) == "Succeeded"
    assert ctx.store.get(KIND, "s/r/w/a") == {"properties": {"provisioningState": "Succeeded"}}
    assert lro.status(ctx, "no-such-operation") is None


def test_a_failed_create_removes_the_resource_and_keeps_the_error(ctx: Context) -> None:
    calls: list[tuple[str, str]] = []
    lro.register(KIND, on_succeeded=lambda c, key, action: calls.append((key, action)))
    ctx.store.put(KIND, "s/r/w/b", {"properties": {"provisioningState": "Creating"}})
    op = lro.begin(ctx, _request("2025-12-01"), sub="s", location="eastus", kind=KIND, key="s/r/w/b", action="create",
                   error=(409, "QuotaExceeded", "No cores left."))  # fmt: skip
    lro.settle_now(ctx, op)
    record = ctx.store.get(records.OPS, op["name"])
    assert record is not None and record["status"] == "Failed"
    assert record["error"]["code"] == "QuotaExceeded" and record["internal"]["errorStatus"] == 409
    assert ctx.store.get(KIND, "s/r/w/b") is None and calls == []
    ctx.store.put(KIND, "s/r/w/c", {"properties": {}})
    done = lro.begin(ctx, _request("2025-12-01"), sub="s", location="eastus", kind=KIND, key="s/r/w/c", action="delete")
    assert lro.accepted(ctx, done).status_code == 202
    lro.settle_now(ctx, done)
    assert calls == [("s/r/w/c", "delete")] and ctx.store.get(KIND, "s/r/w/c") is None


def test_registered_kinds_go_with_their_workspace(ctx: Context) -> None:
    lro.register(KIND)
    ctx.store.put("workspaces", "s/r/w", {"properties": {}})
    ctx.store.put(KIND, "s/r/w/x", {"properties": {}})
    ctx.store.put(KIND, "s/r/w2/x", {"properties": {}})
    op = records.start(ctx, sub="s", location="eastus", kind="workspaces", key="s/r/w", action="delete",
                       api_version="2025-12-01")  # fmt: skip
    records.settle(ctx, op["name"])
    assert ctx.store.get(KIND, "s/r/w/x") is None and ctx.store.get(KIND, "s/r/w2/x") is not None


def test_operation_status_over_http(space: V2Workspace) -> None:
    body = {"location": "eastus", "properties": {"computeType": "AmlCompute",
            "properties": {"vmSize": "STANDARD_DS3_V2", "scaleSettings": {"maxNodeCount": 1}}}}  # fmt: skip
    r = space.call("PUT", "/computes/lro-cluster", json=body)
    first = space.arm.client.get(r.headers["Azure-AsyncOperation"]).json()
    assert first["status"] in ("InProgress", "Succeeded") and first["startTime"]
    for _ in range(200):
        result = space.arm.client.get(r.headers["Location"])
        if result.status_code != 202:
            break
        time.sleep(0.05)
    assert result.status_code == 200 and result.json()["properties"]["provisioningState"] == "Succeeded"
    assert space.arm.client.get(r.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"
