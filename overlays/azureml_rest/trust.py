"""Host trust: which URLs may receive a bearer token, decided in one place.

A :class:`HostPolicy` is built once per session (:class:`~azureml_rest.session.Session`) from the cloud and
``HttpConfig.trusted_hosts``, and every path that could send a token asks it:

- :class:`~azureml_rest.auth.BearerTokenAuth` before it sets ``Authorization`` (:meth:`HostPolicy.check_url`);
- pollers and pagers before they GET an ``Azure-AsyncOperation``/``Location``/``nextLink`` URL a service handed
  back (:meth:`HostPolicy.check_url`, given to them as ``url_guard``);
- discovery before it uses a host the discovery document names (:meth:`HostPolicy.check_learned_url`);
- redirects: the overlay's clients do not follow them by default (``HttpConfig.follow_redirects=False``), and
  when they do httpx drops ``Authorization`` on any change of origin, so a token never follows a redirect to
  another host (tests/unit/test_auth.py).

The rules (CONTRIBUTING.md, "Host trust"): a token goes to the cloud's ARM and login hosts, hosts ending in its
Azure ML suffixes, and hosts the user trusts (``host``, ``host:port``, ``.suffix``); over https, or plain http
to a loopback host only. Being on loopback is not enough to be trusted: a discovery document naming another
local port would otherwise receive the token. Endpoints the user gives explicitly are trusted
(:meth:`HostPolicy.with_hosts`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import httpx

from ._hosts import is_loopback_host, normalize_host_entry, split_url_host
from .clouds import Cloud
from .errors import DiscoveryError, InsecureTransportError, UntrustedHostError

__all__ = ["HostPolicy", "host_entry"]


def host_entry(url: str) -> str:
    """The trusted-host entry (``host:port``, ``[v6]:port``) naming exactly an absolute URL's host and port."""
    host, port = split_url_host(url)
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port is not None else host


def check_scheme(url: httpx.URL) -> None:
    """https anywhere, plain http only to a loopback host (else :class:`InsecureTransportError`)."""
    if url.scheme == "https" or (url.scheme == "http" and is_loopback_host(url.host)):
        return
    raise InsecureTransportError(str(url))


class HostPolicy:
    """The cloud's hosts plus ``trusted_hosts``; verdicts are memoised (they depend only on the URL's origin)."""

    def __init__(self, cloud: Cloud, trusted_hosts: Iterable[str] = ()) -> None:
        self.cloud = cloud
        self.trusted_hosts: tuple[str, ...] = tuple(dict.fromkeys(normalize_host_entry(h) for h in trusted_hosts))
        self._lock = threading.Lock()
        self._allowed: set[tuple[str, str, int | None]] = set()
        self._vetted: set[str] = set()

    def __repr__(self) -> str:
        return f"HostPolicy(cloud={self.cloud.name!r}, trusted_hosts={self.trusted_hosts!r})"

    def with_hosts(self, *hosts: str) -> HostPolicy:
        """A policy that also trusts ``hosts``; this same policy when it trusts them all already."""
        extra = [h for h in (normalize_host_entry(h) for h in hosts) if h not in self.trusted_hosts]
        if not extra:
            return self
        return HostPolicy(self.cloud, (*self.trusted_hosts, *extra))

    def is_trusted(self, url: str) -> bool:
        """Does the URL's host belong to the cloud or to the trusted hosts? (The scheme is not checked.)"""
        host, _port = split_url_host(url)
        return bool(host) and self.cloud.owns_url(url, self.trusted_hosts)

    def check_url(self, url: httpx.URL | str) -> None:
        """Raise unless a token may be sent to ``url``: :class:`InsecureTransportError` for plain http to a
        non-loopback host, :class:`UntrustedHostError` for a host outside the policy."""
        u = url if isinstance(url, httpx.URL) else httpx.URL(url)
        key = (u.scheme, u.host, u.port)
        if key in self._allowed:
            return
        check_scheme(u)
        if not self.cloud.owns_url(str(u), self.trusted_hosts):
            raise UntrustedHostError(u.host, self.cloud.name)
        with self._lock:
            self._allowed.add(key)

    def check_learned_url(self, url: str) -> None:
        """Refuse a base URL learned from a service (discovery) unless it is an absolute http(s) URL
        (:class:`DiscoveryError`), trusted (:class:`UntrustedHostError`) and https unless loopback
        (:class:`InsecureTransportError`)."""
        if url in self._vetted:
            return
        u = httpx.URL(url)
        if u.scheme not in ("http", "https") or not u.host:
            raise DiscoveryError(f"not an absolute http(s) URL: {url!r}")
        if not self.is_trusted(url):
            raise UntrustedHostError(u.host, self.cloud.name)
        if u.scheme == "http" and not is_loopback_host(u.host):
            raise InsecureTransportError(url)
        with self._lock:
            self._vetted.add(url)

    def check_storage_url(self, url: str) -> None:
        """Refuse a storage URL (a SAS a service handed out: ``startPendingUpload``, ``logFiles``, datastore
        paths; or where a storage token would go) unless it is https (plain http only to loopback) and its host
        is a blob host of the cloud (``{account}.blob.{storage_suffix}``), one of the cloud's own hosts (the
        emulator serves blobs path-style on its port) or a trusted host: a SAS naming a foreign host is refused
        (:class:`UntrustedHostError`) before a byte is uploaded to it."""
        u = httpx.URL(url)
        check_scheme(u)
        if not (self.cloud.owns_storage_url(url) or self.is_trusted(url)):
            raise UntrustedHostError(u.host, self.cloud.name)

    def check_discovery_url(self, url: str) -> None:
        """The discovery document is fetched WITHOUT Authorization, so its own URL may also be on a loopback
        host (a local proxy or test double); every host the document names still passes
        :meth:`check_learned_url` before a token goes there."""
        host, _port = split_url_host(url)
        if host and is_loopback_host(host) and httpx.URL(url).scheme in ("http", "https"):
            return
        self.check_learned_url(url)
