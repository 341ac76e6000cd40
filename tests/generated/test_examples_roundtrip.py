"""Official examples and the specs' own examples survive the generated models unchanged.

Two sets:
- every file in ``EXAMPLES`` (tests/generated/support.py; skipped when absent): Microsoft's x-ms-examples, copied
  from the ``examples/`` folders of azure-rest-api-specs beside the spec files (for example
  ``.../Microsoft.MachineLearningServices/stable/2019-11-01/examples/``), mapped to an operationId by the folder's
  README table: each request body and each response body is parsed with the operation's generated code and
  ``to_dict()`` must give back the same JSON (date-times compared as instants, not as text);
- every example attached to a request or response in ``specs/*.yaml`` (the article's payloads: workspace sample,
  discovery document, run definition, startrun answer, create bodies, ...), checked the same way.
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import types
import typing
from typing import Any

import pytest
from azureml_rest._registry import GROUPS as REGISTRY

from .support import (
    EXAMPLES,
    GROUPS,
    body_type,
    example_status,
    json_diff,
    model_classes,
    normalise,
    operation_module,
    operations_named,
    parse_as,
    resolve,
    spec_operations,
    to_json,
)

# Microsoft's execution.json declares startlocalrun's body as the same RunDefinition schema as snapshotrun
# (azure-rest-api-specs specification/machinelearningservices/data-plane/Microsoft.MachineLearningServices/
# preview/2019-09-30/execution.json, ``Runs_StartLocalRun``); our contract has no startlocalrun operation, so its
# request body is checked with snapshotrun's type.
BODY_ALIASES = {"Runs_StartLocalRun": "Runs_StartSnapshotRun"}


def _readme_operation_ids() -> dict[str, str]:
    """example file (relative to EXAMPLES) → operationId, from the README table of each folder."""
    out: dict[str, str] = {}
    for readme in sorted(EXAMPLES.glob("*/README.md")):
        for line in readme.read_text().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or not cells[0].endswith(".json"):
                continue
            # a cell that is, or starts with, an operationId (the 2025-12-01 table adds the example's title)
            ids = [m.group(0) for c in cells[1:] if (m := re.match(r"[A-Za-z]+_[A-Za-z]+(?=$| \()", c))]
            if ids:
                out[f"{readme.parent.name}/{cells[0]}"] = ids[0]
    return out


def _operation_for(example_file: str, operation_id: str) -> str:
    """The ``spec_operations()`` key serving an example: among the groups whose spec declares ``operation_id``,
    the one with a package for the api-version of a ``<group>-<api-version>`` folder (the folder names the
    provider's group, so ``management-2025-12-01`` examples land in our ``machinelearning`` group). Skips, naming
    it, an api-version no spec of ours covers yet; a folder without a version takes the oldest group."""
    keys = operations_named(BODY_ALIASES.get(operation_id, operation_id))
    assert keys, f"{example_file}: {operation_id} is in no spec"
    found = re.fullmatch(r"(?P<group>[a-z]+)-(?P<version>\d{4}-\d{2}-\d{2})", example_file.split("/", 1)[0])
    if found is None:
        return keys[0]
    serving = [k for k in keys if found["version"] in REGISTRY[spec_operations()[k].group].versions]
    if not serving:
        have = sorted({v for k in keys for v in REGISTRY[spec_operations()[k].group].versions})
        pytest.skip(
            f"no spec of ours declares {operation_id} at api-version {found['version']} (have: {', '.join(have)})"
        )
    return serving[0]


def _example_files() -> list[str]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.glob("*/*.json"))


def _check_roundtrip(label: str, original: Any, parsed: Any) -> None:
    assert not isinstance(parsed, type(None)), f"{label}: parsed to None"
    diffs = json_diff(normalise(original), normalise(to_json(parsed)))
    assert not diffs, f"{label} does not round-trip:\n  " + "\n  ".join(diffs)


def _roundtrip_request(operation_id: str, body: Any) -> Any:
    """Parse a request body with the operation's body model, and check the generated function accepts it."""
    classes = model_classes(body_type(operation_id))
    assert classes, f"{operation_id}: body is not a generated model"
    model = classes[0].from_dict(body)
    return model


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"official examples folder absent: {EXAMPLES}")
def test_every_example_file_is_mapped() -> None:
    mapping = _readme_operation_ids()
    unmapped = [f for f in _example_files() if f not in mapping]
    assert not unmapped, f"example files missing from their README table: {unmapped}"


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"official examples folder absent: {EXAMPLES}")
@pytest.mark.parametrize("example_file", _example_files() or ["<none>"])
def test_official_example_roundtrips(example_file: str) -> None:
    operation_id = _readme_operation_ids()[example_file]
    key = _operation_for(example_file, operation_id)  # the operation, or (startlocalrun) the one with its body
    doc = json.loads((EXAMPLES / example_file).read_text())
    checked = 0

    # Request: body parameters are the object-valued ones (path and query values are strings).
    for name, value in doc["parameters"].items():
        if isinstance(value, dict):
            model = _roundtrip_request(key, value)
            _check_roundtrip(f"{example_file} request body {name!r}", value, model)
            checked += 1

    if operation_id in BODY_ALIASES:  # Runs_StartLocalRun: its 200 is a file schema, not a body
        assert checked, f"{example_file}: nothing checked"
        return
    module = operation_module(key)

    # The generated function accepts the example's path parameters and puts each in the URL.
    params = inspect.signature(module._get_kwargs).parameters
    required = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]  # the path parameters
    path_args = {p: v for p, v in _python_args(doc["parameters"]).items() if p in required and isinstance(v, str)}
    missing = [n for n in required if n not in path_args]
    assert not missing, f"{example_file}: example lacks {missing}"
    kwargs: dict[str, Any] = dict(path_args)
    hints = typing.get_type_hints(module._get_kwargs)
    for name, value in _python_args(doc["parameters"]).items():
        spec_param = params.get(name)
        if spec_param is not None and spec_param.kind is spec_param.KEYWORD_ONLY and name != "body":
            kind = hints[name]
            kwargs[name] = kind(value) if isinstance(kind, type) and issubclass(kind, enum.Enum) else value
    if "body" in params:
        kwargs["body"] = _body_for(key, doc["parameters"])
    if kwargs.get("body") is not None or "body" not in params:
        url = module._get_kwargs(**kwargs)["url"]
        for arg in required:
            assert path_args[arg] in url, f"{example_file}: {arg} not in {url}"

    for status, answer in doc["responses"].items():
        if "body" in answer:
            parsed = parse_as(key, int(status), answer["body"])
            _check_roundtrip(f"{example_file} response {status}", answer["body"], parsed)
        else:
            declared = load_spec_response(key, status)
            assert declared is not None, f"{example_file}: status {status} not declared by {key}"
            assert "content" not in declared, f"{example_file}: {status} has no body but the spec declares one"
            parse_as(key, int(status), None)  # an empty answer must parse without error
        checked += 1
    assert checked


