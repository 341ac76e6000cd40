"""Experiments (run history; CONTRIBUTING.md, ``Experiments_*``).

``list()`` uses ``POST .../experiments:query`` (Microsoft's documented form, paged by ``continuationToken`` in the
body); only if that answers 404 on the first page does it fall back to the article's ``GET .../experiments``
(paged by ``$continuationToken``), which no Microsoft spec documents (specs/README.md, run history).

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: a job's ``experiment_name`` (``ws.jobs``).
"""

from __future__ import annotations

from typing import Any

from azureml_history_client.api.experiments import (
    experiments_create,
    experiments_get,
    experiments_get_by_query,
    experiments_list,
)
from azureml_history_client.models import Experiment, PaginatedExperimentList, QueryParams

from .._call import acall
from ..errors import NotFoundError
from ..operations._common import data_plane_ids, page_of
from ..paging import AsyncPager, Page

__all__ = ["AsyncExperimentOperations"]

_OP = "Experiments_GetByQuery"
_GROUP = "history"


def _query(token: str | None, top: int | None, filter: str | None, order_by: str | None) -> QueryParams:
    q = QueryParams()
    if token:
        q.continuation_token = token
    if top is not None:
        q.top = top
    if filter is not None:
        q.filter_ = filter
    if order_by is not None:
        q.order_by = order_by
    return q


class AsyncExperimentOperations:
    """``ws.v1.experiments``: list, get, create.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs`` (``experiment_name=``).
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def list(self, *, filter: str | None = None, order_by: str | None = None,
             page_size: int | None = None) -> AsyncPager[Experiment]:
        """Every experiment, page by page (``page_size`` is the query's ``top``)."""
        mode = ["query"]  # becomes "get" if the query form is missing (404)

        async def get_page(token: str | None) -> Page[Experiment]:
            ids = data_plane_ids(self._ws)
            client = await self._ws.aclient(_GROUP)
            if mode[0] == "query":
                try:
                    result = await acall(PaginatedExperimentList, experiments_get_by_query.asyncio_detailed, *ids,
                                         client=client, body=_query(token, page_size, filter, order_by))
                    return page_of(_OP, Experiment, result, "continuation_token")
                except NotFoundError:
                    if token is not None:
                        raise
                    mode[0] = "get"
            kw: dict[str, Any] = {"continuation_token": token} if token else {}
            result = await acall(PaginatedExperimentList, experiments_list.asyncio_detailed, *ids, client=client,
                                 **kw)
            return page_of("Experiments_List", Experiment, result, "continuation_token")

        return AsyncPager(get_page, operation=_OP)

    async def get(self, experiment_name: str) -> Experiment:
        """One experiment by name (``NotFoundError`` when absent)."""
        return await acall(Experiment, experiments_get.asyncio_detailed, *data_plane_ids(self._ws), experiment_name,
                           client=await self._ws.aclient(_GROUP))

    async def create(self, experiment_name: str) -> Experiment:
        """Create an experiment (submitting a run also creates it when missing)."""
        return await acall(Experiment, experiments_create.asyncio_detailed, *data_plane_ids(self._ws),
                           experiment_name, client=await self._ws.aclient(_GROUP))
