"""``ws.v1``: the home of the legacy v1 groups (built once per handle); the handle's old un-prefixed names are
deprecated aliases giving the very same objects with a ``DeprecationWarning`` at the caller's line (sync and
async); the deprecation dates in the docstrings of the namespace and of every v1 operations class and module."""

from __future__ import annotations

import importlib
import inspect
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from azureml_rest import run_submission, run_waiting, runs
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.legacy_v1 import V1_DEPRECATION, AsyncLegacyV1, LegacyV1
from azureml_rest.operations import experiments, models, scoring, services
from azureml_rest.operations import runs as run_operations
from azureml_rest.operations.experiments import AsyncExperimentOperations, ExperimentOperations
from azureml_rest.operations.models import AsyncModelOperations, ModelOperations
from azureml_rest.operations.scoring import AsyncScoringClient, ScoringClient
from azureml_rest.operations.services import AsyncServiceOperations, ServiceOperations
from azureml_rest.runs import AsyncRunOperations, RunOperations
from azureml_rest.workspace import AsyncWorkspace, Workspace

DATES = ("deprecated 2025-03-31", "CLI v1 support ended 2025-09-30", "SDK v1 support ended 2026-06-30")
URL = "http://127.0.0.1:9"  # never contacted: handles and operation objects make no request until used
SCORING = "http://127.0.0.1:9/api/v1/service/svc/score"
SERVICE = SimpleNamespace(id="svc", name="svc", scoring_uri=SCORING, auth_enabled=False)  # a ServiceResponse's fields
#: each deprecated handle attribute -> the current API's way its warning names
ALIASES = {
    "runs": "ws.jobs",
    "experiments": "ws.jobs (a job's experiment_name)",
    "models": "ws.model_versions",
    "services": "ws.online_endpoints and ws.online_deployments",
    "scoring": "ws.online_endpoints.invoke",
}
SYNC_GROUPS = {"runs": RunOperations, "experiments": ExperimentOperations, "models": ModelOperations,
               "services": ServiceOperations}
ASYNC_GROUPS = {"runs": AsyncRunOperations, "experiments": AsyncExperimentOperations,
                "models": AsyncModelOperations, "services": AsyncServiceOperations}


def expected_warning(name: str) -> str:
    return (f"ws.{name} is the legacy v1 API (deprecated 2025-03-31, SDK v1 support ended 2026-06-30): "
            f"use ws.v1.{name}, or {ALIASES[name]} on the current API")


@contextmanager
def deprecations() -> Iterator[list[warnings.WarningMessage]]:
    """Every DeprecationWarning raised inside, each time (not once per location)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield seen
    seen[:] = [w for w in seen if issubclass(w.category, DeprecationWarning)]


def test_the_sync_namespace_builds_each_group_once_without_a_warning() -> None:
    with AzureML.for_emulator(URL) as ml, deprecations() as seen:
        ws = ml.workspace("rg", "ws")
        assert isinstance(ws.v1, LegacyV1) and ws.v1 is ws.v1
        for name, cls in SYNC_GROUPS.items():
            ops = getattr(ws.v1, name)
            assert type(ops) is cls and getattr(ws.v1, name) is ops
        with ws.v1.scoring(SERVICE) as client:
            assert type(client) is ScoringClient and client.scoring_uri == SCORING
        assert ml.workspace("rg", "ws").v1.runs is not ws.v1.runs  # per handle
    assert seen == []


@pytest.mark.anyio
async def test_the_async_namespace_builds_each_group_once_without_a_warning() -> None:
    async with AsyncAzureML.for_emulator(URL) as ml:
        with deprecations() as seen:
            ws = ml.workspace("rg", "ws")
            assert isinstance(ws.v1, AsyncLegacyV1) and ws.v1 is ws.v1
            for name, cls in ASYNC_GROUPS.items():
                ops = getattr(ws.v1, name)
                assert type(ops) is cls and getattr(ws.v1, name) is ops
            async with ws.v1.scoring(SERVICE) as client:
                assert type(client) is AsyncScoringClient and client.scoring_uri == SCORING
        assert seen == []


def _check_alias(ws: Any, name: str) -> None:
    """``ws.<name>`` is ``ws.v1.<name>`` and warns once, at this function's line, with the expected text."""
    new = getattr(ws.v1, name)
    with deprecations() as seen:
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        old = getattr(ws, name)
    assert old is new if name != "scoring" else old == new  # a bound method: equal, made on each access
    assert [str(w.message) for w in seen] == [expected_warning(name)]
    assert seen[0].filename == __file__ and seen[0].lineno == line  # stacklevel: the caller's line


