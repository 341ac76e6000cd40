"""Validate every spec in specs/ (OpenAPI 3.0 schema validity plus the house rules of CONTRIBUTING.md).

    python -m tests.tools.validate_specs

House rules: every operation has an operationId, a summary, tags and a `default` error response; every
operationId is unique across all specs; no external $ref (each file is self-contained).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate

SPECS = Path(__file__).resolve().parents[2] / "specs"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def external_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield ref
        for value in node.values():
            yield from external_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from external_refs(value)


def problems(path: Path, seen_ids: dict[str, str]) -> list[str]:
    """What is wrong with one spec; ``seen_ids`` maps each operationId seen so far to its method and path."""
    spec = yaml.safe_load(path.read_text())
    out: list[str] = []
    try:
        validate(spec)
    except Exception as exc:  # the validator raises several types; all mean "invalid"
        out.append(f"{path.name}: not a valid OpenAPI document: {str(exc).splitlines()[0]}")
    if not str(spec.get("openapi", "")).startswith("3.0"):
        out.append(f"{path.name}: must be OpenAPI 3.0.x")
    out += [f"{path.name}: external $ref {ref} (specs must be self-contained)" for ref in external_refs(spec)]
    for route, method, op in operations(spec):
        where = f"{path.name}: {method.upper()} {route}"
        op_id = op.get("operationId")
        if not op_id:
            out.append(f"{where}: no operationId")
        elif op_id in seen_ids and seen_ids[op_id] != f"{method.upper()} {route}":
            # The same operation at another api-version (machinelearning's workspace reads and ARM polling
            # resources, also in management) keeps its operationId; a different operation may not reuse one.
            out.append(f"{where}: operationId {op_id} also names {seen_ids[op_id]}")
        else:
            seen_ids[op_id] = f"{method.upper()} {route}"
        for key in ("summary", "tags"):
            if not op.get(key):
                out.append(f"{where}: no {key}")
        if "default" not in op.get("responses", {}):
            out.append(f"{where}: no default (error) response")
    return out


def main() -> int:
    files = sorted(SPECS.glob("*.yaml"))
    if not files:
        print("no specs found in specs/")
        return 1
    seen: dict[str, str] = {}
    found = [p for f in files for p in problems(f, seen)]
    for line in found:
        print(line)
    print(f"{len(files)} specs, {len(seen)} operations, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
