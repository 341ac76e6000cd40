"""The facade: :class:`AzureML` and :class:`AsyncAzureML` (one source, ``_async/client.py``; the sync class is
produced from it by ``python -m tools.unasync``)."""

from __future__ import annotations

from ._async.client import AsyncAzureML
from ._sync.client import AzureML
from .facade_support import EMULATOR_ACCOUNT

__all__ = ["EMULATOR_ACCOUNT", "AsyncAzureML", "AzureML"]
