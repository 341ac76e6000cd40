"""Enums are open (CONTRIBUTING.md "Conventions"): a value the client does not know is kept, never an error.

- every generated enum class accepts an unknown value and gives it back unchanged;
- every JSON response schema, with an undeclared value in every enum it holds, parses and round-trips;
- two values the service could add, over real HTTP: workspace provisioningState "Migrating", run status "Paused".
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .loopback import Canned, serve
from .support import (
    GROUPS,
    UNKNOWN_ENUM,
    example_status,
    json_diff,
    normalise,
    operation_module,
    parse_as,
    response_schemas,
    spec_operations,
    synthesize,
    to_json,
)


def _enum_classes() -> list[type[enum.Enum]]:
    found: dict[str, type[enum.Enum]] = {}
    for _spec, package in GROUPS.values():
        models = importlib.import_module(f"{package}.models")
        for info in pkgutil.iter_modules(models.__path__, prefix=f"{package}.models."):
            for _name, obj in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
                if issubclass(obj, enum.Enum) and obj.__module__ == info.name:
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def test_there_are_enums_to_check() -> None:
    assert len(_enum_classes()) >= 20


@pytest.mark.parametrize("cls", _enum_classes(), ids=lambda c: f"{c.__module__.split('.')[0]}.{c.__name__}")
def test_enum_class_is_open(cls: type[enum.Enum]) -> None:
    member = cls("FutureValue")
    assert member.value == "FutureValue"
    assert str(member) == "FutureValue"
    for known in cls:  # declared values still map to their members
        assert cls(known.value) is known


@pytest.mark.parametrize(
    ("operation_id", "status", "schema"), [pytest.param(*c, id=f"{c[0]}-{c[1]}") for c in response_schemas()]
)
def test_unknown_enum_values_roundtrip(operation_id: str, status: str, schema: dict[str, Any]) -> None:
    spec = spec_operations()[operation_id].spec
    payload = synthesize(spec, schema, "enums")
    parsed = parse_as(operation_id, example_status(operation_id, status), payload)
    if isinstance(parsed, str):  # scoring's text/plain default (see test_tolerance): nothing typed to check
        return
    diffs = json_diff(normalise(payload), normalise(to_json(parsed)))
    assert not diffs, f"{operation_id} {status}: " + "; ".join(diffs)


def test_enum_payloads_hold_unknown_values() -> None:
    spec = spec_operations()["Runs_Get"].spec
    payload = synthesize(spec, {"$ref": "#/components/schemas/Run"}, "enums")
    assert payload["status"] == UNKNOWN_ENUM


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Canned]]:
    with serve() as running:
        yield running


def test_workspace_provisioning_state_migrating(server: tuple[str, Canned]) -> None:
    from azureml_management_client import Client
    from azureml_management_client.models import Workspace, WorkspaceProperties

    base_url, canned = server
    canned.set(
        200,
        b'{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/'
        b'workspaces/ws", "name": "ws", "properties": {"provisioningState": "Migrating"}}',
    )
    with Client(base_url=base_url, timeout=httpx.Timeout(10)) as client:
        response = operation_module("Workspaces_Get").sync_detailed("s", "rg", "ws", client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, Workspace)
    assert isinstance(response.parsed.properties, WorkspaceProperties)
    state = response.parsed.properties.provisioning_state
    assert state == "Migrating" and str(state) == "Migrating"
    assert response.parsed.to_dict()["properties"]["provisioningState"] == "Migrating"


def test_run_status_paused(server: tuple[str, Canned]) -> None:
    from azureml_history_client import Client
    from azureml_history_client.models import Run

    base_url, canned = server
    canned.set(200, b'{"runId": "r1", "status": "Paused", "runType": "azureml.FutureRunType"}')
    with Client(base_url=base_url, timeout=httpx.Timeout(10)) as client:
        response = operation_module("Runs_Get").sync_detailed("s", "rg", "ws", "exp", "r1", client=client)
    assert isinstance(response.parsed, Run)
    assert response.parsed.status == "Paused"
    assert response.parsed.to_dict()["status"] == "Paused"


def test_unknown_enum_in_a_request_body_is_sent_unchanged() -> None:
    from azureml_management_client.models import ComputeResource

    body = {"location": "eastus", "properties": {"computeType": "Kubernetes", "properties": {"future": 1}}}
    assert ComputeResource.from_dict(body).to_dict() == body