@pytest.mark.parametrize("name", list(ALIASES))
def test_a_sync_alias_is_the_v1_object_with_a_warning(name: str) -> None:
    with AzureML.for_emulator(URL) as ml:
        _check_alias(ml.workspace("rg", "ws"), name)


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(ALIASES))
async def test_an_async_alias_is_the_v1_object_with_a_warning(name: str) -> None:
    async with AsyncAzureML.for_emulator(URL) as ml:
        _check_alias(ml.workspace("rg", "ws"), name)


def test_the_scoring_alias_still_scores_through_the_v1_client() -> None:
    with AzureML.for_emulator(URL) as ml:
        ws = ml.workspace("rg", "ws")
        with pytest.warns(DeprecationWarning, match=r"use ws\.v1\.scoring, or ws\.online_endpoints\.invoke"):
            client = ws.scoring(SERVICE, auth="key")
        with client:
            assert type(client) is ScoringClient and client.scoring_uri == SCORING


def test_warnings_as_errors_break_only_the_old_names() -> None:
    """What ``python -W error::DeprecationWarning`` does to code still on the old names."""
    with AzureML.for_emulator(URL) as ml, warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        ws = ml.workspace("rg", "ws")
        assert ws.v1.services is ws.v1.services
        with pytest.raises(DeprecationWarning, match=r"^ws\.services is the legacy v1 API"):
            _ = ws.services


@pytest.mark.parametrize("handle", [Workspace, AsyncWorkspace])
def test_the_class_attribute_is_the_documented_alias(handle: type) -> None:
    with deprecations() as seen:
        for name in ALIASES:
            text = " ".join((inspect.getdoc(getattr(handle, name)) or "").split())
            assert expected_warning(name) in text and V1_DEPRECATION in text
    assert seen == []  # reading the class (help(), docs tools) warns of nothing


def _module_doc(obj: object) -> str:
    if isinstance(obj, str):  # a module without a public class to reach it by: its generated sync twin too
        obj = importlib.import_module(obj)
    module = obj if inspect.ismodule(obj) else sys.modules[getattr(obj, "__module__", "")]
    return module.__doc__ or ""


@pytest.mark.parametrize("documented", [
    LegacyV1, AsyncLegacyV1, Workspace.v1, AsyncWorkspace.v1, V1_DEPRECATION,
    RunOperations, AsyncRunOperations, ExperimentOperations, AsyncExperimentOperations, ModelOperations,
    AsyncModelOperations, ServiceOperations, AsyncServiceOperations, ScoringClient, AsyncScoringClient,
])
def test_every_v1_class_and_the_namespace_state_the_deprecation_dates(documented: object) -> None:
    doc = documented if isinstance(documented, str) else inspect.getdoc(documented) or ""
    text = " ".join(doc.split())
    assert "Legacy v1 API" in text and "how-to-migrate-from-v1" in text
    for date in DATES:
        assert date in text


@pytest.mark.parametrize("module", [
    # the public modules, and (through a class they define) the async sources and their generated sync twins
    experiments, models, services, scoring, run_operations, runs, run_submission, run_waiting,
    RunOperations, AsyncRunOperations, ExperimentOperations, AsyncExperimentOperations, ModelOperations,
    AsyncModelOperations, ServiceOperations, AsyncServiceOperations, ScoringClient, AsyncScoringClient,
    LegacyV1, AsyncLegacyV1, *[f"azureml_rest.{side}.{name}" for side in ("_async", "_sync")
                               for name in ("run_submission", "run_waiting")],
], ids=lambda m: m if isinstance(m, str) else m.__name__)
def test_every_v1_module_states_the_deprecation_dates(module: object) -> None:
    text = " ".join(_module_doc(module).split())
    assert "Legacy v1 API" in text and "how-to-migrate-from-v1" in text, text[:200]
    for date in DATES:
        assert date in text
