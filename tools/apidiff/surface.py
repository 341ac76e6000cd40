"""Flatten an OpenAPI 3.0 document into the comparable surface a client sees.

The surface holds operations (keyed by method + path), their parameters, status codes and body schemas, the
fields of every body schema (walked through $ref, allOf, anyOf, oneOf, items and maps) and the values of every
named enum. Field paths start at a *root*: a named schema used directly as a request or response body
(`Workspace.properties.hbiWorkspace`). The walk stops at another root, so a field is listed once, under the
schema that owns it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
#: how deep a field walk goes below its root; deeper nesting is not reported (recursive error shapes)
MAX_DEPTH = 8

Json = dict[str, Any]


def load_yaml(text: str) -> Any:
    """yaml.safe_load, with the C loader when PyYAML has it (the specs are large)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class Param:
    """One parameter as a client passes it."""

    name: str
    location: str
    required: bool
    type: str
    default: Any
    enum: tuple[str, ...] | None


@dataclass(frozen=True)
class Body:
    """A request or response body: media types and the schema they carry (its type descriptor)."""

    media_types: tuple[str, ...]
    schema: str | None
    required: bool = False


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    params: dict[tuple[str, str], Param] = field(default_factory=dict)
    request: Body | None = None
    responses: dict[str, Body | None] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class Field:
    """One schema field, found at `path` below a root schema."""

    path: str
    type: str
    required: bool
    read_only: bool
    nullable: bool
    default: Any
    enum: tuple[str, ...] | None
    #: "request", "response" or "request+response": where the field's root schema travels
    context: str


@dataclass
class Surface:
    title: str
    version: str
    operations: dict[str, Operation]
    fields: dict[str, Field]
    #: named enum schema -> (values, open?)
    enums: dict[str, tuple[tuple[str, ...], bool]]


class Spec:
    """An OpenAPI document with $ref resolution inside the same file."""

    def __init__(self, doc: Json) -> None:
        self.doc = doc

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break
            seen.add(ref)
            target: Any = self.doc
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
            node = target
        return node

    @staticmethod
    def ref_name(node: Any) -> str | None:
        if (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#/components/schemas/")
        ):
            return str(node["$ref"].rsplit("/", 1)[1])
        return None

    @property
    def schemas(self) -> Json:
        return dict(self.doc.get("components", {}).get("schemas", {}) or {})


def _is_null_only(node: Any) -> bool:
    """The `{type: X, nullable: true, enum: [null]}` member of the nullable-reference form."""
    return isinstance(node, dict) and node.get("enum") == [None]


def describe(spec: Spec, node: Any) -> tuple[str, bool]:
    """A short type descriptor of a schema (`Workspace`, `integer(int32)`, `array<string>`, `A | string`)
    and whether it accepts null."""
    if not isinstance(node, dict):
        return "any", False
    name = spec.ref_name(node)
    if name:
        return name, False
    nullable = bool(node.get("nullable"))
    for combinator in ("anyOf", "oneOf"):
        if combinator in node:
            members = [m for m in node[combinator] if not _is_null_only(m)]
            nullable = nullable or len(members) != len(node[combinator])
            parts = [describe(spec, m) for m in members]
            nullable = nullable or any(n for _, n in parts)
            return " | ".join(p for p, _ in parts) or "any", nullable
    if "allOf" in node:
        parts = [describe(spec, m) for m in node["allOf"]]
        return " & ".join(p for p, _ in parts) or "any", nullable
    kind = node.get("type")
    if kind == "array":
        inner, _ = describe(spec, node.get("items", {}))
        return f"array<{inner}>", nullable
    if kind == "object" or (kind is None and "properties" in node):
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra and not node.get("properties"):
            inner, _ = describe(spec, extra)
            return f"map<{inner}>", nullable
        return "object", nullable
    if kind is None:
        return "any", nullable
    fmt = node.get("format")
    return (f"{kind}({fmt})" if fmt else str(kind)), nullable


def _members(spec: Spec, node: Any) -> Iterator[Json]:
    """The object schemas whose properties make up `node` (through allOf/anyOf/oneOf, not through $ref)."""
    if not isinstance(node, dict) or _is_null_only(node):
        return
    yield node
    for combinator in ("allOf", "anyOf", "oneOf"):
        for member in node.get(combinator, []) or []:
            target = spec.resolve(member)
            if spec.ref_name(member) is None:
                yield from _members(spec, target)
            elif combinator == "allOf":
                # allOf: the referenced schema's fields belong to this object (Resource envelope)
                yield from _members(spec, target)


def _body(spec: Spec, node: Any) -> tuple[Body | None, list[str]]:
    """A request body or response: its media types, schema descriptor and the root schemas it names."""
    node = spec.resolve(node)
    content = node.get("content") if isinstance(node, dict) else None
    if not content:
        return None, []
    roots: list[str] = []
    schema_desc: set[str] = set()
    for media in content.values():
        schema = (media or {}).get("schema")
        if schema is None:
            continue
        desc, _ = describe(spec, schema)
        schema_desc.add(desc)
        roots += _root_names(spec, schema)
    body = Body(
        media_types=tuple(sorted(content)),
        schema=" / ".join(sorted(schema_desc)) or None,
        required=bool(node.get("required", False)),
    )
    return body, roots


