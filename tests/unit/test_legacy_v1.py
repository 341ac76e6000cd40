"""``ws.v1``: the legacy v1 groups under a name that says so, the same objects as the handle's attributes (sync
and async), and the deprecation dates in the docstrings of the namespace and of every v1 operations class."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.legacy_v1 import V1_DEPRECATION, AsyncLegacyV1, LegacyV1
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


def test_the_sync_namespace_gives_the_handles_own_objects() -> None:
    with AzureML.for_emulator(URL) as ml:
        ws = ml.workspace("rg", "ws")
        assert isinstance(ws.v1, LegacyV1) and ws.v1 is ws.v1
        assert ws.v1.runs is ws.runs and isinstance(ws.runs, RunOperations)
        assert ws.v1.experiments is ws.experiments
        assert ws.v1.models is ws.models
        assert ws.v1.services is ws.services
        with ws.v1.scoring(SERVICE) as a, ws.scoring(SERVICE) as b:
            assert type(a) is type(b) is ScoringClient and a.scoring_uri == b.scoring_uri == SCORING


@pytest.mark.anyio
async def test_the_async_namespace_gives_the_handles_own_objects() -> None:
    async with AsyncAzureML.for_emulator(URL) as ml:
        ws = ml.workspace("rg", "ws")
        assert isinstance(ws.v1, AsyncLegacyV1) and ws.v1 is ws.v1
        assert ws.v1.runs is ws.runs and isinstance(ws.runs, AsyncRunOperations)
        assert ws.v1.experiments is ws.experiments
        assert ws.v1.models is ws.models
        assert ws.v1.services is ws.services
        async with ws.v1.scoring(SERVICE) as a, ws.scoring(SERVICE) as b:
            assert type(a) is type(b) is AsyncScoringClient and a.scoring_uri == b.scoring_uri == SCORING


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
