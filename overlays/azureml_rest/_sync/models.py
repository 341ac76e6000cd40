# Generated from overlays/azureml_rest/_async/models.py by `python -m tools.unasync`: do not edit.
"""Registered models (model management, ``MLModels_*``): list (``nextLink`` paging), register, get, update, delete.

A model registered from a run points at the run's artifact with ``aml://artifact/ExperimentRun/dcid.{runId}/{path}``
(CONTRIBUTING.md). Tags are sent as ``kvTags``; ``update`` sends an RFC 6902 JSON Patch
(``application/json-patch+json``) replacing ``/description`` and/or ``/kvTags``.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.model_versions``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from azureml_modelmanagement_client.api.models import (
    ml_models_delete,
    ml_models_list_query,
    ml_models_patch,
    ml_models_query_by_id,
    ml_models_register,
)
from azureml_modelmanagement_client.models import (
    JsonPatchOperation,
    MlModelsListQueryOrderBy,
    Model,
    ModelKvTagsType0,
    ModelPropertiesType0,
    PaginatedModelList,
)

from .._call import call, call_detailed
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["ModelOperations", "artifact_url"]

_GROUP = "modelmanagement"


def artifact_url(run_id: str, path: str) -> str:
    """``aml://artifact/ExperimentRun/dcid.{run_id}/{path}``: a run artifact as a model or asset URL."""
    return f"aml://artifact/ExperimentRun/dcid.{run_id}/{path.lstrip('/')}"


def _filter_list(value: str | Mapping[str, str] | Iterable[str] | None) -> str | None:
    """``tags``/``properties`` filters: a comma list of ``key`` or ``key=value`` (specs/modelmanagement.yaml)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return ",".join(value)


def _list_kw(name: str | None, run_id: str | None, tags: Any, properties: Any, framework: str | None,
             description: str | None, page_size: int | None, order_by: str | None) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    for key, val in (("name", name), ("run_id", run_id), ("tags", _filter_list(tags)),
                     ("properties", _filter_list(properties)), ("framework", framework),
                     ("description", description), ("count", page_size)):
        if val is not None:
            kw[key] = val
    if order_by is not None:
        kw["order_by"] = MlModelsListQueryOrderBy(order_by)
    return kw


def _model_body(name: str, url: str, *, mime_type: str, run_id: str | None, experiment_name: str | None,
                description: str | None, tags: Mapping[str, str] | None, properties: Mapping[str, str] | None,
                framework: str | None, framework_version: str | None, unpack: bool | None) -> Model:
    m = Model(name=name, url=url, mime_type=mime_type)
    for attr, val in (("run_id", run_id), ("experiment_name", experiment_name), ("description", description),
                      ("framework", framework), ("framework_version", framework_version), ("unpack", unpack)):
        if val is not None:
            setattr(m, attr, val)
    if tags is not None:
        m.kv_tags = ModelKvTagsType0.from_dict(dict(tags))
    if properties is not None:
        m.properties = ModelPropertiesType0.from_dict(dict(properties))
    return m


def _patch(description: str | None, tags: Mapping[str, str] | None) -> list[JsonPatchOperation]:
    ops: list[JsonPatchOperation] = []
    if description is not None:
        ops.append(JsonPatchOperation(op="replace", path="/description", value=description))
    if tags is not None:
        ops.append(JsonPatchOperation(op="replace", path="/kvTags", value=dict(tags)))
    if not ops:
        raise ValueError("nothing to update: give description and/or tags")
    return ops


class ModelOperations:
    """``ws.v1.models``: list, register, register_from_run, get, update, delete.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.model_versions``.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def list(
        self,
        name: str | None = None,
        run_id: str | None = None,
        *,
        tags: str | Mapping[str, str] | Iterable[str] | None = None,
        properties: str | Mapping[str, str] | Iterable[str] | None = None,
        framework: str | None = None,
        description: str | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> Pager[Model]:
        """Registered models, optionally filtered; pages follow ``nextLink`` (``page_size`` is ``count``)."""
        sub, rg, ws = self._ws.ids
        kw = _list_kw(name, run_id, tags, properties, framework, description, page_size, order_by)

        def first() -> PaginatedModelList:
            return call(PaginatedModelList, ml_models_list_query.sync_detailed, sub, rg, ws,
                               client=self._ws.client(_GROUP), **kw)

        return link_pager("MLModels_ListQuery", Model, first, PaginatedModelList.from_dict, self._ws, _GROUP)

    def register(
        self,
        name: str,
        url: str,
        *,
        mime_type: str = "application/json",
        run_id: str | None = None,
        experiment_name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        properties: Mapping[str, str] | None = None,
        framework: str | None = None,
        framework_version: str | None = None,
        unpack: bool | None = None,
    ) -> Model:
        """Register a model (200 with the model; its id is ``name:version``). Default ``mime_type`` as the SDK."""
        sub, rg, ws = self._ws.ids
        body = _model_body(name, url, mime_type=mime_type, run_id=run_id, experiment_name=experiment_name,
                           description=description, tags=tags, properties=properties, framework=framework,
                           framework_version=framework_version, unpack=unpack)
        return call(Model, ml_models_register.sync_detailed, sub, rg, ws,
                           client=self._ws.client(_GROUP), body=body)

    def register_from_run(self, experiment: str, run_id: str, path: str, name: str, **kwargs: Any) -> Model:
        """Register the run artifact ``path`` (e.g. ``outputs/model.pkl``) as model ``name``."""
        return self.register(name, artifact_url(run_id, path), run_id=run_id, experiment_name=experiment,
                                   **kwargs)

    def get(self, model_id: str) -> Model:
        """One model by id (``name:version``)."""
        sub, rg, ws = self._ws.ids
        return call(Model, ml_models_query_by_id.sync_detailed, sub, rg, ws, model_id,
                           client=self._ws.client(_GROUP))

    def update(self, model_id: str, *, description: str | None = None,
                     tags: Mapping[str, str] | None = None) -> Model:
        """Replace the description and/or the tags (JSON Patch); returns the updated model."""
        sub, rg, ws = self._ws.ids
        return call(Model, ml_models_patch.sync_detailed, sub, rg, ws, model_id,
                           client=self._ws.client(_GROUP), body=_patch(description, tags))

    def delete(self, model_id: str) -> bool:
        """Delete a model: True if it existed (200), False if there was nothing to delete (204)."""
        sub, rg, ws = self._ws.ids
        resp = call_detailed(ml_models_delete.sync_detailed, sub, rg, ws, model_id,
                                    client=self._ws.client(_GROUP))
        return int(resp.status_code) != 204
