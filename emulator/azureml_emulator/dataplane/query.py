"""A small OData-like filter and orderBy for run history lists (specs/history.yaml ``QueryParams``).

Filter: ``<field> <op> <value>`` terms (each may be parenthesised) joined by ``and``; ops ``eq ne gt ge lt le``;
values are quoted strings (``''`` escapes a quote), numbers, ``true``, ``false`` or ``null``; fields are top-level
names (case-insensitive) or ``tags/<key>`` / ``properties/<key>``. Anything else is a 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from .common import BadRequest, ci_get

_TERM = re.compile(
    r"\s*(?P<field>[A-Za-z_][\w.\-]*(?:/[^\s]+)?)\s+(?P<op>eq|ne|gt|ge|lt|le)\s+"
    r"(?P<value>'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null)\s*",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
MAX_FILTER = 2000

Predicate = Callable[[Mapping[str, Any]], bool]
D = TypeVar("D", bound=Mapping[str, Any])


def _literal(text: str) -> Any:
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    return float(text) if "." in text else int(text)


def field_value(doc: Mapping[str, Any], field: str) -> Any:
    """The value of ``field`` (``tags/k``, ``properties/k`` or a top-level name) in ``doc``."""
    if "/" in field:
        head, key = field.split("/", 1)
        container = ci_get(doc, head)
        return container.get(key) if isinstance(container, dict) else None
    return ci_get(doc, field)


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "eq":
        if isinstance(actual, str) and isinstance(expected, str):
            return actual.lower() == expected.lower()
        return bool(actual == expected)
    if op == "ne":
        if isinstance(actual, str) and isinstance(expected, str):
            return actual.lower() != expected.lower()
        return bool(actual != expected)
    if actual is None or expected is None:
        return False
    try:
        if op == "gt":
            return bool(actual > expected)
        if op == "ge":
            return bool(actual >= expected)
        if op == "lt":
            return bool(actual < expected)
        return bool(actual <= expected)
    except TypeError:
        return False


def parse_filter(text: str | None) -> Predicate:
    """A predicate for ``text`` (everything matches when it is empty)."""
    if text is None or not str(text).strip():
        return lambda doc: True
    if not isinstance(text, str) or len(text) > MAX_FILTER:
        raise BadRequest("'filter' must be a string of at most 2000 characters", "InvalidFilter")
    terms: list[tuple[str, str, Any]] = []
    for part in _AND.split(text.strip()):
        part = part.strip()
        # A term may come in parentheses: azureml-core's Experiment.get_runs sends '(ParentRunId eq null)'
        # (azureml/_restclient/run_client.py, the filters built by _get_run_filter_expression).
        while part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        match = _TERM.fullmatch(part)
        if match is None:
            raise BadRequest(
                f"unsupported filter term {part.strip()[:100]!r}; "
                "use <field> eq|ne|gt|ge|lt|le <value> joined by 'and'",
                "InvalidFilter",
            )
        terms.append((match["field"], match["op"].lower(), _literal(match["value"])))

    def predicate(doc: Mapping[str, Any]) -> bool:
        return all(_compare(field_value(doc, f), op, v) for f, op, v in terms)

    return predicate


def parse_order(text: str | list[str] | None, default_desc: bool = False) -> list[tuple[str, bool]]:
    """``[(field, descending)]`` from ``"createdUtc desc, name"`` (or a list of such parts)."""
    if text is None or text == "" or text == []:
        return []
    parts: list[str] = []
    for item in [text] if isinstance(text, str) else text:
        if not isinstance(item, str):
            raise BadRequest("'orderBy' must be a string", "InvalidOrderBy")
        parts.extend(p for p in item.split(",") if p.strip())
    order: list[tuple[str, bool]] = []
    for part in parts[:10]:
        words = part.split()
        if len(words) > 2 or not re.fullmatch(r"[A-Za-z_][\w./\-]*", words[0]):
            raise BadRequest(f"unsupported orderBy term {part.strip()[:100]!r}", "InvalidOrderBy")
        desc = default_desc
        if len(words) == 2:
            if words[1].lower() not in ("asc", "desc"):
                raise BadRequest(f"orderBy direction must be asc or desc, got {words[1][:20]!r}", "InvalidOrderBy")
            desc = words[1].lower() == "desc"
        order.append((words[0], desc))
    return order


def sort_docs(docs: Sequence[D], order: list[tuple[str, bool]]) -> list[D]:
    """``docs`` sorted by ``order`` (stable; missing values last)."""
    result = list(docs)
    for field, desc in reversed(order):
        present = [d for d in result if field_value(d, field) is not None]
        missing = [d for d in result if field_value(d, field) is None]
        try:
            present.sort(key=lambda d: field_value(d, field), reverse=desc)
        except TypeError:
            present.sort(key=lambda d: str(field_value(d, field)), reverse=desc)
        result = present + missing
    return result
