"""Apply a declarative changes file (tools/apidiff/changes/GROUP-VERSION.yaml) to a spec.

A changes file is written by a maintainer from Microsoft's official spec for the new api-version. It holds
`group`, `version`, `source` (where the facts were read), optional `keep_api_version` (component parameter names
whose api-version default must not move, e.g. another provider's), optional `not_adopted` (documentation only)
and `changes`, a list of entries, each with an `op` and a `note`:

    add_schema        name, schema                 remove_schema     name
    add_field         schema, field, definition, [required: true]
    remove_field      schema, field                set_required      schema, fields
    add_enum_values   schema, values               remove_enum_values schema, values
    add_operation     path, method, operation      remove_operation  operationId
    add_response      operationId, status, response
    remove_response   operationId, status          remove_response_content operationId, status
    add_parameter     operationId, parameter       remove_parameter  operationId, in, name
    set_info          field (title | description), value: restates the spec's own words for the new version

Every entry must apply exactly (adding what exists or removing what is absent is an error), so a changes file
that no longer matches the spec it was written for fails loudly instead of half-applying.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tools.apidiff.surface import METHODS

Json = dict[str, Any]


INFO_FIELDS = ("title", "description")


class ChangeError(ValueError):
    """A changes file that is malformed or does not fit the spec."""


def load(path: Path) -> Json:
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("changes", []), list):
        raise ChangeError(f"{path}: expected a mapping with a `changes` list")
    return data


def _schema(doc: Json, name: str) -> Json:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    if name not in schemas:
        raise ChangeError(f"no schema {name}")
    node = schemas[name]
    if not isinstance(node, dict):
        raise ChangeError(f"schema {name} is not an object")
    return node


def _operation(doc: Json, operation_id: str) -> Json:
    for item in (doc.get("paths") or {}).values():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise ChangeError(f"no operation {operation_id}")


def _require(entry: Json, *keys: str) -> list[Any]:
    missing = [k for k in keys if k not in entry]
    if missing:
        raise ChangeError(f"missing {', '.join(missing)}")
    return [entry[k] for k in keys]


def apply_one(doc: Json, entry: Json) -> None:
    """Apply one entry to `doc` in place."""
    op = entry.get("op")
    if op == "add_schema":
        name, schema = _require(entry, "name", "schema")
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        if name in schemas:
            raise ChangeError(f"schema {name} already exists")
        schemas[name] = copy.deepcopy(schema)
    elif op == "remove_schema":
        (name,) = _require(entry, "name")
        _schema(doc, name)
        del doc["components"]["schemas"][name]
    elif op == "add_field":
        name, field, definition = _require(entry, "schema", "field", "definition")
        props = _schema(doc, name).setdefault("properties", {})
        if field in props:
            raise ChangeError(f"{name}.{field} already exists")
        props[field] = copy.deepcopy(definition)
        if entry.get("required"):
            _schema(doc, name).setdefault("required", []).append(field)
    elif op == "remove_field":
        name, field = _require(entry, "schema", "field")
        schema = _schema(doc, name)
        if field not in (schema.get("properties") or {}):
            raise ChangeError(f"{name}.{field} does not exist")
        del schema["properties"][field]
        if field in (schema.get("required") or []):
            schema["required"].remove(field)
    elif op == "set_required":
        name, fields = _require(entry, "schema", "fields")
        schema = _schema(doc, name)
        for field in fields:
            if field not in (schema.get("properties") or {}):
                raise ChangeError(f"{name}.{field} does not exist")
            if field in (schema.get("required") or []):
                raise ChangeError(f"{name}.{field} is already required")
            schema.setdefault("required", []).append(field)
    elif op in ("add_enum_values", "remove_enum_values"):
        name, values = _require(entry, "schema", "values")
        schema = _schema(doc, name)
        current = schema.get("enum")
        if not isinstance(current, list):
            raise ChangeError(f"schema {name} is not an enum")
        for value in values:
            if op == "add_enum_values":
                if value in current:
                    raise ChangeError(f"{name} already has {value!r}")
                current.append(value)
            else:
                if value not in current:
                    raise ChangeError(f"{name} has no {value!r}")
                current.remove(value)
    elif op == "add_operation":
        path, method, operation = _require(entry, "path", "method", "operation")
        if method not in METHODS:
            raise ChangeError(f"unknown method {method}")
        item = doc.setdefault("paths", {}).setdefault(path, {})
        if method in item:
            raise ChangeError(f"{method.upper()} {path} already exists")
        item[method] = copy.deepcopy(operation)
    elif op == "remove_operation":
        (operation_id,) = _require(entry, "operationId")
        for path, item in list((doc.get("paths") or {}).items()):
            for method in METHODS:
                if isinstance(item.get(method), dict) and item[method].get("operationId") == operation_id:
                    del item[method]
                    if not any(m in item for m in METHODS):
                        del doc["paths"][path]
                    return
        raise ChangeError(f"no operation {operation_id}")
    elif op == "add_response":
        operation_id, status, response = _require(entry, "operationId", "status", "response")
        responses = _operation(doc, operation_id).setdefault("responses", {})
        if str(status) in responses:
            raise ChangeError(f"{operation_id} already answers {status}")
        responses[str(status)] = copy.deepcopy(response)
    elif op in ("remove_response", "remove_response_content"):
        operation_id, status = _require(entry, "operationId", "status")
        responses = _operation(doc, operation_id).get("responses") or {}
        if str(status) not in responses:
            raise ChangeError(f"{operation_id} has no {status} response")
        if op == "remove_response":
            del responses[str(status)]
        elif "content" not in responses[str(status)]:
            raise ChangeError(f"{operation_id} {status} has no body")
        else:
            del responses[str(status)]["content"]
    elif op == "add_parameter":
        operation_id, parameter = _require(entry, "operationId", "parameter")
        _operation(doc, operation_id).setdefault("parameters", []).append(copy.deepcopy(parameter))
    elif op == "remove_parameter":
        operation_id, location, name = _require(entry, "operationId", "in", "name")
        operation = _operation(doc, operation_id)
        params = operation.get("parameters") or []
        for i, raw in enumerate(params):
            param = _resolve_parameter(doc, raw)
            if param.get("in") == location and param.get("name") == name:
                del params[i]
                return
        raise ChangeError(f"{operation_id} has no {location} parameter {name}")
    elif op == "set_info":
        field, value = _require(entry, "field", "value")
        if field not in INFO_FIELDS:
            raise ChangeError(f"info.{field} cannot be set (only {', '.join(INFO_FIELDS)}; the version is the bump's)")
        if not isinstance(value, str) or not value.strip():
            raise ChangeError(f"info.{field} must be a non-empty string")
        info = doc.setdefault("info", {})
        if info.get(field) == value:
            raise ChangeError(f"info.{field} already says that")
        info[field] = value
    else:
        raise ChangeError(f"unknown op {op!r}")


def _resolve_parameter(doc: Json, raw: Json) -> Json:
    ref = raw.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
        return dict(doc.get("components", {}).get("parameters", {}).get(ref.rsplit("/", 1)[1], {}))
    return raw


def apply(doc: Json, changes: Json) -> Json:
    """A copy of `doc` with every entry of `changes` applied; errors name the entry."""
    out = copy.deepcopy(doc)
    for index, entry in enumerate(changes.get("changes", []) or []):
        if not isinstance(entry, dict):
            raise ChangeError(f"change #{index + 1}: not a mapping")
        try:
            apply_one(out, entry)
        except ChangeError as exc:
            raise ChangeError(f"change #{index + 1} ({entry.get('op')}): {exc}") from None
    return out
