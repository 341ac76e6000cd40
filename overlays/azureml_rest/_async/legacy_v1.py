"""``ws.v1``: the legacy v1 API of the article (run history, execution, model management, scoring) under a name
that says so. Source of :class:`~azureml_rest.legacy_v1.AsyncLegacyV1` and (``python -m tools.unasync``)
``LegacyV1``.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn, "Upgrade to v2", how-to-migrate-from-v1). New code uses the current API: ``ws.jobs``,
``ws.model_versions``, ``ws.online_endpoints``, ``ws.online_deployments`` (README.md, "Migrating from the
article").

The namespace holds no state of its own: ``ws.v1.runs is ws.runs`` (the same cached operation objects), so code
written against the handle's attributes and code written against ``ws.v1`` share clients, caches and discovery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..operations.experiments import AsyncExperimentOperations
    from ..operations.models import AsyncModelOperations
    from ..operations.scoring import AsyncScoringClient
    from ..operations.services import AsyncServiceOperations
    from ..runs import AsyncRunOperations

__all__ = ["V1_DEPRECATION", "AsyncLegacyV1"]

#: The dates every v1 docstring and the README state (Microsoft Learn: how-to-migrate-from-v1).
V1_DEPRECATION = ("Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended "
                  "2026-06-30 (Microsoft Learn: how-to-migrate-from-v1).")


class AsyncLegacyV1:
    """``ws.v1``: the article's v1 groups (``runs``, ``experiments``, ``models``, ``services``,
    ``scoring(...)``), the same objects as the handle's attributes of those names.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). Use ``ws.jobs``, ``ws.model_versions``, ``ws.online_endpoints``
    and ``ws.online_deployments`` for new work.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._ws!r}>"

    @property
    def runs(self) -> AsyncRunOperations:
        """Run history and execution (``ws.runs``): submit a zipped folder, wait, logs, artifacts."""
        runs: AsyncRunOperations = self._ws.runs
        return runs

    @property
    def experiments(self) -> AsyncExperimentOperations:
        """Experiments of run history (``ws.experiments``)."""
        experiments: AsyncExperimentOperations = self._ws.experiments
        return experiments

    @property
    def models(self) -> AsyncModelOperations:
        """Model management's registered models (``ws.models``)."""
        models: AsyncModelOperations = self._ws.models
        return models

    @property
    def services(self) -> AsyncServiceOperations:
        """Model management's web services (ACI/AKS deployments, keys; ``ws.services``)."""
        services: AsyncServiceOperations = self._ws.services
        return services

    def scoring(self, service: Any, *, auth: str = "key") -> AsyncScoringClient:
        """A scoring client for a v1 service (``ws.scoring(service, auth=...)``)."""
        client: AsyncScoringClient = self._ws.scoring(service, auth=auth)
        return client
