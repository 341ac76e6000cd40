"""Workspaces (ARM): ``ml.workspaces``.

The code is written once, async, in :mod:`azureml_rest._async.workspaces`; the sync classes in
:mod:`azureml_rest._sync.workspaces` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_management_client.models import Workspace

from .._async.workspaces import AsyncWorkspaceOperations, aget_workspace
from .._sync.workspaces import WorkspaceOperations, get_workspace

__all__ = ["AsyncWorkspaceOperations", "Workspace", "WorkspaceOperations", "aget_workspace", "get_workspace"]
