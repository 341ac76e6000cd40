"""Times as the Blob service writes them: RFC 1123 in GMT, whole seconds."""

from __future__ import annotations

import email.utils
import time


def rfc1123(epoch: float | None = None) -> str:
    """``Sat, 05 Dec 2026 19:36:06 GMT`` for ``epoch`` (default now)."""
    return email.utils.formatdate(time.time() if epoch is None else epoch, usegmt=True)


def parse_http_date(value: str) -> float | None:
    """The epoch seconds of an HTTP date, or None when it is not one."""
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
