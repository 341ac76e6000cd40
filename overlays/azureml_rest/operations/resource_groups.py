"""Resource groups (Microsoft.Resources): ``ml.resource_groups``.

The code is written once, async, in :mod:`azureml_rest._async.resource_groups`; the sync classes in
:mod:`azureml_rest._sync.resource_groups` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_management_client.models import ResourceGroup

from .._async.resource_groups import AsyncResourceGroupOperations
from .._sync.resource_groups import ResourceGroupOperations

__all__ = ["AsyncResourceGroupOperations", "ResourceGroup", "ResourceGroupOperations"]
