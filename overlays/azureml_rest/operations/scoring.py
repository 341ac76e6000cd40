"""Scoring a deployed service: ``ws.scoring(service)``, ``ScoringClient.from_uri(...)``.

The code is written once, async, in :mod:`azureml_rest._async.scoring`; the sync classes in
:mod:`azureml_rest._sync.scoring` are generated from it
(``python -m tools.unasync``). Both are re-exported here.
"""

from __future__ import annotations

from .._async.scoring import AsyncScoringClient
from .._sync.scoring import ScoringClient, scoring_base_url

__all__ = ["AsyncScoringClient", "ScoringClient", "scoring_base_url"]
