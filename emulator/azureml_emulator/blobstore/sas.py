"""Shared access signatures: validate service and account SAS, and make service SAS URLs.

Service SAS (``sr`` = ``c`` container or ``b`` blob), string to sign by signed version ``sv``
(Microsoft Learn, "Create a service SAS"; azure-storage-blob ``_shared_access_signature.py``), fields joined
by ``\\n``: ``sp, st, se, /blob/{account}/{container}[/{blob}], si, sip, spr, sv`` then, from 2018-11-09,
``sr, snapshot time`` and, from 2020-12-06, ``ses``; then ``rscc, rscd, rsce, rscl, rsct``.
Account SAS (``ss``/``srt`` present; "Create an account SAS"): ``{account}\\n sp\\n ss\\n srt\\n st\\n se\\n
sip\\n spr\\n sv\\n`` plus ``ses\\n`` from 2020-12-06. Both are HMAC-SHA256 with the account key.

Refusals follow the service: a wrong signature, a malformed field, an expired or not-yet-valid SAS, a stored
access policy (``si``, not kept by the emulator) or a user-delegation SAS (``skoid``...) is 403
``AuthenticationFailed``; ``spr=https`` over http is ``AuthorizationProtocolMismatch``; a client outside ``sip``
is ``AuthorizationSourceIPMismatch``. Which permission an operation needs is decided in :mod:`.permissions`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from .addressing import Target
from .errors import StorageError
from .sharedkey import sign

SERVICE_PERMISSIONS = "racwdxyltmeip"
ACCOUNT_PERMISSIONS = "rwdxylacuptfi"
_USER_DELEGATION = ("skoid", "sktid", "skt", "ske", "sks", "skv")


@dataclass(frozen=True)
class Grant:
    """What a verified SAS allows: ``kind`` "service" or "account", permission letters, and its scope."""

    kind: str
    permissions: frozenset[str]
    resource: str = ""  # service SAS: "c" or "b"
    resource_types: str = ""  # account SAS: letters of "sco"


def is_sas(target: Target) -> bool:
    """True when the request carries a SAS (a ``sig`` query parameter)."""
    return target.param("sig") is not None


def parse_time(value: str, field: str) -> dt.datetime:
    """An ISO-8601 UTC SAS time (``2026-01-02``, ``...T10:00Z``, ``...T10:00:00.1234567Z``)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        main, _, frac = text.rstrip("Z").partition(".")
        if main.count(":") == 1:
            main += ":00"
        when = dt.datetime.fromisoformat(main)
    except ValueError:
        raise StorageError("AuthenticationFailed", f"Signed {field} is not a valid ISO-8601 UTC time.") from None
    del frac  # sub-second precision does not change any decision
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _check_common(
    q: Mapping[str, str], allowed: str, https: bool, client_ip: str | None, now: dt.datetime
) -> frozenset[str]:
    if any(q.get(k) for k in _USER_DELEGATION):
        raise StorageError("AuthenticationFailed", "User delegation SAS is not supported by the emulator.")
    if q.get("si"):
        raise StorageError("AuthenticationFailed", "Stored access policies (si) are not supported by the emulator.")
    for required in ("sv", "sp", "se"):
        if not q.get(required):
            raise StorageError("AuthenticationFailed", f"Signature fields not well formed: '{required}' is missing.")
    perms = q["sp"]
    if any(ch not in allowed for ch in perms):
        raise StorageError("AuthenticationFailed", "Signature fields not well formed: unknown permission in 'sp'.")
    expiry = parse_time(q["se"], "expiry")
    start = parse_time(q["st"], "start") if q.get("st") else None
    if now >= expiry or (start is not None and now < start):
        raise StorageError("AuthenticationFailed", "Signature not valid in the specified time frame.")
    protocol = q.get("spr", "")
    if protocol and protocol not in ("https", "https,http", "http,https"):
        raise StorageError("AuthenticationFailed", "Signature fields not well formed: 'spr'.")
    if protocol == "https" and not https:
        raise StorageError("AuthorizationProtocolMismatch")
    if q.get("sip"):
        _check_ip(q["sip"], client_ip)
    return frozenset(perms)


