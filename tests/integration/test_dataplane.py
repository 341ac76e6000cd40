"""Experiments and models through the facade (sync and async) against the emulator."""

from __future__ import annotations

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import NotFoundError
from azureml_rest.operations.models import artifact_url


def test_experiments_create_get_list(ml: AzureML, workspace_names: tuple[str, str]) -> None:
    ws = ml.workspace(*workspace_names)
    for name in ("exp-a", "exp-b", "exp-c"):
        ws.v1.experiments.create(name)
    assert ws.v1.experiments.get("exp-b").name == "exp-b"
    pages = list(ws.v1.experiments.list(page_size=2).by_page())
    assert all(len(p) <= 2 for p in pages) and len(pages) >= 2  # continuationToken paging
    names = {e.name for p in pages for e in p}
    assert {"exp-a", "exp-b", "exp-c"} <= names
    with pytest.raises(NotFoundError):
        ws.v1.experiments.get("no-such-experiment")


@pytest.mark.anyio
async def test_experiments_async(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        await ws.v1.experiments.create("exp-async")
        assert (await ws.v1.experiments.get("exp-async")).name == "exp-async"
        assert "exp-async" in [e.name async for e in ws.v1.experiments.list()]


MODEL_URL = "aml://asset/0123456789abcdef"


def test_models_register_list_pages_get_update_delete(ml: AzureML, workspace_names: tuple[str, str]) -> None:
    ws = ml.workspace(*workspace_names)
    registered = [ws.v1.models.register("it-paged", MODEL_URL, description=f"v{i}", tags={"i": str(i)})
                  for i in range(5)]
    assert [m.version for m in registered] == [1, 2, 3, 4, 5]
    pager = ws.v1.models.list(name="it-paged", page_size=2)
    pages = list(pager.by_page())
    assert [len(p) for p in pages] == [2, 2, 1]  # nextLink paging
    assert sorted(m.version for p in pages for m in p) == [1, 2, 3, 4, 5]  # type: ignore[type-var]

    model_id = str(registered[0].id)
    assert ws.v1.models.get(model_id).description == "v0"
    updated = ws.v1.models.update(model_id, description="better", tags={"stage": "prod"})
    assert updated.description == "better"
    assert updated.kv_tags["stage"] == "prod"  # type: ignore[index,union-attr]
    assert ws.v1.models.get(model_id).description == "better"
    assert ws.v1.models.delete(model_id) is True
    assert ws.v1.models.delete(model_id) is False  # 204: nothing left to delete
    with pytest.raises(NotFoundError):
        ws.v1.models.get(model_id)


@pytest.mark.anyio
async def test_models_async(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        ws = ml.workspace(*workspace_names)
        for i in range(3):
            await ws.v1.models.register("it-paged-async", MODEL_URL, tags={"i": str(i)})
        pages = [p async for p in ws.v1.models.list(name="it-paged-async", page_size=2).by_page()]
        assert [len(p) for p in pages] == [2, 1]
        first = pages[0][0]
        got = await ws.v1.models.get(str(first.id))
        assert got.name == "it-paged-async"
        await ws.v1.models.update(str(first.id), description="async")
        assert (await ws.v1.models.get(str(first.id))).description == "async"
        assert await ws.v1.models.delete(str(first.id)) is True


def test_artifact_url_form() -> None:
    assert artifact_url("run_1", "/outputs/model.pkl") == "aml://artifact/ExperimentRun/dcid.run_1/outputs/model.pkl"
