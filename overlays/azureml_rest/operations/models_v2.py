"""Model versions of the current API (2025-12-01): ``ws.model_versions``.

The code is written once, async, in :mod:`azureml_rest._async.models_v2`; the sync classes in
:mod:`azureml_rest._sync.models_v2` are generated from it (``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_machinelearning_client.models import ModelContainer, ModelVersion

from .._async.models_v2 import AsyncModelVersionOperations
from .._sync.models_v2 import ModelVersionOperations

__all__ = ["AsyncModelVersionOperations", "ModelContainer", "ModelVersion", "ModelVersionOperations"]
