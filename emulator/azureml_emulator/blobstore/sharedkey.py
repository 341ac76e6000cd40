"""SharedKey: the ``Authorization: SharedKey {account}:{signature}`` scheme of the Blob service.

The string to sign (Microsoft Learn, "Authorize with Shared Key", versions 2015-02-21 and later; what
azure-storage-blob's ``SharedKeyCredentialPolicy`` builds), lines joined by ``\\n``:
``VERB``, ``Content-Encoding``, ``Content-Language``, ``Content-Length`` (empty when 0), ``Content-MD5``,
``Content-Type``, ``Date``, ``If-Modified-Since``, ``If-Match``, ``If-None-Match``, ``If-Unmodified-Since``,
``Range``, then the canonicalized ``x-ms-*`` headers (``name:value\\n`` each) and the canonicalized resource:
``/{account}{path as sent}`` followed by ``\\n{name}:{values}`` per query parameter (names lower-cased and
sorted, values decoded, several values sorted and joined by commas). Path-style requests sign the account twice
(``/devstoreaccount1/devstoreaccount1/container``), as clients of Azurite do.

Header names are ordered the way the service orders them: ``-`` is ignored at the first level and ``_`` sorts
before digits and letters (``x-ms-meta-a_b`` comes before ``x-ms-meta-ab``); ties are broken by the number of
dashes. The signature is HMAC-SHA256 with the Base64-decoded account key. A request older than 15 minutes
(``x-ms-date`` or ``Date``) is refused as the service refuses it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import hmac
from collections.abc import Mapping

from .addressing import Target
from .errors import StorageError

_STANDARD = (
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
)
MAX_CLOCK_SKEW = dt.timedelta(minutes=15)


def _header_order(name: str) -> tuple[str, int]:
    return name.replace("-", "").replace("_", "/"), name.count("-")


def canonical_headers(headers: Mapping[str, str]) -> str:
    """The ``x-ms-*`` headers as signed: lower-case names in the service's order, ``name:value\\n`` each."""
    names = sorted((n for n in headers if n.startswith("x-ms-")), key=_header_order)
    return "".join(f"{n}:{headers[n]}\n" for n in names)


def canonical_resource(account: str, target: Target) -> str:
    """``/{account}{raw path}`` plus the query parameters, as signed."""
    grouped: dict[str, list[str]] = {}
    for name, value in target.query:
        grouped.setdefault(name.lower(), []).append(value)
    text = f"/{account}{target.raw_path}"
    for name in sorted(grouped):
        text += f"\n{name}:{','.join(sorted(grouped[name]))}"
    return text


def string_to_sign(method: str, headers: Mapping[str, str], account: str, target: Target) -> str:
    """What a client signs for this request (``headers`` keyed by lower-case name)."""
    values = [headers.get(n, "") for n in _STANDARD]
    if values[2] == "0":
        values[2] = ""
    lines = "\n".join([method.upper(), *values]) + "\n"
    return lines + canonical_headers(headers) + canonical_resource(account, target)


def sign(key: bytes, text: str) -> str:
    """Base64 HMAC-SHA256 of ``text`` with ``key``."""
    return base64.b64encode(hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()).decode("ascii")


def _request_time(headers: Mapping[str, str]) -> dt.datetime:
    raw = headers.get("x-ms-date") or headers.get("date")
    if not raw:
        raise StorageError("AuthenticationFailed", "The request has neither an x-ms-date nor a Date header.")
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        raise StorageError("AuthenticationFailed", "The x-ms-date/Date header is not an RFC 1123 date.") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def verify(
    authorization: str,
    method: str,
    headers: Mapping[str, str],
    target: Target,
    key: bytes,
    now: dt.datetime | None = None,
) -> None:
    """Accept a SharedKey request for ``target.account`` signed with ``key``; raise 403 otherwise.

    The refusal never quotes the signature; like the service it names the reason.
    """
    scheme, _, credential = authorization.strip().partition(" ")
    if scheme != "SharedKey":
        raise StorageError("AuthenticationFailed", f"The authorization scheme '{scheme}' is not supported here.")
    account, _, signature = credential.strip().partition(":")
    if account.lower() != target.account:
        raise StorageError("AuthenticationFailed", "The account in the Authorization header is not the one addressed.")
    try:
        sent = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise StorageError("AuthenticationFailed", "The signature is not Base64.") from None
    when = _request_time(headers)
    current = now or dt.datetime.now(dt.UTC)
    if abs(current - when) > MAX_CLOCK_SKEW:
        raise StorageError("AuthenticationFailed", "Request date header too old or too far in the future.")
    expected = base64.b64decode(sign(key, string_to_sign(method, headers, account, target)))
    if not hmac.compare_digest(sent, expected):
        raise StorageError(
            "AuthenticationFailed",
            "The MAC signature found in the HTTP request is not the same as any computed signature.",
        )
