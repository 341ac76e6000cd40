"""Registered models (model management): ``ws.v1.models``.

The code is written once, async, in :mod:`azureml_rest._async.models`; the sync classes in
:mod:`azureml_rest._sync.models` are generated from it
(``python -m tools.unasync``). Both are re-exported here.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.model_versions``.
"""

from __future__ import annotations

from azureml_modelmanagement_client.models import Model

from .._async.models import AsyncModelOperations
from .._sync.models import ModelOperations, artifact_url

__all__ = ["AsyncModelOperations", "Model", "ModelOperations", "artifact_url"]
