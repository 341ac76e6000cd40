"""Shared helpers for the generated-client tests: specs, operation modules, JSON normalisation.

- ``SPECS`` / ``EXAMPLES``: the specs folder and the official examples folder (``shared/`` beside the clone).
- ``GROUPS``: group → (spec file, default package), read from the group registry ``azureml_rest._registry``.
- ``spec_operations()``: every operation of every spec, keyed by operationId; an operationId several groups declare
  (machinelearning's workspace reads, at 2025-12-01, are management's at 2019-11-01) is bare for the group with the
  oldest api-version and ``<group>:<operationId>`` for the others (``operations_named`` finds them all).
- ``operation_module(key)``: the generated module of an operation (found by walking its package's ``api/``).
- ``parse_as(key, status, body)``: the operation's own generated parser applied to a JSON body.
- ``normalise(value)``: JSON with date-time strings replaced by aware datetimes (format-independent comparison).
"""

from __future__ import annotations

import datetime
import functools
import importlib
import json
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from azureml_rest._registry import GROUPS as REGISTRY
from dateutil.parser import isoparse  # type: ignore[import-untyped]  # no stubs in the dev venv

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
EXAMPLES = Path(__file__).parents[2].parent / "shared" / "reference" / "examples"
METHODS = ("get", "put", "post", "delete", "patch")

# group name → (spec file, default generated package), from the group registry regen writes (generator/groups.py).
GROUPS: dict[str, tuple[str, str]] = {name: (f"{name}.yaml", info.package) for name, info in REGISTRY.items()}

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True)
class SpecOperation:
    """One operation of one spec."""

    group: str
    operation_id: str
    method: str
    path: str
    spec: dict[str, Any]
    op: dict[str, Any]


@functools.cache
def load_spec(group: str) -> dict[str, Any]:
    """The parsed YAML of a group's spec."""
    loaded: dict[str, Any] = yaml.safe_load((SPECS / GROUPS[group][0]).read_text())
    return loaded


@functools.cache
def spec_operations() -> dict[str, SpecOperation]:
    """key → SpecOperation over every group's spec; the key is the operationId, or ``<group>:<operationId>`` when
    a group with an older api-version declares the same operationId (validate_specs allows that only for the same
    method and path)."""
    out: dict[str, SpecOperation] = {}
    oldest_first = sorted(GROUPS, key=lambda g: (REGISTRY[g].api_version, g))
    for group in oldest_first:
        spec = load_spec(group)
        for path, item in spec["paths"].items():
            for method in METHODS:
                if method in item:
                    op = item[method]
                    key = op["operationId"] if op["operationId"] not in out else f"{group}:{op['operationId']}"
                    out[key] = SpecOperation(group, op["operationId"], method, path, spec, op)
    return out


