"""List every difference between our specs and the official restatements, with its justification.

Difference keys (what justifications.yaml matches, `fnmatch` patterns allowed):

    GROUP:operation-missing:OPID        official operation we do not describe
    GROUP:operation-extra:OPID          our operation with no official counterpart
    GROUP:path:OPID                     same operationId, other method or path
    GROUP:status-missing:OPID:CODE      GROUP:status-extra:OPID:CODE
    GROUP:param-missing:OPID:IN NAME    GROUP:param-extra:OPID:IN NAME
    GROUP:param-required:OPID:IN NAME   required in one and optional in the other
    GROUP:schema-missing:NAME           GROUP:schema-extra:NAME
    GROUP:field-missing:SCHEMA.FIELD    GROUP:field-extra:SCHEMA.FIELD

Patterns: fnmatch (`*`, `?`, `[...]`) plus one-level brace alternatives (`{A,B}`).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.apidiff.surface import METHODS, Spec, load_yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OFFICIAL = HERE / "official"
JUSTIFICATIONS = HERE / "justifications.yaml"
CATEGORIES = (
    "article-only form",
    "generator workaround",
    "deliberate simplification",
    "our contract where Microsoft has none",
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Difference:
    key: str
    detail: str


@dataclass(frozen=True)
class Justification:
    pattern: str
    category: str
    reason: str
    readme: str


def _our_operations(doc: Json) -> dict[str, Json]:
    spec = Spec(doc)
    out: dict[str, Json] = {}
    for path, item in (doc.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params: dict[str, bool] = {}
            for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
                p = spec.resolve(raw)
                params[f"{p.get('in')} {p.get('name')}"] = bool(p.get("required", False))
            out[str(op.get("operationId"))] = {
                "method": method,
                "path": path,
                "statuses": sorted(str(s) for s in (op.get("responses") or {})),
                "params": params,
            }
    return out


def _our_fields(spec: Spec, schema: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    """Property names of a schema, through allOf (the envelope) and the object member of a nullable anyOf."""
    out: set[str] = set()
    if not isinstance(schema, dict):
        return out
    name = spec.ref_name(schema)
    if name:
        if name in seen:
            return out
        return _our_fields(spec, spec.schemas.get(name, {}), seen | {name})
    out |= set((schema.get("properties") or {}).keys())
    for member in schema.get("allOf", []) or []:
        out |= _our_fields(spec, member, seen)
    return out


def _official_params(raw: list[Any]) -> dict[str, bool]:
    """`"query api-version*"` -> {"query api-version": True}; a trailing `*` marks a required parameter."""
    out: dict[str, bool] = {}
    for item in raw or []:
        text = str(item)
        out[text.rstrip("*")] = text.endswith("*")
    return out


def differences(official: Json, ours: Json) -> list[Difference]:
    """Every difference between one official restatement and our spec of the same group."""
    group = official["group"]
    spec = Spec(ours)
    found: list[Difference] = []
    mine = _our_operations(ours)
    theirs = {str(o["operationId"]): o for o in official.get("operations", []) or []}
    for op_id in sorted(theirs.keys() - mine.keys()):
        found.append(
            Difference(
                f"{group}:operation-missing:{op_id}", f"{theirs[op_id]['method'].upper()} {theirs[op_id]['path']}"
            )
        )
    for op_id in sorted(mine.keys() - theirs.keys()):
        found.append(
            Difference(f"{group}:operation-extra:{op_id}", f"{mine[op_id]['method'].upper()} {mine[op_id]['path']}")
        )
    for op_id in sorted(mine.keys() & theirs.keys()):
        a, b = theirs[op_id], mine[op_id]
        if (str(a["method"]).lower(), a["path"]) != (b["method"], b["path"]):
            found.append(
                Difference(
                    f"{group}:path:{op_id}",
                    f"official {a['method'].upper()} {a['path']}, ours {b['method'].upper()} {b['path']}",
                )
            )
        official_statuses = {str(s) for s in a.get("statuses", [])}
        for code in sorted(official_statuses - set(b["statuses"])):
            found.append(Difference(f"{group}:status-missing:{op_id}:{code}", ""))
        for code in sorted(set(b["statuses"]) - official_statuses):
            found.append(Difference(f"{group}:status-extra:{op_id}:{code}", ""))
        official_params = _official_params(a.get("parameters", []))
        for p in sorted(official_params.keys() - b["params"].keys()):
            found.append(Difference(f"{group}:param-missing:{op_id}:{p}", ""))
        for p in sorted(b["params"].keys() - official_params.keys()):
            found.append(Difference(f"{group}:param-extra:{op_id}:{p}", "required" if b["params"][p] else "optional"))
        for p in sorted(official_params.keys() & b["params"].keys()):
            if official_params[p] != b["params"][p]:
                theirs_req, ours_req = ("required" if x else "optional" for x in (official_params[p], b["params"][p]))
                detail = f"official {theirs_req}, ours {ours_req}"
                found.append(Difference(f"{group}:param-required:{op_id}:{p}", detail))
    official_schemas: Json = official.get("schemas", {}) or {}
    for name in sorted(official_schemas.keys() - spec.schemas.keys()):
        found.append(Difference(f"{group}:schema-missing:{name}", ""))
    extras = sorted(spec.schemas.keys() - official_schemas.keys()) if official.get("compare_extra_schemas") else []
    for name in extras:
        found.append(Difference(f"{group}:schema-extra:{name}", ""))
    for name in sorted(official_schemas.keys() & spec.schemas.keys()):
        want = set(official_schemas[name] or [])
        have = _our_fields(spec, spec.schemas[name])
        if "enum" in spec.schemas[name]:
            have = {str(v) for v in spec.schemas[name]["enum"] if v is not None}
        for f in sorted(want - have):
            found.append(Difference(f"{group}:field-missing:{name}.{f}", ""))
        for f in sorted(have - want):
            found.append(Difference(f"{group}:field-extra:{name}.{f}", ""))
    return found


def load_justifications(path: Path = JUSTIFICATIONS) -> list[Justification]:
    data = yaml.safe_load(path.read_text()) or {}
    out: list[Justification] = []
    for pattern, entry in (data.get("justifications") or {}).items():
        category = str(entry.get("category", ""))
        if category not in CATEGORIES:
            raise ValueError(f"{path}: {pattern}: category must be one of {', '.join(CATEGORIES)}")
        if not entry.get("readme"):
            raise ValueError(f"{path}: {pattern}: needs a `readme` pointer into specs/README.md")
        out.append(Justification(str(pattern), category, str(entry.get("reason", "")), str(entry["readme"])))
    return out


def expand(pattern: str) -> list[str]:
    """`a:{x,y}` -> [`a:x`, `a:y`] (one brace group at a time, nested left to right), then fnmatch syntax."""
    start = pattern.find("{")
    end = pattern.find("}", start)
    if start < 0 or end < 0:
        return [pattern]
    return [
        p for alt in pattern[start + 1 : end].split(",") for p in expand(pattern[:start] + alt + pattern[end + 1 :])
    ]


def matches(key: str, pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(key, p) for p in expand(pattern))


def justify(diffs: list[Difference], table: list[Justification]) -> list[tuple[Difference, Justification | None]]:
    """Each difference with the first justification whose pattern matches its key (or None)."""
    return [(d, next((j for j in table if matches(d.key, j.pattern)), None)) for d in diffs]


def run(
    specs: Path, official_dir: Path = OFFICIAL, table_path: Path = JUSTIFICATIONS
) -> tuple[list[str], list[str], list[str]]:
    """(report lines, unjustified keys, unused justification patterns) for every official restatement."""
    table = load_justifications(table_path)
    lines: list[str] = []
    unjustified: list[str] = []
    used: set[str] = set()
    for path in sorted(official_dir.glob("*.yaml")):
        official = load_yaml(path.read_text())
        group = official["group"]
        if not official.get("official", True):
            lines.append(
                f"{group}: no official Microsoft spec ({official.get('reason', 'none published')}); nothing to compare"
            )
            continue
        ours = load_yaml((specs / f"{group}.yaml").read_text())
        pairs = justify(differences(official, ours), table)
        lines.append(f"{group}: {len(pairs)} differences from {official.get('source', 'the official spec')}")
        for diff, why in pairs:
            if why is None:
                unjustified.append(diff.key)
                lines.append(f"  UNJUSTIFIED {diff.key}" + (f" ({diff.detail})" if diff.detail else ""))
            else:
                used.add(why.pattern)
                lines.append(f"  {diff.key}: {why.category}; {why.reason} [specs/README.md: {why.readme}]")
    unused = [j.pattern for j in table if j.pattern not in used]
    return lines, unjustified, unused
