"""Discovery: where a workspace's data-plane services live, learned once and cached per session.

Rules (CONTRIBUTING.md "The contract in one table"; specs/discovery.yaml):

- ``history``, ``execution`` and ``modelmanagement`` go to the host the workspace's discovery document names:
  key ``api`` (the article's form and the latest SDK's), falling back to ``history`` (run history, execution)
  or ``modelmanagement`` (models, services) when ``api`` is absent (the 2020 SDK's keys).
- The document is fetched with a plain GET and NO Authorization (the 2020 SDK did the same) from the
  workspace's ``discoveryUrl`` (an ARM GET of the workspace), or from ``discovery_url=`` when the user gives it
  (like the SDK's ``AZUREML_SERVICE_ENDPOINT``). Explicit ``endpoints={"api": ...}`` replace discovery
  altogether (private endpoints, proxies) and count as trusted by the user.
- Every host the document names passes :meth:`~azureml_rest.trust.HostPolicy.check_learned_url` before a token
  goes there.
- One fetch in flight per workspace however many threads or coroutines need it (single flight), and the
  answer is cached per session until :meth:`DiscoveryCache.forget` or ``refresh=True``.

This module holds the I/O-free parts (cache, locks, parsing, picking) and the two fetches (:func:`fetch`,
:func:`async_fetch`), each one GET.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .errors import DiscoveryError, InvalidResponseError, error_from_response

if TYPE_CHECKING:
    import asyncio

    from .trust import HostPolicy

__all__ = ["DATA_PLANE_GROUPS", "DISCOVERY_KEYS", "DiscoveryCache", "async_fetch", "discovery_base",
           "discovery_url_of", "fetch", "parse", "pick"]

#: Data-plane group -> discovery keys tried in order.
DISCOVERY_KEYS: dict[str, tuple[str, ...]] = {
    "history": ("api", "history"),
    "execution": ("api", "history"),
    "modelmanagement": ("api", "modelmanagement"),
}
DATA_PLANE_GROUPS: tuple[str, ...] = tuple(DISCOVERY_KEYS)

WorkspaceKey = tuple[str, str, str]


def _key(ids: tuple[str, str, str]) -> WorkspaceKey:
    return (ids[0].lower(), ids[1].lower(), ids[2].lower())


class DiscoveryCache:
    """Discovery documents per workspace, and the locks that make fetching them single-flight.

    ``generation`` grows whenever a document is stored or forgotten: handles remember their routes for as long
    as it does not change.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._docs: dict[WorkspaceKey, dict[str, str]] = {}
        self._locks: dict[tuple[str, ...], Any] = {}
        self.generation = 0

    def get(self, ids: tuple[str, str, str]) -> dict[str, str] | None:
        with self._lock:
            found = self._docs.get(_key(ids))
        return dict(found) if found is not None else None

    def store(self, ids: tuple[str, str, str], doc: Mapping[str, str]) -> None:
        with self._lock:
            self._docs[_key(ids)] = dict(doc)
            self.generation += 1

    def forget(self, ids: tuple[str, str, str]) -> None:
        with self._lock:
            self._docs.pop(_key(ids), None)
            self.generation += 1

    def bump(self) -> None:
        """Invalidate every remembered route without dropping documents (the session closed its clients)."""
        with self._lock:
            self.generation += 1

    def lock(self, ids: tuple[str, str, str]) -> threading.Lock:
        """The lock making discovery of one workspace single-flight across threads."""
        with self._lock:
            lock: threading.Lock = self._locks.setdefault(("t", *_key(ids)), threading.Lock())
        return lock

    def async_lock(self, ids: tuple[str, str, str]) -> asyncio.Lock:
        """The lock making discovery of one workspace single-flight across coroutines (one event loop)."""
        import asyncio  # only async users pay for it

        with self._lock:
            lock: asyncio.Lock = self._locks.setdefault(("a", *_key(ids)), asyncio.Lock())
        return lock


def parse(response: httpx.Response) -> dict[str, str]:
    """Check and decode a discovery answer: a JSON object of service name -> base URL (trailing ``/`` dropped;
    non-string and empty values ignored)."""
    if response.status_code >= 400:
        raise error_from_response(response)
    try:
        doc = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidResponseError("Discovery_Get", f"body is not JSON ({exc})",
                                   status_code=response.status_code) from None
    if not isinstance(doc, dict):
        raise InvalidResponseError("Discovery_Get", "body is not a JSON object", status_code=response.status_code)
    return {str(k): str(v).rstrip("/") for k, v in doc.items() if isinstance(v, str) and v}


def pick(group: str, endpoints: Mapping[str, str]) -> str:
    """The base URL for a data-plane ``group`` from a discovery document or explicit endpoints."""
    keys = DISCOVERY_KEYS.get(group)
    if keys is None:
        raise ValueError(f"{group!r} is not a data-plane group with a discovery entry")
    for key in keys:
        value = endpoints.get(key)
        if value:
            return value.rstrip("/")
    raise DiscoveryError(f"no endpoint for {group!r}: expected one of the keys {', '.join(keys)} "
                         f"(have: {', '.join(sorted(endpoints)) or 'none'})")


def discovery_url_of(workspace_name: str, ws_model: Any) -> str:
    """``properties.discoveryUrl`` of a workspace ARM resource (generated model), or :class:`DiscoveryError`."""
    props = getattr(ws_model, "properties", None)
    url = getattr(props, "discovery_url", None)
    if not isinstance(url, str) or not url:
        raise DiscoveryError(f"workspace {workspace_name!r} has no discoveryUrl (is it still being created?)")
    return url


def discovery_base(discovery_url: str) -> str:
    """The base URL of the discovery group: the discovery URL without its ``/discovery`` path and query."""
    url = httpx.URL(discovery_url)
    path = url.path[: -len("/discovery")] if url.path.endswith("/discovery") else url.path
    return str(url.copy_with(path=path or "/", query=None)).rstrip("/")


def fetch(client: httpx.Client, policy: HostPolicy, url: str) -> dict[str, str]:
    """GET the discovery document (``client`` sends no Authorization) after checking its URL."""
    policy.check_discovery_url(url)
    return parse(client.get(url))


async def async_fetch(client: httpx.AsyncClient, policy: HostPolicy, url: str) -> dict[str, str]:
    """:func:`fetch` on an async client."""
    policy.check_discovery_url(url)
    return parse(await client.get(url))
