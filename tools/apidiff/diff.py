"""Compare two surfaces and classify every change as breaking or not.

Breaking (for a client written against OLD that now talks to NEW): a removed operation, a changed operationId
or path, a removed parameter, a new required parameter, a parameter becoming required, a parameter or field type
change, a removed enum value, a removed status code, a removed response body or media type, a removed field, a
new required field in a request schema, a request field becoming required, a response field becoming optional,
and a value added to a *closed* enum that responses carry. Everything else is reported as non-breaking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.apidiff.surface import Body, Field, Operation, Param, Surface

#: report sections, in the order the report shows them
CATEGORIES = ("operation", "parameter", "request body", "status code", "response body", "field", "enum")


@dataclass(frozen=True)
class Change:
    """One difference between OLD and NEW."""

    category: str
    kind: str  # added | removed | changed
    subject: str  # operationId, field path, enum name, ...
    detail: str
    breaking: bool

    def line(self) -> str:
        flag = "BREAKING " if self.breaking else ""
        return f"{flag}{self.category} {self.kind}: {self.subject}" + (f" ({self.detail})" if self.detail else "")


def _fmt(value: Any) -> str:
    return "none" if value is None else repr(value) if isinstance(value, str) else str(value)


def _op_name(op: Operation) -> str:
    return f"{op.operation_id} [{op.key}]"


def diff_operations(old: dict[str, Operation], new: dict[str, Operation]) -> list[Change]:
    out: list[Change] = []
    new_by_id = {op.operation_id: op for op in new.values()}
    old_by_id = {op.operation_id: op for op in old.values()}
    for key in sorted(old.keys() - new.keys()):
        op = old[key]
        moved = new_by_id.get(op.operation_id)
        if moved is not None and moved.key not in old:
            out.append(Change("operation", "changed", op.operation_id, f"path {op.key} -> {moved.key}", True))
            out += _diff_operation(op, moved)
        else:
            out.append(Change("operation", "removed", _op_name(op), "", True))
    for key in sorted(new.keys() - old.keys()):
        op = new[key]
        before = old_by_id.get(op.operation_id)
        if before is None or before.key in new:
            out.append(Change("operation", "added", _op_name(op), "", False))
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        if a.operation_id != b.operation_id:
            out.append(Change("operation", "changed", key, f"operationId {a.operation_id} -> {b.operation_id}", True))
        out += _diff_operation(a, b)
    return out


def _diff_operation(a: Operation, b: Operation) -> list[Change]:
    out: list[Change] = []
    name = b.operation_id or b.key
    for pkey in sorted(a.params.keys() - b.params.keys()):
        p = a.params[pkey]
        out.append(Change("parameter", "removed", f"{name}: {p.location} {p.name}", "", True))
    for pkey in sorted(b.params.keys() - a.params.keys()):
        p = b.params[pkey]
        req = "required" if p.required else "optional"
        out.append(Change("parameter", "added", f"{name}: {p.location} {p.name}", f"{req}, {p.type}", p.required))
    for pkey in sorted(a.params.keys() & b.params.keys()):
        out += _diff_param(name, a.params[pkey], b.params[pkey])
    out += _diff_request(name, a.request, b.request)
    for status in sorted(a.responses.keys() - b.responses.keys()):
        out.append(Change("status code", "removed", f"{name}: {status}", "", True))
    for status in sorted(b.responses.keys() - a.responses.keys()):
        body = b.responses[status]
        detail = f"body {body.schema}" if body and body.schema else "no body"
        out.append(Change("status code", "added", f"{name}: {status}", detail, False))
    for status in sorted(a.responses.keys() & b.responses.keys()):
        out += _diff_response(name, status, a.responses[status], b.responses[status])
    return out


def _diff_param(name: str, a: Param, b: Param) -> list[Change]:
    out: list[Change] = []
    subject = f"{name}: {a.location} {a.name}"
    if a.required != b.required:
        out.append(
            Change("parameter", "changed", subject, "now required" if b.required else "now optional", b.required)
        )
    if a.type != b.type:
        out.append(Change("parameter", "changed", subject, f"type {a.type} -> {b.type}", True))
    if a.default != b.default:
        out.append(Change("parameter", "changed", subject, f"default {_fmt(a.default)} -> {_fmt(b.default)}", False))
    old_enum, new_enum = set(a.enum or ()), set(b.enum or ())
    if a.enum and b.enum and old_enum != new_enum:
        if old_enum - new_enum:
            out.append(
                Change("parameter", "changed", subject, f"enum values removed: {_list(old_enum - new_enum)}", True)
            )
        if new_enum - old_enum:
            out.append(
                Change("parameter", "changed", subject, f"enum values added: {_list(new_enum - old_enum)}", False)
            )
    return out


def _diff_request(name: str, a: Body | None, b: Body | None) -> list[Change]:
    if a is None and b is None:
        return []
    if a is None and b is not None:
        return [
            Change("request body", "added", name, f"{b.schema}, {'required' if b.required else 'optional'}", b.required)
        ]
    if b is None and a is not None:
        return [Change("request body", "removed", name, f"was {a.schema}", True)]
    assert a is not None and b is not None
    out: list[Change] = []
    if a.schema != b.schema:
        out.append(Change("request body", "changed", name, f"schema {a.schema} -> {b.schema}", True))
    if set(a.media_types) != set(b.media_types):
        gone = set(a.media_types) - set(b.media_types)
        out.append(
            Change(
                "request body",
                "changed",
                name,
                f"media types {_list(a.media_types)} -> {_list(b.media_types)}",
                bool(gone),
            )
        )
    if a.required != b.required:
        out.append(
            Change("request body", "changed", name, "now required" if b.required else "now optional", b.required)
        )
    return out


def _diff_response(name: str, status: str, a: Body | None, b: Body | None) -> list[Change]:
    subject = f"{name}: {status}"
    if a is None and b is None:
        return []
    if a is None and b is not None:
        return [Change("response body", "added", subject, f"{b.schema}", False)]
    if b is None and a is not None:
        return [Change("response body", "removed", subject, f"was {a.schema}", True)]
    assert a is not None and b is not None
    out: list[Change] = []
    if a.schema != b.schema:
        out.append(Change("response body", "changed", subject, f"schema {a.schema} -> {b.schema}", True))
    gone = set(a.media_types) - set(b.media_types)
    if set(a.media_types) != set(b.media_types):
        out.append(
            Change(
                "response body",
                "changed",
                subject,
                f"media types {_list(a.media_types)} -> {_list(b.media_types)}",
                bool(gone),
            )
        )
    return out


def diff_fields(old: dict[str, Field], new: dict[str, Field]) -> list[Change]:
    out: list[Change] = []
    removed = sorted(old.keys() - new.keys())
    added = sorted(new.keys() - old.keys())
    # Below a removed (added) field, its children are removed (added) too: report the top one only.
    by_lower = {p.lower(): p for p in added}
    for path in _tops(removed):
        renamed = by_lower.get(path.lower())
        hint = f"; now spelled {renamed.rsplit('.', 1)[-1]}" if renamed else ""
        out.append(Change("field", "removed", path, f"was {old[path].type}{hint}", True))
    for path in _tops(added):
        f = new[path]
        required_in_request = f.required and "request" in f.context
        detail = f"{f.type}" + (", required" if f.required else "") + (", read-only" if f.read_only else "")
        out.append(Change("field", "added", path, detail, required_in_request))
    for path in sorted(old.keys() & new.keys()):
        a, b = old[path], new[path]
        if a.type != b.type:
            out.append(Change("field", "changed", path, f"type {a.type} -> {b.type}", True))
        if a.required != b.required:
            if b.required:
                out.append(Change("field", "changed", path, "now required", "request" in b.context))
            else:
                out.append(Change("field", "changed", path, "now optional", "response" in b.context))
        if a.read_only != b.read_only:
            out.append(Change("field", "changed", path, "now read-only" if b.read_only else "now writable", False))
        if a.default != b.default:
            out.append(Change("field", "changed", path, f"default {_fmt(a.default)} -> {_fmt(b.default)}", False))
        if a.enum and b.enum and set(a.enum) != set(b.enum):
            if set(a.enum) - set(b.enum):
                out.append(Change("enum", "removed", path, _list(set(a.enum) - set(b.enum)), True))
            if set(b.enum) - set(a.enum):
                out.append(Change("enum", "added", path, _list(set(b.enum) - set(a.enum)), False))
    return out


def _tops(paths: list[str]) -> list[str]:
    chosen = set(paths)
    out = []
    for path in paths:
        parents = [path[:i] for i, ch in enumerate(path) if ch in ".[{" and i]
        if not any(p in chosen for p in parents):
            out.append(path)
    return out


def diff_enums(
    old: dict[str, tuple[tuple[str, ...], bool]], new: dict[str, tuple[tuple[str, ...], bool]], fields: dict[str, Field]
) -> list[Change]:
    out: list[Change] = []
    in_responses = {f.type for f in fields.values() if "response" in f.context}
    for name in sorted(old.keys() & new.keys()):
        (a, _), (b, b_open) = old[name], new[name]
        if set(a) - set(b):
            out.append(Change("enum", "removed", name, _list(set(a) - set(b)), True))
        if set(b) - set(a):
            closed = not b_open and any(name in t.split(" | ") for t in in_responses)
            detail = _list(set(b) - set(a)) + (" (closed enum in responses)" if closed else "")
            out.append(Change("enum", "added", name, detail, closed))
    for name in sorted(new.keys() - old.keys()):
        out.append(Change("enum", "added", name, f"new enum: {_list(new[name][0])}", False))
    for name in sorted(old.keys() - new.keys()):
        out.append(Change("enum", "removed", name, f"enum gone: {_list(old[name][0])}", True))
    return out


def _list(values: Any) -> str:
    return ", ".join(sorted(str(v) for v in values))


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from OLD to NEW, grouped by category."""
    changes = diff_operations(old.operations, new.operations)
    changes += diff_fields(old.fields, new.fields)
    changes += diff_enums(old.enums, new.enums, new.fields)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(changes, key=lambda c: (order.get(c.category, len(order)), c.kind, c.subject))