def _check_ip(sip: str, client_ip: str | None) -> None:
    low, _, high = sip.partition("-")
    try:
        first = ipaddress.ip_address(low)
        last = ipaddress.ip_address(high or low)
        client = ipaddress.ip_address(client_ip or "")
    except ValueError:
        raise StorageError("AuthorizationSourceIPMismatch") from None
    if client.version != first.version or not first <= client <= last:  # type: ignore[operator]
        raise StorageError("AuthorizationSourceIPMismatch")


def _version_at_least(sv: str, version: str) -> bool:
    return sv >= version  # both are YYYY-MM-DD


def service_string_to_sign(q: Mapping[str, str], account: str, resource_path: str) -> str:
    """The service-SAS string to sign for ``resource_path`` (``container`` or ``container/blob``)."""
    sv = q.get("sv", "")
    fields = [q.get("sp", ""), q.get("st", ""), q.get("se", ""), f"/blob/{account}/{resource_path}"]
    fields += [q.get("si", ""), q.get("sip", ""), q.get("spr", ""), sv]
    if _version_at_least(sv, "2018-11-09"):
        fields += [q.get("sr", ""), q.get("snapshot", "")]
    if _version_at_least(sv, "2020-12-06"):
        fields.append(q.get("ses", ""))
    fields += [q.get(k, "") for k in ("rscc", "rscd", "rsce", "rscl", "rsct")]
    return "\n".join(fields)


def account_string_to_sign(q: Mapping[str, str], account: str) -> str:
    """The account-SAS string to sign."""
    names = ["sp", "ss", "srt", "st", "se", "sip", "spr", "sv"]
    if _version_at_least(q.get("sv", ""), "2020-12-06"):
        names.append("ses")
    return account + "\n" + "".join(q.get(n, "") + "\n" for n in names)


def verify(
    target: Target, key: bytes, *, client_ip: str | None = None, now: dt.datetime | None = None
) -> Grant:
    """The :class:`Grant` of the request's SAS, or 403 (see the module docstring)."""
    q = {name: value for name, value in reversed(target.query)}  # first occurrence wins
    current = now or dt.datetime.now(dt.UTC)
    if q.get("ss") is not None or q.get("srt") is not None:
        perms = _check_common(q, ACCOUNT_PERMISSIONS, target.https, client_ip, current)
        expected = sign(key, account_string_to_sign(q, target.account))
        if not hmac.compare_digest(expected, q.get("sig", "")):
            raise StorageError("AuthenticationFailed", "Signature did not match.")
        if "b" not in q.get("ss", ""):
            raise StorageError("AuthorizationServiceMismatch")
        return Grant("account", perms, resource_types=q.get("srt", ""))
    perms = _check_common(q, SERVICE_PERMISSIONS, target.https, client_ip, current)
    resource = q.get("sr", "")
    if resource not in ("c", "b"):
        raise StorageError("AuthenticationFailed", "Signature fields not well formed: 'sr' must be 'c' or 'b'.")
    if target.container is None or (resource == "b" and target.blob is None):
        raise StorageError("AuthorizationResourceTypeMismatch")
    path = target.container if resource == "c" else f"{target.container}/{target.blob}"
    expected = sign(key, service_string_to_sign(q, target.account, path))
    if not hmac.compare_digest(expected, q.get("sig", "")):
        raise StorageError("AuthenticationFailed", "Signature did not match.")
    return Grant("service", perms, resource=resource)


def service_sas(
    account: str,
    key: bytes,
    container: str,
    blob: str | None,
    permissions: str,
    expiry: dt.datetime,
    *,
    start: dt.datetime | None = None,
    protocol: str | None = None,
    version: str = "2025-01-05",
) -> str:
    """A service SAS query string (no leading ``?``) for a container (``blob`` None) or one blob.

    For the emulator's own URLs (code upload ``sasUri``, run-history ``logFiles``); permissions are given in
    the service's canonical order ``racwdxyltmei``.
    """

    def fmt(when: dt.datetime) -> str:
        return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    q = {"sv": version, "sr": "c" if blob is None else "b", "sp": permissions, "se": fmt(expiry)}
    if start is not None:
        q["st"] = fmt(start)
    if protocol:
        q["spr"] = protocol
    path = container if blob is None else f"{container}/{blob}"
    q["sig"] = sign(key, service_string_to_sign(q, account, path))
    order = ("sv", "st", "se", "sr", "sp", "spr", "sig")
    return "&".join(f"{k}={quote(q[k], safe='')}" for k in order if k in q)
