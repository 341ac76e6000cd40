"""Long-running operations: :class:`Poller` and :class:`AsyncPoller`, one engine for four polling styles.

The style is chosen from the first answer (CONTRIBUTING.md "Long-running operations", specs/README.md):

- ``operation-location`` (model management): GET the ``Operation-Location`` URL until ``state`` is Succeeded,
  Failed, Cancelled or TimedOut; then GET the resource named by ``resourceLocation``.
- ``azure-async-operation`` (ARM): GET the ``Azure-AsyncOperation`` URL until ``status`` is Succeeded, Failed
  or Canceled; then GET the resource again (PUT/PATCH) or finish with nothing (DELETE).
- ``location`` (ARM): GET the ``Location`` URL while it answers 202; 200 carries the final resource, 204
  means no content; an error status ends the operation with the typed :class:`~azureml_rest.errors.ServiceError`
  and the service's message (the article's "useful debug information" about dependent resources).
- ``provisioning-state``: no header, but the body says ``provisioningState: Creating``: GET the resource until
  the state is terminal (for a DELETE: until it answers 404).

ARM prefers ``Azure-AsyncOperation`` when both headers are sent; a caller may prefer ``Location`` (the
workspace PUT does: the article documents its 202 + ``Location`` as the place deployment errors are shown).

Waiting: the server's hint wins (``retry-after-ms``, ``x-ms-retry-after-ms``, then ``Retry-After``; see
:func:`azureml_rest.retry.parse_retry_after`), capped at ``max_poll_interval`` (default 60 s); without a
hint ``poll_interval`` (default 5 s, the 2020 SDK's interval) is used. Every URL taken from a header or body
is passed to ``url_guard`` first (the routing layer refuses hosts foreign to the cloud with
:class:`~azureml_rest.errors.UntrustedHostError`) and fetched through the same authenticated httpx client.

A poller is not thread-safe; share its result, not the poller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from ._async.poller import AsyncPoller
from ._lro_engine import DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL, RawResponse
from ._sync.poller import Poller

__all__ = ["DEFAULT_POLL_INTERVAL", "MAX_POLL_INTERVAL", "AsyncPoller", "Poller", "RawResponse", "result_with_status"]

T = TypeVar("T")


def result_with_status(poller: Poller[T], report: Callable[[str, float], None], timeout: float | None = None, *,
                       heartbeat: float = 10.0) -> T:
    """``poller.result(timeout)`` while a ticker thread hands ``report(status, seconds since the start)`` each
    status change, and the status again after ``heartbeat`` seconds without one; the final status is reported
    once more if the ticker had not seen it. The poller keeps its own cadence (the server's ``Retry-After``); the
    ticker only reads :meth:`Poller.status` (every 0.2 s). For progress displays (the CLI, the demo)."""
    stop = threading.Event()
    start = time.monotonic()
    shown: list[str | None] = [None]  # the last status reported

    def tick() -> None:
        last_report = 0.0
        while not stop.wait(0.2):
            status = str(poller.status())
            now = time.monotonic()
            if status != shown[0] or now - last_report >= heartbeat:
                report(status, now - start)
                shown[0], last_report = status, now

    ticker = threading.Thread(target=tick, name="azureml-rest-poller-status", daemon=True)
    ticker.start()
    try:
        result = poller.result(timeout)
    finally:
        stop.set()
        ticker.join()
    if str(poller.status()) != shown[0]:
        report(str(poller.status()), time.monotonic() - start)
    return result
