"""Create a versioned spec, its side-by-side client package and its change report.

    python -m tools.apidiff bump management 2020-08-01 [--changes FILE] [--out DIR] [--no-generate]

Reads specs/GROUP.yaml, sets info.version and the default of every `api-version` parameter to VERSION (except
component parameters the changes file lists under `keep_api_version`), applies the changes file (default
tools/apidiff/changes/GROUP-VERSION.yaml when it exists), validates the result and writes:

- specs/versions/GROUP-VERSION.yaml            the versioned spec
- specs/versions/GROUP-VERSION.changes.md      the change report against specs/GROUP.yaml
- OUT/azureml_GROUP_client_vYYYY_MM_DD         the generated client (OUT defaults to generated/)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.apidiff import changes as changes_mod
from tools.apidiff.diff import Change, compare
from tools.apidiff.report import markdown
from tools.apidiff.surface import METHODS, load_yaml, surface

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
VERSIONS = SPECS / "versions"
CHANGES = Path(__file__).resolve().parent / "changes"
GENERATOR = ROOT / "generator"
VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")

Json = dict[str, Any]


@dataclass
class BumpResult:
    spec_path: Path
    report_path: Path
    package_dir: Path | None
    api_version_parameters: list[str]
    changes: list[Change] = field(default_factory=list)


def set_api_version(doc: Json, version: str, keep: set[str]) -> list[str]:
    """Point every `api-version` query parameter's default at `version`; returns the ones moved."""
    moved: list[str] = []
    for name, param in (doc.get("components", {}).get("parameters") or {}).items():
        if _is_api_version(param) and name not in keep:
            param.setdefault("schema", {"type": "string"})["default"] = version
            moved.append(f"#/components/parameters/{name}")
    for path, item in (doc.get("paths") or {}).items():
        for where, params in [("", item.get("parameters"))] + [
            (m, (item.get(m) or {}).get("parameters")) for m in METHODS
        ]:
            for param in params or []:
                if _is_api_version(param):
                    param.setdefault("schema", {"type": "string"})["default"] = version
                    moved.append(f"{where.upper()} {path}".strip())
    return moved


def _is_api_version(param: Any) -> bool:
    return isinstance(param, dict) and param.get("in") == "query" and param.get("name") == "api-version"


def build_spec(base: Json, version: str, changes: Json | None) -> tuple[Json, list[str]]:
    """The versioned document (not yet written) and the api-version parameters it moved."""
    doc = changes_mod.apply(base, changes) if changes else yaml.safe_load(yaml.safe_dump(base))
    doc.setdefault("info", {})["version"] = version
    keep = set((changes or {}).get("keep_api_version", []) or [])
    moved = set_api_version(doc, version, keep)
    return doc, moved


def dump(doc: Json, header: str) -> str:
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
    return header + str(body)


def generate(spec_path: Path, group: str, package: str, out_dir: Path) -> Path:
    """Generate the side-by-side package exactly as `nox -s regen` does (generator/regen.py)."""
    from generator.regen import Target
    from generator.regen import generate as regen_generate

    out_dir.mkdir(parents=True, exist_ok=True)
    return regen_generate(Target(spec_path.stem, spec_path, group, package), out_dir)


def validate(doc: Json) -> None:
    from openapi_spec_validator import validate as oas_validate

    oas_validate(doc)


def bump(
    group: str,
    version: str,
    changes_path: Path | None = None,
    *,
    specs: Path = SPECS,
    versions: Path = VERSIONS,
    out_dir: Path | None = None,
    generate_client: bool = True,
) -> BumpResult:
    """Create the versioned spec, its report and (unless told not to) its client package."""
    from generator.regen import GROUPS, versioned_package

    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; one of {', '.join(GROUPS)}")
    if not VERSION_RE.match(version):
        raise ValueError(f"api-version must look like YYYY-MM-DD, got {version!r}")
    if changes_path is None:
        default = CHANGES / f"{group}-{version}.yaml"
        changes_path = default if default.exists() else None
    changes = changes_mod.load(changes_path) if changes_path else None
    if changes and (changes.get("group"), str(changes.get("version"))) != (group, version):
        raise changes_mod.ChangeError(f"{changes_path} is for {changes.get('group')} {changes.get('version')}")
    base_path = specs / f"{group}.yaml"
    base = load_yaml(base_path.read_text())
    doc, moved = build_spec(base, version, changes)
    validate(doc)
    versions.mkdir(parents=True, exist_ok=True)
    spec_path = versions / f"{group}-{version}.yaml"
    label = f"specs/versions/{spec_path.name}"
    changes_label = f"tools/apidiff/changes/{changes_path.name}" if changes_path else "no changes file"
    spec_path.write_text(
        dump(
            doc,
            f"# {label}: specs/{group}.yaml bumped to api-version {version} with {changes_label}.\n"
            f"# Written by `python -m tools.apidiff bump {group} {version}`; do not edit by hand.\n",
        )
    )
    old_surface, new_surface = surface(base), surface(doc)
    found = compare(old_surface, new_surface)
    report_path = versions / f"{group}-{version}.changes.md"
    report_path.write_text(markdown(found, old_surface, new_surface, f"specs/{group}.yaml", label))
    package_dir = None
    if generate_client:
        package_dir = generate(spec_path, group, versioned_package(group, version), out_dir or ROOT / "generated")
    return BumpResult(spec_path, report_path, package_dir, moved, found)
