# Generated from overlays/azureml_rest/_async/environments.py by `python -m tools.unasync`: do not edit.
"""Environment versions of the current API (``EnvironmentVersions_*``, ``EnvironmentContainers_List``; 2025-12-01).

An environment version is a Docker ``image``, optionally with a conda specification (``condaFile``, the YAML
text: ``conda_file`` may be that text or a path to a ``.yml``/``.yaml`` file, which is read). Versions are
immutable once created (re-PUT with other settings is refused by the service).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from azureml_machinelearning_client.api.environments import (
    environment_containers_list,
    environment_versions_create_or_update,
    environment_versions_get,
    environment_versions_list,
)
from azureml_machinelearning_client.models import (
    EnvironmentContainer,
    EnvironmentContainerResourceArmPaginatedResult,
    EnvironmentVersion,
    EnvironmentVersionResourceArmPaginatedResult,
    ListViewType,
)

from .._call import call
from ..operations._common import run_blocking
from ..operations._v2 import GROUP, body
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["EnvironmentOperations"]



def _looks_like_path(conda_file: str | os.PathLike[str]) -> bool:
    if not isinstance(conda_file, str):
        return True
    return "\n" not in conda_file and conda_file.lower().endswith((".yml", ".yaml"))


class EnvironmentOperations:
    """``ws.environments`` (current API): create (from an image, optionally with a conda file), get, list."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def create(
        self,
        name: str,
        version: str,
        *,
        image: str,
        conda_file: str | os.PathLike[str] | None = None,
        os_type: str = "Linux",
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> EnvironmentVersion:
        """Create version ``version`` of environment ``name`` from Docker ``image`` (e.g.
        ``mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04``); ``conda_file``: the conda YAML text or a path to
        a ``.yml``/``.yaml`` file. Default ``os_type="Linux"``."""
        conda: str | None = None
        if conda_file is not None:
            if _looks_like_path(conda_file):
                conda = run_blocking(Path(conda_file).read_text)
            else:
                conda = str(conda_file)
        props: dict[str, Any] = {"image": image, "condaFile": conda, "osType": os_type, "description": description,
                                 "isAnonymous": False, "tags": dict(tags) if tags is not None else {}}
        sub, rg, ws = self._ws.ids
        return call(EnvironmentVersion, environment_versions_create_or_update.sync_detailed, sub, rg, ws,
                           name, version, client=self._ws.client(GROUP),
                           body=body(EnvironmentVersion.from_dict, props))

    def get(self, name: str, version: str) -> EnvironmentVersion:
        """One version (``NotFoundError`` when absent)."""
        sub, rg, ws = self._ws.ids
        return call(EnvironmentVersion, environment_versions_get.sync_detailed, sub, rg, ws, name, version,
                           client=self._ws.client(GROUP))

    def list(self, name: str, *, list_view_type: str = "ActiveOnly") -> Pager[EnvironmentVersion]:
        """The versions of environment ``name``; lazy, follows ``nextLink``."""
        sub, rg, ws = self._ws.ids

        def first() -> EnvironmentVersionResourceArmPaginatedResult:
            return call(EnvironmentVersionResourceArmPaginatedResult, environment_versions_list.sync_detailed,
                               sub, rg, ws, name, client=self._ws.client(GROUP),
                               list_view_type=ListViewType(list_view_type))

        return link_pager("EnvironmentVersions_List", EnvironmentVersion, first,
                          EnvironmentVersionResourceArmPaginatedResult.from_dict, self._ws, GROUP)

    def list_containers(self) -> Pager[EnvironmentContainer]:
        """The workspace's environments (``EnvironmentContainers_List``); lazy."""
        sub, rg, ws = self._ws.ids

        def first() -> EnvironmentContainerResourceArmPaginatedResult:
            return call(EnvironmentContainerResourceArmPaginatedResult,
                               environment_containers_list.sync_detailed, sub, rg, ws,
                               client=self._ws.client(GROUP))

        return link_pager("EnvironmentContainers_List", EnvironmentContainer, first,
                          EnvironmentContainerResourceArmPaginatedResult.from_dict, self._ws, GROUP)
