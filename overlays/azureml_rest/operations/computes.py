"""Computes of a workspace (ARM): ``ws.computes``.

The code is written once, async, in :mod:`azureml_rest._async.computes`; the sync classes in
:mod:`azureml_rest._sync.computes` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_management_client.models import ComputeResource

from .._async.computes import AsyncComputeOperations
from .._sync.computes import ComputeOperations

__all__ = ["AsyncComputeOperations", "ComputeOperations", "ComputeResource"]
