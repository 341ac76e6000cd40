"""What a command prints on stdout: JSON (default), an aligned table or tab-separated values.

:func:`to_jsonable` turns generated models, pagers, dataclasses, enums and datetimes into JSON values;
:func:`emit` writes them in the chosen format; :class:`Column` names what a table/tsv row shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = ["Column", "emit", "to_jsonable"]


@dataclass(frozen=True)
class Column:
    """One table/tsv column: ``header`` and a dotted ``path`` into the JSON form of a result; ``fn`` maps the
    value found (not called for a missing value)."""

    header: str
    path: str
    fn: Callable[[Any], Any] | None = None


def to_jsonable(obj: Any) -> Any:
    """Generated models (``to_dict``), pagers, dataclasses, enums and datetimes -> JSON-compatible values."""
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return to_jsonable(to_dict())
    if isinstance(obj, dict):
        from azureml_rest._generated_types import is_unset  # generated types by isinstance, never by name

        return {str(k): to_jsonable(v) for k, v in obj.items() if not is_unset(v)}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    value = getattr(obj, "value", None)  # enums
    if isinstance(value, (str, int)):
        return value
    if hasattr(obj, "__dataclass_fields__"):
        import dataclasses

        return to_jsonable(dataclasses.asdict(obj))
    if isinstance(obj, Iterable):  # a Pager
        return [to_jsonable(v) for v in obj]
    return str(obj)


def _lookup(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(doc, dict):
            doc = doc.get(part)
        else:
            return None
    return doc


def _value(item: Any, column: Column) -> Any:
    value = _lookup(item, column.path)
    return column.fn(value) if column.fn is not None and value is not None else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value).replace("\t", " ").replace("\n", " ")


def _rows(data: Any, columns: Sequence[Column]) -> tuple[list[str], list[list[str]]]:
    items = data if isinstance(data, list) else [data]
    if not columns:
        if all(isinstance(i, dict) for i in items) and items:
            keys: list[str] = []
            for item in items:
                for k, v in item.items():
                    if k not in keys and not isinstance(v, (dict, list)):
                        keys.append(k)
            columns = [Column(k, k) for k in keys]
        else:
            return ["Value"], [[_cell(i)] for i in items]
    if not isinstance(data, list) and isinstance(data, dict) and not any(c.path in data or "." in c.path
                                                                         for c in columns):
        columns = [Column(k, k) for k in data]
    headers = [c.header for c in columns]
    return headers, [[_cell(_value(item, c)) for c in columns] for item in items]


def emit(result: Any, fmt: str, columns: Sequence[Column], out: TextIO) -> None:
    """Write ``result`` as JSON (indented), an aligned table or tab-separated values (no header); None: nothing."""
    if result is None:
        return
    data = to_jsonable(result)
    if fmt == "json":
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if isinstance(data, dict) and not columns and all(not isinstance(v, (dict, list)) for v in data.values()) \
            and fmt == "table":
        # A flat map (discovery, keys): one Key/Value row per entry reads best.
        data = [{"Key": k, "Value": v} for k, v in data.items()]
    headers, rows = _rows(data, columns)
    if fmt == "tsv":
        for row in rows:
            out.write("\t".join(row) + "\n")
        return
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
