"""Scoring a deployed service: ``ws.v1.scoring(service)``, ``ScoringClient.from_uri(...)``.

The code is written once, async, in :mod:`azureml_rest._async.scoring`; the sync classes in
:mod:`azureml_rest._sync.scoring` are generated from it
(``python -m tools.unasync``). Both are re-exported here.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints.invoke(...)``.
"""

from __future__ import annotations

from .._async.scoring import AsyncScoringClient
from .._sync.scoring import ScoringClient, scoring_base_url

__all__ = ["AsyncScoringClient", "ScoringClient", "scoring_base_url"]