def _python_args(parameters: dict[str, Any]) -> dict[str, Any]:
    """Example parameter names as the generated functions name them (camelCase → snake_case)."""
    out: dict[str, Any] = {}
    for name, value in parameters.items():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name.replace("-", "_")).lower()
        out[snake] = value
    return out


def _body_for(operation_id: str, parameters: dict[str, Any]) -> Any:
    bodies = [v for v in parameters.values() if isinstance(v, dict)]
    if not bodies:
        return None  # multipart placeholders (startRun.json): no real body to build
    return _roundtrip_request(operation_id, bodies[0])


def load_spec_response(operation_id: str, status: str) -> dict[str, Any] | None:
    op = spec_operations()[operation_id]
    response = op.op.get("responses", {}).get(status)
    return None if response is None else dict(resolve(op.spec, response))


# --- examples inside the specs ------------------------------------------------------------------------------


def _spec_examples() -> list[Any]:
    cases: list[Any] = []
    for operation_id, op in sorted(spec_operations().items()):
        spec = op.spec
        request = resolve(spec, op.op.get("requestBody", {}))
        for content_type, media in request.get("content", {}).items():
            for name in media.get("examples") or {}:
                cases.append(
                    pytest.param(operation_id, "request", content_type, name, id=f"{operation_id}-request-{name}")
                )
        for status, response in op.op.get("responses", {}).items():
            for content_type, media in resolve(spec, response).get("content", {}).items():
                for name in media.get("examples") or {}:
                    cases.append(
                        pytest.param(operation_id, status, content_type, name, id=f"{operation_id}-{status}-{name}")
                    )
    return cases


