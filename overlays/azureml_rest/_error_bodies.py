"""Reading the services' error bodies (no exception classes here: :mod:`azureml_rest.errors` builds them).

Shapes: ARM ``{"error": {code, message, target, details, additionalInfo}}``; run history / execution
``{"error": {code, message, target, details, innerError}, correlation, ...}``; model management flat
``{code, statusCode, message, details}``; Azure AD ``{error, error_description, error_codes}``; anything else
(an HTML gateway page) becomes a short redacted excerpt.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._redact import redact_text

__all__ = ["EXCERPT_LIMIT", "parse_error_body"]

#: Longest excerpt of a non-JSON or unparsable error body kept in a message.
EXCERPT_LIMIT = 200

_TAG_RE = re.compile(r"<[^>]*>")
_WS_RE = re.compile(r"\s+")
_AADSTS_RE = re.compile(r"\bAADSTS\d+\b")


def _excerpt(body: bytes) -> str | None:
    if not body:
        return None
    text = body[:4096].decode("utf-8", errors="replace")
    text = _TAG_RE.sub(" ", text)  # an HTML gateway page: keep the words, not the markup
    text = _WS_RE.sub(" ", text).strip()
    text = redact_text(text)
    if len(text) > EXCERPT_LIMIT:
        text = text[: EXCERPT_LIMIT - 3] + "..."
    return text or None


def _str_or_none(v: Any) -> str | None:
    if v is None:
        return None
    return redact_text(str(v))


def parse_error_body(body: bytes) -> dict[str, Any]:
    """Fields from one of the known error shapes, or ``{"excerpt": ...}``.

    Shapes: ARM ``{"error": {code, message, target, details, additionalInfo}}``; run history / execution
    ``{"error": {code, message, target, details, innerError}, correlation, ...}``; model management flat
    ``{code, statusCode, message, details}``; Azure AD ``{error, error_description, error_codes}``.
    """
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {"excerpt": _excerpt(body)}
    if not isinstance(doc, dict):
        return {"excerpt": _excerpt(body)}
    err = doc.get("error")
    if isinstance(err, dict):
        details = err.get("details")
        return {
            "error_code": _str_or_none(err.get("code")),
            "message": _str_or_none(err.get("message")),
            "target": _str_or_none(err.get("target")),
            "details": details if isinstance(details, list) else [],
        }
    if isinstance(err, str):  # Azure AD
        desc = doc.get("error_description")
        codes = doc.get("error_codes")
        aadsts = None
        if isinstance(codes, list) and codes and isinstance(codes[0], int):
            aadsts = f"AADSTS{codes[0]}"
        elif isinstance(desc, str) and (m := _AADSTS_RE.search(desc)):
            aadsts = m.group(0)
        return {
            "error_code": redact_text(err),
            "message": _str_or_none(desc),
            "aadsts": aadsts,
            "details": [],
        }
    if "code" in doc or "message" in doc:  # model management, flat
        details = doc.get("details")
        return {
            "error_code": _str_or_none(doc.get("code")),
            "message": _str_or_none(doc.get("message")),
            "details": details if isinstance(details, list) else [],
        }
    return {"excerpt": _excerpt(body)}
