"""One az ml YAML file as read: its mapping, the line of every field, unknown fields refused by name (with the
closest known one), ``--set K=V`` overrides by dotted path, and local paths resolved against the file's folder.

What fields a kind of file may hold is :mod:`azureml_rest.yaml_specs.fields`; turning the mapping into the typed
objects the operations take is :mod:`azureml_rest.yaml_specs.specs`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import YamlSpecError
from .fields import ANY, FIELDS, Field, MapOf

__all__ = ["Document", "is_uri", "read_document"]


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown(name: str, dotted: str, known: Sequence[str]) -> str:
    shown = ", ".join(sorted(k for k in known if not k.startswith("$")))
    return f"unknown field {dotted!r}{_suggest(name, known)}; known here: {shown}"


def is_uri(value: str) -> bool:
    """An asset reference or remote location (``azureml:...``, ``azureml://...``, ``https://...``), not a path."""
    return "://" in value or value.startswith("azureml:")


@dataclass
class Document:
    """A YAML file's top-level mapping (``data``), the 1-based line of every dotted field (``lines``) and the
    file it came from (``file``, as given; ``base`` is its folder, where relative paths start)."""

    file: str
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return Path(self.file).resolve().parent

    def error(self, dotted: str | None, message: str) -> YamlSpecError:
        """A :class:`YamlSpecError` at the line of ``dotted`` (or the file as a whole)."""
        line = self.lines.get(dotted) if dotted else None
        return YamlSpecError(message, file=self.file, line=line, field=dotted)

    def path(self, dotted: str, value: Any) -> Path | str:
        """A local path resolved against the file's folder (as az ml does), or a URI/reference as written."""
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise self.error(dotted, f"{dotted!r} must be a path or a URI, not {value!r}")
        text = os.fspath(value)
        if is_uri(text):
            return text
        if text.startswith("file:"):
            text = text[len("file:"):]
        return (self.base / text).resolve()

    def override(self, assignments: Sequence[str], fields: Mapping[str, Field]) -> None:
        """Apply ``--set K=V`` overrides in order: ``K`` a dotted path (``inputs.n``, ``resources.instance_count``)
        checked against ``fields``; ``V`` read as a YAML scalar or flow collection (``2`` is a number, ``{a: 1}``
        a mapping); a missing intermediate mapping is created."""
        for item in assignments:
            key, sep, raw = item.partition("=")
            if not sep or not key:
                raise YamlSpecError(f"--set expects KEY=VALUE, got {item!r}", file=self.file, field=None)
            parts = key.split(".")
            _check_path(parts, fields, self.file)
            try:
                value = yaml.safe_load(raw) if raw else ""
            except yaml.YAMLError:
                value = raw
            target = self.data
            for part in parts[:-1]:
                nxt = target.get(part)
                if not isinstance(nxt, dict):
                    nxt = {}
                    target[part] = nxt
                target = nxt
            target[parts[-1]] = value


def _check_path(parts: Sequence[str], fields: Mapping[str, Field], file: str) -> None:
    """A ``--set`` key must name known fields down to where the schema leaves names free."""
    current: Field = fields
    for i, part in enumerate(parts):
        dotted = ".".join(parts[: i + 1])
        if current == ANY:
            return
        if isinstance(current, MapOf):
            current = current.fields  # the user's own name (an input or output): its fields come next
            continue
        assert isinstance(current, Mapping)
        if part not in current:
            raise YamlSpecError(f"--set {'.'.join(parts)}: {_unknown(part, dotted, list(current))}", file=file,
                                field=dotted)
        current = current[part]


def _check(node: yaml.Node, fields: Mapping[str, Field], prefix: str, file: str, lines: dict[str, int]) -> None:
    """Every key of mapping ``node`` is a known field; record each field's line; recurse into known mappings."""
    for key_node, value_node in node.value:
        name = str(key_node.value)
        dotted = prefix + name
        lines[dotted] = key_node.start_mark.line + 1
        if name not in fields:
            raise YamlSpecError(_unknown(name, dotted, list(fields)), file=file, line=lines[dotted], field=dotted)
        sub = fields[name]
        if sub == ANY or not isinstance(value_node, yaml.MappingNode):
            continue  # a scalar where a mapping may go (environment: azureml:env:1) is checked when built
        if isinstance(sub, MapOf):
            for item_key, item_value in value_node.value:
                item = f"{dotted}.{item_key.value}"
                lines[item] = item_key.start_mark.line + 1
                if isinstance(item_value, yaml.MappingNode):
                    _check(item_value, sub.fields, item + ".", file, lines)
        elif isinstance(sub, Mapping):
            _check(value_node, sub, dotted + ".", file, lines)


def _check_schema(node: yaml.MappingNode, kind: str, file: str) -> None:
    """A ``$schema`` naming another kind of file (an endpoint file given as a job) is refused as such."""
    for key_node, value_node in node.value:
        if key_node.value == "$schema" and isinstance(value_node, yaml.ScalarNode) and value_node.value:
            schema = str(value_node.value)
            named = schema.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json").removesuffix(".schema")
            if named in FIELDS and named != kind:
                raise YamlSpecError(f"this is a {named} file ($schema {schema}), not a {kind} file", file=file,
                                    line=key_node.start_mark.line + 1, field="$schema")


def read_document(file: str | os.PathLike[str], kind: str) -> Document:
    """Read ``file``, a ``kind`` file (commandJob, model...: a key of ``FIELDS``): YAML, a mapping at the top, no
    ``$schema`` of another kind, only fields the kind knows (else :class:`YamlSpecError` naming the field, the file
    and the line, with the closest known name)."""
    name = os.fspath(file)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlSpecError("no such file", file=name) from None
    except (IsADirectoryError, UnicodeDecodeError) as exc:
        raise YamlSpecError(f"cannot be read as a YAML file ({type(exc).__name__})", file=name) from None
    loader = yaml.SafeLoader(text)  # one parse: the node tree (for line numbers) and the data built from it
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise YamlSpecError(f"not valid YAML: {problem}", file=name,
                            line=mark.line + 1 if mark is not None else None) from None
    finally:
        loader.dispose()
    if node is None:
        return Document(name, {})
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise YamlSpecError("the file must hold a mapping of fields at the top", file=name, line=1)
    _check_schema(node, kind, name)
    lines: dict[str, int] = {}
    _check(node, FIELDS[kind], "", name, lines)
    return Document(name, {str(k): v for k, v in data.items()}, lines)
