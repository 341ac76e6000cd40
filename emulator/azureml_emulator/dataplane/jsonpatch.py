"""A JSON Patch (RFC 6902) subset for model management PATCH bodies (specs/modelmanagement.yaml ``JsonPatchOperation``).

Ops: add, replace, remove, test. Paths: ``/<field>`` for the allowed top-level fields and
``/<map>/<key>`` inside the allowed string maps (e.g. ``/kvTags/stage``). Anything else is a 400.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .common import BadRequest

Field = type | tuple[type, ...]


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _check(value: Any, kind: Field, name: str) -> None:
    if kind is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise BadRequest(f"'{name}' must be an object of strings", "InvalidPatch")
    elif isinstance(value, bool) and kind is not bool:
        raise BadRequest(f"'{name}' has the wrong type", "InvalidPatch")
    elif value is not None and not isinstance(value, kind):
        raise BadRequest(f"'{name}' has the wrong type", "InvalidPatch")


def apply(doc: dict[str, Any], ops: Any, allowed: Mapping[str, Field]) -> dict[str, Any]:
    """A patched copy of ``doc``; ``allowed`` maps top-level field names to their types."""
    if not isinstance(ops, list):
        raise BadRequest("the body must be a JSON Patch array of operations", "InvalidPatch")
    if len(ops) > 100:
        raise BadRequest("at most 100 patch operations are allowed", "InvalidPatch")
    result = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict):
            raise BadRequest("each patch operation must be an object", "InvalidPatch")
        kind = op.get("op")
        path = op.get("path")
        if not isinstance(kind, str) or kind.lower() not in ("add", "replace", "remove", "test"):
            raise BadRequest("'op' must be add, replace, remove or test", "InvalidPatch")
        if not isinstance(path, str) or not path.startswith("/"):
            raise BadRequest("'path' must be a JSON pointer such as /description", "InvalidPatch")
        kind = kind.lower()
        parts = [_unescape(p) for p in path[1:].split("/")]
        field = next((f for f in allowed if f.lower() == parts[0].lower()), None)
        if field is None or len(parts) > 2 or (len(parts) == 2 and allowed[field] is not dict):
            raise BadRequest(
                f"path {path[:200]!r} cannot be patched; patchable: {', '.join('/' + f for f in allowed)}",
                "InvalidPatch",
            )
        value = op.get("value")
        if len(parts) == 1:
            if kind == "test":
                if result.get(field) != value:
                    raise BadRequest(f"test failed at {path[:200]!r}", "PatchTestFailed", 409)
            elif kind == "remove":
                result[field] = {} if allowed[field] is dict else None
            else:
                if "value" not in op:
                    raise BadRequest(f"'{kind}' needs a 'value'", "InvalidPatch")
                _check(value, allowed[field], field)
                result[field] = dict(value) if isinstance(value, dict) else value
            continue
        key = parts[1]
        current = result.get(field)
        target: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
        if kind == "test":
            if target.get(key) != value:
                raise BadRequest(f"test failed at {path[:200]!r}", "PatchTestFailed", 409)
        elif kind == "remove":
            if key not in target:
                raise BadRequest(f"nothing to remove at {path[:200]!r}", "InvalidPatch")
            del target[key]
        else:
            if not isinstance(value, str):
                raise BadRequest(f"the value at {path[:200]!r} must be a string", "InvalidPatch")
            if kind == "replace" and key not in target:
                raise BadRequest(f"nothing to replace at {path[:200]!r}", "InvalidPatch")
            target[key] = value
        result[field] = target
    return result
