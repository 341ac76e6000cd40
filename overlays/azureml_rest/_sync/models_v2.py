# Generated from overlays/azureml_rest/_async/models_v2.py by `python -m tools.unasync`: do not edit.
"""Model versions of the current API (``ModelVersions_*``, ``ModelContainers_List``; 2025-12-01).

``create`` registers a version whose ``modelUri`` is either a job output
(``azureml://jobs/{job}/outputs/{output}/paths/{path}``), any other ``azureml://`` URI, or a local file or folder,
which is first uploaded under ``LocalUpload/{id}/`` of the workspace's default datastore (as azure-ai-ml does;
:mod:`azureml_rest._async._v2_calls`) and referenced as ``azureml://datastores/{default}/paths/LocalUpload/...``.
Versions are immutable; ``archive`` re-PUTs one with ``isArchived: true`` (archived versions leave the default
list view). Microsoft's 2025-12-01 spec also has ``ModelVersions_Delete``; specs/machinelearning.yaml does not
declare it yet, so there is no ``delete`` here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from azureml_machinelearning_client.api.models import (
    model_containers_list,
    model_versions_create_or_update,
    model_versions_get,
    model_versions_list,
)
from azureml_machinelearning_client.models import (
    ListViewType,
    ModelContainer,
    ModelContainerResourceArmPaginatedResult,
    ModelVersion,
    ModelVersionResourceArmPaginatedResult,
)

from .._call import call
from ..operations._common import text
from ..operations._v2 import DEFAULT_DATASTORE, GROUP, body
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["ModelVersionOperations"]


def _is_uri(path: str | os.PathLike[str]) -> bool:
    return isinstance(path, str) and "://" in path


class ModelVersionOperations:
    """``ws.model_versions`` (current API): create (from a job output, a datastore URI or a local path), get,
    list (lazy), archive. ``upload_options`` go to the blob client of a local path's upload (``concurrency``,
    ``block_size``, ``single_put_size``)."""

    def __init__(self, ws: Any, **upload_options: Any) -> None:
        self._ws = ws
        self._upload_options = upload_options

    def create(
        self,
        name: str,
        version: str,
        path: str | os.PathLike[str],
        *,
        model_type: str = "custom_model",
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        properties: Mapping[str, str] | None = None,
        on_progress: Callable[[int, int], object] | None = None,
    ) -> ModelVersion:
        """Register version ``version`` of model ``name`` from ``path``: an ``azureml://`` URI (a job output
        ``azureml://jobs/{job}/outputs/{output}/paths/{path}``, a datastore path) or a local file or folder,
        uploaded first. Default ``model_type="custom_model"`` (azure-ai-ml's asset type names); ``flavors`` is
        sent as ``{}`` (azure-ai-ml needs the field present when it reads the version back).
        ``on_progress(sent, total)``: the bytes of a local path's upload, ``(0, total)`` first, growing with each
        stored file and each acknowledged block of a large file, ``(total, total)`` last (not called for a
        URI)."""
        uri = str(path) if _is_uri(path) else self._upload(path, on_progress)
        props: dict[str, Any] = {"modelUri": uri, "modelType": model_type, "flavors": {}, "isAnonymous": False,
                                 "isArchived": False, "description": description,
                                 "tags": dict(tags) if tags is not None else {},
                                 "properties": dict(properties) if properties is not None else {}}
        return self._put(name, version, props)

    def _upload(self, path: str | os.PathLike[str],
                      on_progress: Callable[[int, int], object] | None = None) -> str:
        from ._v2_calls import upload_to_default_datastore

        datastore = self._default_datastore()
        uploaded = upload_to_default_datastore(self._ws, path, on_progress=on_progress,
                                                **self._upload_options)
        return f"azureml://datastores/{datastore}/paths/{uploaded.path}"

    def _default_datastore(self) -> str:
        from .datastores import DatastoreOperations

        found = DatastoreOperations(self._ws).find_default()
        name = text(found.name) if found is not None else None
        return name or DEFAULT_DATASTORE  # the conventional name, used when the workspace names no default

    def _put(self, name: str, version: str, props: Mapping[str, Any]) -> ModelVersion:
        sub, rg, ws = self._ws.ids
        return call(ModelVersion, model_versions_create_or_update.sync_detailed, sub, rg, ws, name,
                           version, client=self._ws.client(GROUP), body=body(ModelVersion.from_dict, props))

    def get(self, name: str, version: str) -> ModelVersion:
        """One version (``NotFoundError`` when absent)."""
        sub, rg, ws = self._ws.ids
        return call(ModelVersion, model_versions_get.sync_detailed, sub, rg, ws, name, version,
                           client=self._ws.client(GROUP))

    def list(self, name: str, *, list_view_type: str = "ActiveOnly") -> Pager[ModelVersion]:
        """The versions of model ``name`` (``ActiveOnly`` by default; ``ArchivedOnly``, ``All``); lazy,
        follows ``nextLink``."""
        sub, rg, ws = self._ws.ids

        def first() -> ModelVersionResourceArmPaginatedResult:
            return call(ModelVersionResourceArmPaginatedResult, model_versions_list.sync_detailed, sub,
                               rg, ws, name, client=self._ws.client(GROUP),
                               list_view_type=ListViewType(list_view_type))

        return link_pager("ModelVersions_List", ModelVersion, first, ModelVersionResourceArmPaginatedResult.from_dict,
                          self._ws, GROUP)

    def list_containers(self) -> Pager[ModelContainer]:
        """The workspace's models (``ModelContainers_List``: name, latest version...); lazy."""
        sub, rg, ws = self._ws.ids

        def first() -> ModelContainerResourceArmPaginatedResult:
            return call(ModelContainerResourceArmPaginatedResult, model_containers_list.sync_detailed,
                               sub, rg, ws, client=self._ws.client(GROUP))

        return link_pager("ModelContainers_List", ModelContainer, first,
                          ModelContainerResourceArmPaginatedResult.from_dict, self._ws, GROUP)

    def archive(self, name: str, version: str) -> ModelVersion:
        """Archive a version (re-PUT with ``isArchived: true``; the version stays readable by name)."""
        current = self.get(name, version)
        props = {k: v for k, v in current.properties.to_dict().items() if k != "provisioningState"}
        props["isArchived"] = True
        return self._put(name, version, props)
