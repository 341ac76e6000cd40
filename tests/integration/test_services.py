"""Services: deploy (Operation-Location LRO) -> keys -> score with a key -> regenerate -> score again through the
same client (the rotated key is picked up on the 401) -> delete. Sync and async."""

from __future__ import annotations

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import AuthenticationError, NotFoundError
from azureml_rest.operations.models import artifact_url
from azureml_rest.operations.scoring import AsyncScoringClient, ScoringClient

from tests.integration.support import run_training

DATA = {"data": [[1, 2], [3, 4]]}
EXPECTED = {"result": [30, 70]}  # (row sum) * factor 10, computed by the deployed score.py


def test_service_lifecycle_with_key_rotation(ml: AzureML, workspace_names: tuple[str, str]) -> None:
    ws = ml.workspace(*workspace_names)
    run_id = run_training(ws, "it-train")
    model = ws.v1.models.register_from_run("it-train", run_id, "outputs/model.json", "it-factor")
    poller = ws.v1.services.begin_create("it-svc", model_ids=[str(model.id)], driver_program="score.py",
                                      assets=[artifact_url(run_id, "outputs/score.py")])
    assert poller.strategy == "operation-location"
    svc = poller.result(timeout=120)
    assert str(svc.state) == "Healthy"
    assert str(svc.scoring_uri).endswith("/score")
    assert "it-svc" in {s.name for s in ws.v1.services.list()}

    keys = ws.v1.services.keys(svc)
    assert keys.primary_key and keys.secondary_key
    assert keys.primary_key not in repr(keys)

    with ws.v1.scoring(svc) as scorer:
        assert scorer.score(DATA) == EXPECTED
        new = ws.v1.services.regenerate_key(svc, "Primary")
        assert new.primary_key != keys.primary_key
        # The old key is refused at once...
        with ScoringClient.from_uri(str(svc.scoring_uri), key=str(keys.primary_key)) as old:
            with pytest.raises(AuthenticationError):
                old.score(DATA)
        # ...and the same scoring client picks the new one up on its 401, without being rebuilt.
        assert scorer.score(DATA) == EXPECTED

    ws.v1.services.begin_delete(svc).result(timeout=60)
    with pytest.raises(NotFoundError):
        ws.v1.services.get(str(svc.id))


@pytest.mark.anyio
async def test_service_lifecycle_async(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    with AzureML.for_emulator(emulator_url) as sync_ml:
        run_id = run_training(sync_ml.workspace(*workspace_names), "it-train-async")
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        model = await ws.v1.models.register_from_run("it-train-async", run_id, "outputs/model.json", "it-factor-a")
        poller = await ws.v1.services.begin_create("it-svc-async", model_ids=[str(model.id)],
                                                driver_program="score.py",
                                                assets=[artifact_url(run_id, "outputs/score.py")])
        svc = await poller.result(timeout=120)
        keys = await ws.v1.services.keys(svc)
        async with ws.v1.scoring(svc) as scorer:
            assert await scorer.score(DATA) == EXPECTED
            new = await ws.v1.services.regenerate_key(svc, "Primary")
            assert new.primary_key != keys.primary_key
            async with AsyncScoringClient.from_uri(str(svc.scoring_uri), key=str(keys.primary_key)) as old:
                with pytest.raises(AuthenticationError):
                    await old.score(DATA)
            assert await scorer.score(DATA) == EXPECTED
        token = await ws.v1.services.token(svc)
        assert token.access_token and token.access_token not in repr(token)
        await (await ws.v1.services.begin_delete(svc)).result(timeout=60)
        with pytest.raises(NotFoundError):
            await ws.v1.services.get(str(svc.id))
