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

from ._async.poller import AsyncPoller
from ._lro_engine import DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL, RawResponse
from ._sync.poller import Poller

__all__ = ["DEFAULT_POLL_INTERVAL", "MAX_POLL_INTERVAL", "AsyncPoller", "Poller", "RawResponse"]
