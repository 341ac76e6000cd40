# Generated from overlays/azureml_rest/_async/legacy_v1.py by `python -m tools.unasync`: do not edit.
"""``ws.v1``: the legacy v1 API of the article (run history, execution, model management, scoring) under a name
that says so. Source of :class:`~azureml_rest.legacy_v1.LegacyV1` and (``python -m tools.unasync``)
``LegacyV1``.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn, "Upgrade to v2", how-to-migrate-from-v1). New code uses the current API: ``ws.jobs``,
``ws.model_versions``, ``ws.online_endpoints``, ``ws.online_deployments`` (README.md, "Migrating from the
article").

``ws.v1`` is the home of the v1 operation objects: it builds each once per handle (cached). The handle's old
un-prefixed names (``ws.runs``, ``ws.experiments``, ``ws.models``, ``ws.services``, ``ws.scoring(...)``) are
:class:`V1Alias` descriptors: they still work, give ``ws.v1``'s very objects, and warn
(``DeprecationWarning``, :func:`alias_message`).
"""

from __future__ import annotations

import warnings
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from ..operations.experiments import ExperimentOperations
    from ..operations.models import ModelOperations
    from ..operations.scoring import ScoringClient
    from ..operations.services import ServiceOperations
    from ..runs import RunOperations

__all__ = ["V1_DEPRECATION", "LegacyV1", "ScoringFactory", "V1Alias", "alias_message"]

#: The dates every v1 docstring and the README state (Microsoft Learn: how-to-migrate-from-v1).
V1_DEPRECATION = ("Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended "
                  "2026-06-30 (Microsoft Learn: how-to-migrate-from-v1).")

T = TypeVar("T")


def alias_message(name: str, current: str) -> str:
    """The warning of the deprecated handle attribute ``ws.<name>``; ``current`` is the current API's way."""
    return (f"ws.{name} is the legacy v1 API (deprecated 2025-03-31, SDK v1 support ended 2026-06-30): "
            f"use ws.v1.{name}, or {current} on the current API")


class V1Alias(Generic[T]):
    """A handle attribute kept for existing code: ``ws.<name>`` gives ``ws.v1.<name>`` (the very same object) and
    emits a ``DeprecationWarning`` at the caller's line naming ``ws.v1.<name>``, the current API's replacement
    (``current``) and the dates.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1).
    """

    def __init__(self, current: str) -> None:
        self.current = current
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.__doc__ = f"Deprecated: {alias_message(name, current=self.current)}. {V1_DEPRECATION}"

    @overload
    def __get__(self, ws: None, owner: type | None = None) -> V1Alias[T]: ...

    @overload
    def __get__(self, ws: object, owner: type | None = None) -> T: ...

    def __get__(self, ws: object, owner: type | None = None) -> V1Alias[T] | T:
        if ws is None:
            return self
        warnings.warn(alias_message(self.name, self.current), DeprecationWarning, stacklevel=2)
        handle: Any = ws  # a workspace handle (sync or async): its ``v1`` is the home of the object
        value: T = getattr(handle.v1, self.name)
        return value


class ScoringFactory(Protocol):
    """``ws.v1.scoring``: ``(service, *, auth="key") -> ScoringClient``."""

    def __call__(self, service: Any, *, auth: str = "key") -> ScoringClient: ...


class LegacyV1:
    """``ws.v1``: the article's v1 groups (``runs``, ``experiments``, ``models``, ``services``,
    ``scoring(...)``), each operation object built once per handle. The handle's un-prefixed names of these
    groups are deprecated aliases of them.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). Use ``ws.jobs``, ``ws.model_versions``, ``ws.online_endpoints``
    and ``ws.online_deployments`` for new work.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._ws!r}>"

    @cached_property
    def runs(self) -> RunOperations:
        """Run history and execution: submit a zipped folder, wait, logs, artifacts (the current API: ``ws.jobs``).
        """
        from ..runs import RunOperations

        return RunOperations(self._ws)

    @cached_property
    def experiments(self) -> ExperimentOperations:
        """Experiments of run history (the current API: a job's ``experiment_name``, ``ws.jobs.list()``)."""
        from ..operations.experiments import ExperimentOperations

        return ExperimentOperations(self._ws)

    @cached_property
    def models(self) -> ModelOperations:
        """Model management's registered models (the current API: ``ws.model_versions``)."""
        from ..operations.models import ModelOperations

        return ModelOperations(self._ws)

    @cached_property
    def services(self) -> ServiceOperations:
        """Model management's web services: ACI/AKS deployments, keys (the current API: ``ws.online_endpoints``,
        ``ws.online_deployments``)."""
        from ..operations.services import ServiceOperations

        return ServiceOperations(self._ws)

    def scoring(self, service: Any, *, auth: str = "key") -> ScoringClient:
        """A scoring client for a v1 service (its id, name or ``ServiceResponse``; see ``ScoringClient``); the
        current API: ``ws.online_endpoints.invoke(...)`` or ``scoring_client(...)``."""
        from ..operations.scoring import ScoringClient

        return ScoringClient.for_service(self._ws, service, auth=auth)
