"""Host helpers shared by clouds, auth and logging (stdlib only, cheap to import)."""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

__all__ = ["host_matches", "is_loopback_host", "normalize_host_entry", "split_url_host"]


@functools.lru_cache(maxsize=256)  # pure, and asked for every request (auth's check): parse each host once
def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1`` (brackets allowed)."""
    h = host.strip().strip("[]").lower().rstrip(".")
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_url_host(url: str) -> tuple[str, int | None]:
    """Return ``(lower-cased host, port)`` of an absolute URL; the port is the explicit one or the scheme's
    default (80/443), so ``http://h`` and ``http://h:80`` compare equal."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = _DEFAULT_PORTS.get(parts.scheme.lower())
    return host, port


def normalize_host_entry(entry: str) -> str:
    """Turn a user's trusted-host entry into ``host``, ``host:port`` or ``.suffix`` form.

    Accepts a bare host (``example.com``), ``host:port``, a suffix (``.example.com`` or ``*.example.com``)
    or a whole URL (its host and explicit port are kept).
    """
    e = entry.strip().lower()
    if "://" in e:
        host, port = split_url_host(e)
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        return f"{host}:{port}" if port is not None else host
    if e.startswith("*."):
        e = e[1:]
    return e.rstrip("/").rstrip(".")


def host_matches(host: str, port: int | None, entry: str) -> bool:
    """Does ``host[:port]`` match one normalized entry?

    ``.suffix`` matches any host ending in it; ``host`` matches that host on any port;
    ``host:port`` (``[v6]:port`` for IPv6) matches only that port (pass the effective port).
    """
    host = host.lower().rstrip(".")
    if entry.startswith("."):
        return host.endswith(entry)
    if entry.startswith("["):  # [v6]:port or [v6]
        bracket_end = entry.find("]")
        e_host = entry[1:bracket_end]
        rest = entry[bracket_end + 1 :]
        e_port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    elif entry.count(":") == 1 and entry.rsplit(":", 1)[1].isdigit():
        e_host, p = entry.rsplit(":", 1)
        e_port = int(p)
    else:
        e_host, e_port = entry, None
    if host.strip("[]") != e_host:
        return False
    return e_port is None or e_port == port