def _root_names(spec: Spec, schema: Any) -> list[str]:
    name = spec.ref_name(schema)
    if name:
        return [name]
    out: list[str] = []
    if isinstance(schema, dict):
        for combinator in ("anyOf", "oneOf", "allOf"):
            for member in schema.get(combinator, []) or []:
                out += _root_names(spec, member)
        if schema.get("type") == "array":
            out += _root_names(spec, schema.get("items"))
    return out


def _param(spec: Spec, raw: Any) -> Param:
    node = spec.resolve(raw)
    schema = node.get("schema", {}) or {}
    resolved = spec.resolve(schema)
    type_desc, _ = describe(spec, schema)
    inline_enum = schema.get("enum") if isinstance(schema, dict) and "$ref" not in schema else None
    return Param(
        name=str(node.get("name")),
        location=str(node.get("in")),
        required=bool(node.get("required", False)),
        type=type_desc,
        default=resolved.get("default") if isinstance(resolved, dict) else None,
        enum=tuple(str(v) for v in inline_enum) if inline_enum else None,
    )


def _walk(
    spec: Spec,
    node: Any,
    prefix: str,
    required: bool,
    context: str,
    roots: set[str],
    trail: tuple[str, ...],
    out: dict[str, Field],
) -> None:
    """Record the field at `prefix` (a property, not an array item or map value) and everything below it."""
    type_desc, nullable = describe(spec, node)
    resolved = spec.resolve(node)
    if isinstance(resolved, dict):
        nullable = nullable or bool(resolved.get("nullable"))
    inline_enum = node.get("enum") if isinstance(node, dict) and "$ref" not in node else None
    if not prefix.endswith(("[]", "{}")):
        out[prefix] = Field(
            path=prefix,
            type=type_desc,
            required=required,
            read_only=bool(isinstance(resolved, dict) and resolved.get("readOnly")),
            nullable=nullable,
            default=resolved.get("default") if isinstance(resolved, dict) else None,
            enum=tuple(str(v) for v in inline_enum if v is not None) if inline_enum else None,
            context=context,
        )
    if prefix.count(".") >= MAX_DEPTH:
        return
    # Follow named schemas, except another root (listed under its own name) and any already on the path.
    for ref in _refs_to_follow(spec, node):
        if ref in trail or ref in roots:
            continue
        _expand(spec, spec.schemas.get(ref, {}), prefix, context, roots, (*trail, ref), out)
    if not spec.ref_name(node):
        _expand(spec, node, prefix, context, roots, trail, out)


def _expand(
    spec: Spec, node: Any, prefix: str, context: str, roots: set[str], trail: tuple[str, ...], out: dict[str, Field]
) -> None:
    """Walk the properties, array items and map values of one schema (and its allOf/anyOf/oneOf members)."""
    for member in _members(spec, node):
        needed = set(member.get("required", []) or [])
        for name, sub in (member.get("properties") or {}).items():
            _walk(spec, sub, f"{prefix}.{name}", name in needed, context, roots, trail, out)
        if member.get("type") == "array" and "items" in member:
            _walk(spec, member["items"], f"{prefix}[]", False, context, roots, trail, out)
        extra = member.get("additionalProperties")
        if isinstance(extra, dict) and extra and not member.get("properties"):
            _walk(spec, extra, f"{prefix}{{}}", False, context, roots, trail, out)


def _refs_to_follow(spec: Spec, node: Any) -> list[str]:
    """Named schemas whose fields appear at this position ($ref itself, or refs inside anyOf/oneOf)."""
    name = spec.ref_name(node)
    if name:
        return [name]
    out: list[str] = []
    if isinstance(node, dict):
        for combinator in ("anyOf", "oneOf"):
            for member in node.get(combinator, []) or []:
                ref = spec.ref_name(member)
                if ref:
                    out.append(ref)
    return out


def surface(doc: Json) -> Surface:
    """The comparable surface of one OpenAPI document."""
    spec = Spec(doc)
    operations: dict[str, Operation] = {}
    usage: dict[str, set[str]] = {}
    for path, item in (doc.get("paths") or {}).items():
        shared = item.get("parameters", []) or []
        for method in METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            op = Operation(method=method, path=path, operation_id=str(raw.get("operationId", "")))
            for p in [*shared, *(raw.get("parameters", []) or [])]:
                param = _param(spec, p)
                op.params[(param.location, param.name)] = param
            if "requestBody" in raw:
                op.request, names = _body(spec, raw["requestBody"])
                for n in names:
                    usage.setdefault(n, set()).add("request")
            for status, response in (raw.get("responses") or {}).items():
                op.responses[str(status)], names = _body(spec, response)
                for n in names:
                    usage.setdefault(n, set()).add("response")
            operations[op.key] = op
    fields: dict[str, Field] = {}
    roots = set(usage)
    for root in sorted(roots):
        context = "+".join(sorted(usage[root]))
        _expand(spec, spec.schemas.get(root, {}), root, context, roots, (root,), fields)
    enums: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name, schema in spec.schemas.items():
        if isinstance(schema, dict) and "enum" in schema:
            values = tuple(str(v) for v in schema["enum"] if v is not None)
            open_enum = bool((schema.get("x-ms-enum") or {}).get("modelAsString", False))
            enums[name] = (values, open_enum)
    info = doc.get("info") or {}
    return Surface(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        operations=operations,
        fields=fields,
        enums=enums,
    )
