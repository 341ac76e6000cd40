"""The poller, the I/O shell around :class:`~azureml_rest._lro_engine` (behaviour: :mod:`azureml_rest.lro`).

This file is the async poller's source; the sync poller is produced from it by ``python -m tools.unasync``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import httpx

from .._logging import get_logger
from .._lro_engine import DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL, PollerBase, RawResponse, Wait
from ..errors import AzureMLError, InvalidResponseError, OperationTimeoutError

__all__ = ["AsyncPoller"]

T = TypeVar("T")
_log = get_logger("lro")


class AsyncPoller(PollerBase[T]):
    """A long-running operation (``await poller.result()``; the sync ``Poller`` has the same methods).

    Defaults: ``poll_interval=5`` s, hints capped at 60 s; sleeps with ``sleep`` when given, else the event loop's
    sleep (async) or the thread's (sync). ``refresh`` GETs the resource (provisioning-state polling, and the final GET
    after an ``Azure-AsyncOperation`` success); ``deserialize`` turns the final JSON (or None) into ``T``.
    """

    def __init__(
        self,
        operation: str,
        initial: RawResponse,
        *,
        client: httpx.AsyncClient,
        method: str,
        deserialize: Callable[[Any], T],
        refresh: Callable[[], Awaitable[RawResponse]] | None = None,
        prefer: Literal["azure-async-operation", "location"] = "azure-async-operation",
        api_version: str | None = None,
        url_guard: Callable[[str], None] | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._refresh = refresh
        self._sleep = sleep
        super().__init__(operation, initial, method=method, deserialize=deserialize, has_refresh=refresh is not None,
                         prefer=prefer, api_version=api_version, url_guard=url_guard, poll_interval=poll_interval,
                         max_poll_interval=max_poll_interval, clock=clock)

    async def result(self, timeout: float | None = None) -> T:
        """Wait (at most ``timeout`` seconds; None = no limit) and return the final resource.

        Raises the typed service error, :class:`OperationFailedError` or :class:`OperationTimeoutError`
        (the operation may still finish: call again to keep waiting).
        """
        await self.wait(timeout)
        return self._finished()

    async def wait(self, timeout: float | None = None) -> None:
        """Wait until the operation ends, without returning the result; raises like :meth:`result`."""
        if self._error is not None:
            raise self._error
        if self._has_result:
            return
        eng = self._engine
        waiter = Wait(self._operation, timeout, self._clock)
        try:
            while not eng.done:
                await self._do_sleep(waiter.next_sleep(eng.hint, self._interval, self._cap, eng.status))
                eng.on_poll(await self._poll_once())
            if eng.needs_final_get:
                eng.on_final(await self._final_get())
            self._settle()
        except OperationTimeoutError:
            raise
        except AzureMLError as exc:
            self._error = exc
            raise

    async def _do_sleep(self, seconds: float) -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
            return
        # httpx depends on anyio; imported here so sync users never load it
        import anyio  # unasync: drop

        await anyio.sleep(seconds)

    async def _poll_once(self) -> RawResponse:
        eng = self._engine
        if eng.strategy == "provisioning-state":
            assert self._refresh is not None
            return await self._refresh()
        assert eng.poll_url is not None
        _log.debug("polling %s (%s)", self._operation, eng.strategy)
        resp = await self._client.get(eng.poll_url)
        await resp.aread()
        return resp

    async def _final_get(self) -> RawResponse:
        eng = self._engine
        if eng.final_url is not None:
            resp = await self._client.get(eng.final_url)
            await resp.aread()
            return resp
        if self._refresh is None:
            raise InvalidResponseError(self._operation, "operation succeeded but no resource location is known")
        return await self._refresh()
