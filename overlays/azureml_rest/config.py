"""Transport settings (:class:`HttpConfig`) and the per-attempt event hook (:class:`HttpEvent`).

Every httpx client the library builds (:mod:`azureml_rest.pipeline`) reads its timeouts, retries, TLS, proxies,
user agent, trusted hosts and event hook from one :class:`HttpConfig`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import httpx

from ._version import __version__
from .retry import RetryPolicy

__all__ = ["HttpConfig", "HttpEvent", "default_user_agent"]


def default_user_agent() -> str:
    """``azureml-rest/<version> python/<version> httpx/<version>``."""
    python = "{}.{}.{}".format(*sys.version_info[:3])  # platform.python_version()'s value, without importing platform
    return f"azureml-rest/{__version__} python/{python} httpx/{httpx.__version__}"


class HttpEvent(NamedTuple):
    """One attempt of one HTTP request, as handed to ``HttpConfig.on_event`` (in the spirit of azure-core's
    ``raw_response_hook``): called once per attempt, retries included, by the sync and async transports alike.
    An immutable record (a NamedTuple: this module is imported by every client, and a slotted frozen dataclass
    costs a millisecond to define).

    ``url`` is redacted the way logs are (only allow-listed query values: no SAS signature, code or key);
    ``status_code`` is None when the attempt got no answer (``error`` then names the exception type, e.g.
    ``ConnectError``); ``elapsed`` is seconds from sending to the response headers (or the failure); ``attempt``
    is 1 for the first try; ``request_id`` is the ``x-ms-client-request-id`` every attempt carries. Neither
    headers nor bodies are included, so nothing secret can reach a hook.
    """

    method: str
    url: str
    status_code: int | None
    elapsed: float
    attempt: int
    request_id: str | None
    error: str | None = None


@dataclass(frozen=True)
class HttpConfig:
    """Transport settings shared by every client.

    Defaults: timeouts ``connect_timeout=10`` s, ``read_timeout=60`` s, ``write_timeout=60`` s,
    ``pool_timeout=10`` s (the generated clients have none); ``retry=RetryPolicy()`` (see its defaults);
    ``verify=True`` (a CA bundle file or directory path may be given instead; ``False`` disables checks);
    ``trust_env=True`` (httpx-style ``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY`` and ``SSL_CERT_FILE``);
    ``follow_redirects=False`` (like the generated clients); ``user_agent`` is put in front of
    :func:`default_user_agent`; ``trusted_hosts`` are added to a :class:`~azureml_rest.auth.BearerTokenAuth`'s;
    ``max_connections=100`` per host (httpx's default pool size; an async client also keeps at most that many
    requests in flight and queues the rest in order, see :class:`azureml_rest._httpx_clients.AsyncClient`);
    ``on_event=None``: a callable given an :class:`HttpEvent` after every attempt of every request (exceptions it
    raises propagate to the caller, so keep it simple: record, print, count).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    write_timeout: float = 60.0
    pool_timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str | None = None
    verify: bool | str = True
    trusted_hosts: tuple[str, ...] = ()
    trust_env: bool = True
    follow_redirects: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    max_connections: int = 100
    on_event: Callable[[HttpEvent], None] | None = None

    @property
    def limits(self) -> httpx.Limits:
        """The pool: ``max_connections``, and httpx's default of 20 idle connections kept."""
        return httpx.Limits(max_connections=self.max_connections,
                            max_keepalive_connections=min(20, self.max_connections))

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout, read=self.read_timeout, write=self.write_timeout, pool=self.pool_timeout
        )

    def full_user_agent(self) -> str:
        ua = default_user_agent()
        return f"{self.user_agent} {ua}" if self.user_agent else ua


