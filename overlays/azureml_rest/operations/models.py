"""Registered models (model management): ``ws.models``.

The code is written once, async, in :mod:`azureml_rest._async.models`; the sync classes in
:mod:`azureml_rest._sync.models` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from azureml_modelmanagement_client.models import Model

from .._async.models import AsyncModelOperations
from .._sync.models import ModelOperations, artifact_url

__all__ = ["AsyncModelOperations", "Model", "ModelOperations", "artifact_url"]
