"""Datastores of the current API (2025-12-01): ``ws.datastores``.

The code is written once, async, in :mod:`azureml_rest._async.datastores`; the sync classes in
:mod:`azureml_rest._sync.datastores` are generated from it (``python -m tools.unasync``). Both are re-exported
here, with :class:`DatastoreSecret` (what ``secrets()`` returns; its repr/str hide the secret).
"""

from __future__ import annotations

from azureml_machinelearning_client.models import Datastore

from .._async.datastores import AsyncDatastoreOperations
from .._sync.datastores import DatastoreOperations
from ._v2 import DatastoreSecret

__all__ = ["AsyncDatastoreOperations", "Datastore", "DatastoreOperations", "DatastoreSecret"]
