"""The operation groups and their generated packages, derived from generator/config/ and specs/ (one derivation).

- A group is a file ``generator/config/<group>.yaml``; its package is that file's ``package_name_override`` and its
  spec is ``specs/<group>.yaml``.
- A side-by-side api-version is a file ``specs/versions/<group>-<YYYY-MM-DD>.yaml`` (``nox -s bump``); its package
  is the group's with ``_vYYYY_MM_DD`` appended.
- A package's api-version is the one its operations send by default: the most common default of the spec's
  ``api-version`` query parameters (management's resource-group operations keep their own, 2019-10-01), or, for a
  spec whose operations take none (discovery, scoring), the spec's ``info.version`` (specs/README.md).

regen uses this to generate every package, to give each its ``GROUP`` and ``API_VERSION``, and to write the
registry module ``overlays/azureml_rest/_registry.py`` that routing and the tests read at run time.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
VERSIONS = SPECS / "versions"  # side-by-side api-versions, written by `python -m tools.apidiff bump`
CONFIG = ROOT / "generator" / "config"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_VERSIONED_SPEC = re.compile(r"^(?P<group>[a-z]+)-(?P<version>\d{4}-\d{2}-\d{2})$")


def label(path: Path) -> str:
    """A path as the messages and headers name it: repository-relative when inside the repository."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def _load_yaml(path: Path) -> Any:
    return _parse_yaml(path.read_text())


@functools.lru_cache(maxsize=32)
def _parse_yaml(text: str) -> Any:  # keyed by content: a spec rewritten in place (bump) is read again
    return YAML(typ="safe", pure=True).load(text)


@functools.cache
def groups() -> dict[str, str]:
    """Operation group -> default generated package, one per generator/config/<group>.yaml, in name order."""
    found: dict[str, str] = {}
    for config in sorted(CONFIG.glob("*.yaml")):
        package = (_load_yaml(config) or {}).get("package_name_override")
        if not isinstance(package, str) or not package.isidentifier():
            raise ValueError(f"{label(config)} names no package (package_name_override)")
        found[config.stem] = package
    return found


def versioned_package(group: str, version: str) -> str:
    """`azureml_management_client_v2020_08_01` for management at 2020-08-01."""
    return f"{groups()[group]}_v{version.replace('-', '_')}"


@dataclass(frozen=True)
class Target:
    """One generated package: its spec, the group whose generator config it uses, and its import name."""

    name: str  # "management", or "management-2020-08-01" for a side-by-side api-version
    spec: Path
    group: str
    package: str

    @property
    def label(self) -> str:
        return label(self.spec)

    @property
    def api_version(self) -> str:
        """The api-version the package sends by default (see the module docstring)."""
        return api_version_of(self.spec)


def targets() -> list[Target]:
    """The groups, then every versioned spec in specs/versions/ (GROUP-YYYY-MM-DD.yaml)."""
    found = [Target(g, SPECS / f"{g}.yaml", g, p) for g, p in groups().items()]
    for spec in sorted(VERSIONS.glob("*.yaml")):
        match = _VERSIONED_SPEC.match(spec.stem)
        if not match or match["group"] not in groups():
            raise ValueError(f"{label(spec)}: not GROUP-YYYY-MM-DD.yaml for a group in generator/config/")
        group, version = match["group"], match["version"]
        found.append(Target(spec.stem, spec, group, versioned_package(group, version)))
    return found


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _api_version_defaults(spec: dict[str, Any]) -> Iterator[str]:
    """The default of the `api-version` query parameter of every operation that declares one."""
    for item in (spec.get("paths") or {}).values():
        shared = item.get("parameters") or []
        for method in METHODS:
            if method not in item:
                continue
            params = [_resolve(spec, p) for p in shared + (item[method].get("parameters") or [])]
            for param in params:
                if param.get("name") == "api-version" and param.get("in") == "query":
                    default = (_resolve(spec, param.get("schema") or {}) or {}).get("default")
                    if default is not None:
                        yield str(default)


def api_version_of(spec_path: Path) -> str:
    """The api-version a spec's operations send by default (ties: the newest), else its info.version."""
    spec = _load_yaml(spec_path)
    counts = Counter(_api_version_defaults(spec))
    if counts:
        return max(counts, key=lambda v: (counts[v], v))
    version = (spec.get("info") or {}).get("version")
    if not version:
        raise ValueError(f"{spec_path.name}: no api-version parameter default and no info.version")
    return str(version)


def versions_by_group() -> dict[str, dict[str, str]]:
    """Group -> {api-version: package} over every target (the default package included), versions in order."""
    out: dict[str, dict[str, str]] = {g: {} for g in groups()}
    for target in targets():
        version = target.api_version
        named = _VERSIONED_SPEC.match(target.name)
        if named and named["version"] != version:
            raise ValueError(f"{target.label} is named for {named['version']} but its operations send {version}")
        if version in out[target.group]:
            raise ValueError(
                f"{target.label} and the package {out[target.group][version]} both serve "
                f"{target.group} api-version {version}"
            )
        out[target.group][version] = target.package
    return {g: dict(sorted(v.items())) for g, v in out.items()}
