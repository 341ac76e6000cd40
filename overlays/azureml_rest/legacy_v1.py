"""The legacy v1 namespace of a workspace handle (``ws.v1``): :class:`LegacyV1` and :class:`AsyncLegacyV1`.

One source, ``_async/legacy_v1.py`` (the sync class by ``python -m tools.unasync``). Legacy v1 API: deprecated
2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30 (Microsoft Learn:
how-to-migrate-from-v1).
"""

from __future__ import annotations

from ._async.legacy_v1 import V1_DEPRECATION, AsyncLegacyV1
from ._sync.legacy_v1 import LegacyV1

__all__ = ["V1_DEPRECATION", "AsyncLegacyV1", "LegacyV1"]