def operations_named(operation_id: str) -> list[str]:
    """The keys of ``spec_operations()`` of every group that declares ``operation_id``, oldest api-version first."""
    return [key for key, op in spec_operations().items() if op.operation_id == operation_id]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local ``$ref`` (repeatedly) inside ``spec``."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def api_modules(package: str) -> Iterator[types.ModuleType]:
    """Every operation module under ``<package>.api`` (one per operation)."""
    api = importlib.import_module(f"{package}.api")
    for info in pkgutil.walk_packages(api.__path__, prefix=f"{package}.api."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


@functools.cache
def _module_index() -> dict[tuple[str, str], types.ModuleType]:
    index: dict[tuple[str, str], types.ModuleType] = {}
    for _spec_file, package in GROUPS.values():
        for module in api_modules(package):
            index[(package, _squash(module.__name__.rsplit(".", 1)[1]))] = module
    return index


def operation_module(key: str) -> types.ModuleType:
    """The generated module of an operation (``MLModels_ListQuery`` → ``.../ml_models_list_query``), by its
    ``spec_operations()`` key."""
    op = spec_operations()[key]
    package = GROUPS[op.group][1]
    module = _module_index().get((package, _squash(op.operation_id)))
    if module is None:
        raise LookupError(f"no generated module for {op.operation_id} in {package}")
    return module


def body_type(operation_id: str) -> Any:
    """The class of the ``body`` argument of the operation's generated function."""
    hints = typing.get_type_hints(operation_module(operation_id)._get_kwargs)
    return hints["body"]


def model_classes(annotation: Any) -> list[type[Any]]:
    """The attrs model classes (having ``from_dict``) inside a type annotation (unions unpacked)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [c for a in typing.get_args(annotation) for c in model_classes(a)]
    return [annotation] if hasattr(annotation, "from_dict") else []


def fake_response(
    status: int, body: Any, method: str = "GET", *, raw: bytes | None = None, content_type: str = "application/json"
) -> httpx.Response:
    """An httpx.Response as a server would send it (JSON unless ``raw`` is given)."""
    content = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    headers = {"content-type": content_type} if content else {}
    return httpx.Response(status, content=content, headers=headers, request=httpx.Request(method, "http://127.0.0.1/x"))


def example_status(operation_id: str, status: str) -> int:
    """A concrete HTTP status for a response key (``default`` → the first of 404/400/500 not declared)."""
    if status != "default":
        return int(status)
    declared = spec_operations()[operation_id].op.get("responses", {})
    return next(s for s in (404, 400, 500) if str(s) not in declared)


def parse_as(operation_id: str, status: int, body: Any) -> Any:
    """Parse ``body`` (JSON) sent with ``status`` through the operation's generated response builder."""
    module = operation_module(operation_id)
    client = _client_for(module)
    op = spec_operations()[operation_id]
    return module._build_response(client=client, response=fake_response(status, body, op.method.upper())).parsed


def _client_for(module: types.ModuleType) -> Any:
    package = module.__name__.split(".", 1)[0]
    client_mod = importlib.import_module(f"{package}.client")
    return client_mod.Client(base_url="http://127.0.0.1")


def to_json(value: Any) -> Any:
    """``to_dict()`` of a generated model (or a list of them); plain JSON passes through."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def normalise(value: Any) -> Any:
    """JSON with date-time strings parsed (aware, UTC if no offset, truncated to microseconds as Python does)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            parsed = isoparse(value)
        except ValueError:
            return value
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return ("datetime", parsed.astimezone(datetime.UTC))
    return value


def json_diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Human-readable differences between two normalised JSON values (empty when equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{where}.{key}: lost (was {expected[key]!r})")
            elif key not in expected:
                out.append(f"{where}.{key}: added {actual[key]!r}")
            else:
                out += json_diff(expected[key], actual[key], f"{where}.{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: length {len(expected)} → {len(actual)}"]
        return [
            d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in json_diff(e, a, f"{where}[{i}]")
        ]
    if expected != actual or type(expected) is not type(actual):
        return [f"{where}: {expected!r} → {actual!r}"]
    return []


# --- synthetic payloads -------------------------------------------------------------------------------------

UNKNOWN_FIELD = "futureField"
UNKNOWN_VALUE: dict[str, Any] = {"nested": [1, "x", None, {"deep": False}], "n": 2.5}
UNKNOWN_ENUM = "FutureValue"


def _is_nullable(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    if schema.get("nullable"):
        return True
    return any(resolve(spec, s).get("nullable") for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _is_object(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    branches = [resolve(spec, b) for b in schema.get("anyOf", []) + schema.get("oneOf", [])] or [schema]
    return any((b.get("type") == "object" and b.get("enum") != [None]) or "properties" in b for b in branches)


def synthesize(spec: dict[str, Any], schema: Any, variant: str, depth: int = 0) -> Any:
    """A JSON instance of ``schema`` with every declared property present.

    ``variant``: ``"unknown"`` adds ``futureField`` to every object that allows extra fields; ``"nulls"`` puts
    ``null`` in every nullable non-object field (nullable objects are filled, so nulls appear at every level);
    ``"nulls-all"`` puts ``null`` wherever the spec marks a field nullable; ``"enums"`` puts an undeclared value
    in every enum.
    Recursion stops after a few levels (optional properties are then left out).
    """
    node = resolve(spec, schema)
    if variant.startswith("nulls") and _is_nullable(spec, node) and depth > 0:
        if variant == "nulls-all" or not _is_object(spec, node):
            return None
    for key in ("anyOf", "oneOf"):
        if key in node:
            branches = [b for b in node[key] if not (resolve(spec, b).get("enum") == [None])]
            return synthesize(spec, branches[0], variant, depth)
    if "allOf" in node:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = resolve(spec, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        merged["properties"].update(node.get("properties", {}))
        node = {**node, **merged}
    kind = node.get("type") or ("object" if "properties" in node else None)
    if "enum" in node:
        values = [v for v in node["enum"] if v is not None]
        return UNKNOWN_ENUM if variant == "enums" and kind == "string" else values[0]
    if kind == "object":
        out: dict[str, Any] = {}
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            if depth < 5 or name in required:
                out[name] = synthesize(spec, prop, variant, depth + 1)
        extra = node.get("additionalProperties", True)
        if isinstance(extra, dict) and extra:
            out["someKey"] = synthesize(spec, extra, variant, depth + 1)
        elif extra is not False and variant == "unknown":
            out[UNKNOWN_FIELD] = UNKNOWN_VALUE
        return out
    if kind == "array":
        return [synthesize(spec, node.get("items", {}), variant, depth + 1)]
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date-time":
            return "2020-01-02T03:04:05.123456+00:00"
        if fmt == "date":
            return "2020-01-02"
        if fmt == "uuid":
            return "00000000-0000-4000-8000-000000000001"
        return str(node.get("example", "text"))
    if kind == "integer":
        return 3
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return {"any": ["json", 1]}  # a schema without a type: any JSON


def response_schemas() -> list[tuple[str, str, dict[str, Any]]]:
    """(operationId, status, schema) for every JSON response of every spec."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for operation_id, op in sorted(spec_operations().items()):
        for status, response in op.op.get("responses", {}).items():
            media = resolve(op.spec, response).get("content", {}).get("application/json")
            if media and "schema" in media:
                out.append((operation_id, status, media["schema"]))
    return out