def _example_value(operation_id: str, where: str, content_type: str, name: str) -> Any:
    op = spec_operations()[operation_id]
    holder = op.op["requestBody"] if where == "request" else op.op["responses"][where]
    media = resolve(op.spec, holder)["content"][content_type]
    return resolve(op.spec, media["examples"][name])["value"]


def test_specs_carry_examples() -> None:
    # Guard against the parametrisation silently collapsing (e.g. a spec restructured).
    groups = {c.values[0] for c in _spec_examples()}
    assert {spec_operations()[g].group for g in groups} == set(GROUPS), groups
    assert len(_spec_examples()) >= 60


@pytest.mark.parametrize(("operation_id", "where", "content_type", "name"), _spec_examples())
def test_spec_example_roundtrips(operation_id: str, where: str, content_type: str, name: str) -> None:
    value = _example_value(operation_id, where, content_type, name)
    label = f"{GROUPS[spec_operations()[operation_id].group][0]} {operation_id} {where} example {name!r}"
    if where == "request" and content_type == "multipart/form-data":
        # Each part is a file; the article's definition part is checked as a RunDefinition below.
        assert set(value) == {"runDefinitionFile", "projectZipFile"}, label
        definition = value["runDefinitionFile"]
        if name == "startRun":  # Microsoft's example: both parts are the placeholder "multipart-form-data"
            assert definition == "multipart-form-data", label
            return
        document = json.loads(definition) if isinstance(definition, str) else definition
        model = _roundtrip_request("Runs_StartSnapshotRun", document)
        _check_roundtrip(label + " (runDefinitionFile)", document, model)
        return
    if where == "request":
        annotation = body_type(operation_id)
        classes = model_classes(annotation)
        if not classes:  # json-patch bodies are lists of models; scoring bodies are free JSON
            if isinstance(value, list):
                item_classes = [c for a in _list_items(annotation) for c in model_classes(a)]
                assert item_classes, f"{label}: no item model for {annotation}"
                parsed: Any = [item_classes[0].from_dict(v) for v in value]
            else:
                parsed = value
        else:
            parsed = classes[0].from_dict(value)
        _check_roundtrip(label, value, parsed)
        return
    parsed = parse_as(operation_id, example_status(operation_id, where), value)
    _check_roundtrip(label, value, parsed)


def _list_items(annotation: Any) -> list[Any]:
    out: list[Any] = []
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    for arg in typing.get_args(annotation) if union else [annotation]:
        if typing.get_origin(arg) is list:
            out += list(typing.get_args(arg))
    return out


def test_article_payloads_are_covered() -> None:
    # The article's payloads must be among the checked examples (names as the specs give them).
    names = {(c.values[0], c.values[3]) for c in _spec_examples()}
    for wanted in [
        ("Workspaces_Get", "articleWorkspace"),
        ("Discovery_Get", "articleDiscovery"),
        ("Runs_StartSnapshotRun", "articleDefinitionJson"),
        ("Runs_StartRun", "articleStartRun"),
        ("Workspaces_CreateOrUpdate", "articleCreateWorkspace"),
        ("MachineLearningCompute_CreateOrUpdate", "articleCreateAmlCompute"),
        ("ResourceGroups_List", "articleListResourceGroups"),
    ]:
        assert wanted in names, wanted
