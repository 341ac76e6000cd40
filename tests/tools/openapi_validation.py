"""Validate live HTTP traffic against specs/*.yaml with openapi-core, picking the spec by path prefix.

    recorder = SpecRecorder()
    client = httpx.Client(..., event_hooks=recorder.hooks())
    ...
    assert not recorder.violations, "\n".join(recorder.violations)

Spec by path and api-version (:func:`group_of`, :func:`spec_name`): ``/subscriptions/...`` and ``/providers/...``
are machinelearning when the request's ``api-version`` is one that group serves (its default, 2025-12-01, or a
side-by-side spec in specs/versions/, as the registry ``azureml_rest._registry`` lists them) and management
otherwise; other paths go to the group whose spec has paths with that first segment (:func:`data_plane`):
``/discovery`` discovery; ``/history/v1.0``, ``/metric/v2.0`` and ``/data/v1.0`` history (run history, its metrics
service and the data service v2 jobs use); ``/execution/v1.0`` execution, ``/modelmanagement/v1.0`` model
management; ``/scoring/{serviceId}/...`` scoring (its server base is the scoringUri without ``/score``). A
group's non-default api-version is checked against ``specs/versions/<group>-<api-version>.yaml``. Token endpoints,
``/_emulator/...`` (test controls), blob-store URLs and online-endpoint scoring (the user's script defines it)
belong to no spec and are only counted.

Every response is validated (status declared, body and declared headers match); the request is validated too when
the server accepted it (status < 400): an accepted request that breaks the spec means the server is laxer than the
contract, or the spec is stricter than what clients send. ARM paths match case-insensitively and a trailing ``/``
is ignored (as ARM does); each such normalisation is recorded in ``notes``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import yaml
from azureml_rest._registry import GROUPS
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPECS = Path(__file__).resolve().parents[2] / "specs"
METHODS = ("get", "put", "post", "delete", "patch")


ARM_GROUPS = ("machinelearning", "management")  # first match by api-version wins; management takes the rest
ARM_FIRST = ("subscriptions", "providers", "rp", "metadata")  # /rp/workspaces: the regional host's ARM reads


@functools.cache
def data_plane() -> dict[str, str]:
    """First path segment -> group, for every group whose paths are not ARM's (read from the specs, so a service
    added to a spec, such as ``/metric/v2.0`` to history, is routed to it). Scoring is apart: its paths follow
    the ``/scoring/{serviceId}`` server base."""
    found: dict[str, str] = {}
    for group in GROUPS:
        if group in ARM_GROUPS or group == "scoring":
            continue
        for path in spec_paths(group):
            first = path.strip("/").split("/", 1)[0].lower()
            if found.setdefault(first, group) != group:
                raise ValueError(f"paths under /{first} are in specs/{found[first]}.yaml and specs/{group}.yaml")
    return found


def group_of(path: str, api_version: str | None = None) -> tuple[str, str] | None:
    """(spec group, path prefix that belongs to the server base) for a request, or None if no spec covers it.

    ARM paths belong to the first of :data:`ARM_GROUPS` that serves ``api_version`` (the registry's ``versions``),
    else to management: ``/subscriptions/...`` at 2025-12-01 is machinelearning, at 2019-11-01 management.
    """
    first = path.strip("/").split("/", 1)[0].lower()
    if first in ARM_FIRST:
        served = [g for g in ARM_GROUPS if api_version is not None and api_version in GROUPS[g].versions]
        return (served[0] if served else "management"), ""
    if first in data_plane():
        return data_plane()[first], ""
    if first == "scoring":
        parts = path.split("/")
        return "scoring", "/".join(parts[:3])  # /scoring/{serviceId}
    return None


def spec_name(group: str, api_version: str | None) -> str:
    """The spec checking ``group`` at ``api_version``, relative to specs/ without ``.yaml``: the group's own spec,
    or for a side-by-side api-version of the registry ``versions/<group>-<api-version>`` (generator/groups.py)."""
    info = GROUPS[group]
    if api_version is None or api_version == info.api_version or api_version not in info.versions:
        return group
    return f"versions/{group}-{api_version}"


@functools.cache
def _raw_spec(spec: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / f"{spec}.yaml").read_text())
    return loaded


def spec_paths(spec: str) -> dict[str, Any]:
    """The ``paths`` of a spec named as :func:`spec_name` names it."""
    paths: dict[str, Any] = _raw_spec(spec)["paths"]
    return paths


def _is_uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme and parts.netloc)


def _json_loads(value: bytes, **_parameters: str) -> Any:
    return json.loads(value)


def _drop_multipart_encodings(spec: dict[str, Any]) -> None:
    # openapi-core decodes each multipart part by its `encoding.contentType` and then checks the decoded value
    # against the part's schema, so a `type: string, format: binary` part declared `application/json` (startrun's
    # runDefinitionFile) fails as "object is not a string". Validating without the encodings checks what the spec
    # means: the part is present and is bytes. (openapi-core 0.23 behaviour, not a spec or server defect.)
    for item in spec.get("paths", {}).values():
        for method in METHODS:
            media = item.get(method, {}).get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if media is not None:
                media.pop("encoding", None)


@functools.cache
def _openapi(name: str, server: str) -> OpenAPI:
    spec = copy.deepcopy(_raw_spec(name))
    spec["servers"] = [{"url": server}]
    _drop_multipart_encodings(spec)
    config = Config(
        # openapi-core ships no `uri` format; without these every Location header fails to unmarshal.
        extra_format_validators={"uri": _is_uri},
        extra_format_unmarshallers={"uri": str},
        # JSON Patch bodies (model and service PATCH) are JSON; openapi-core only knows application/json.
        extra_media_type_deserializers={"application/json-patch+json": _json_loads},
    )
    return OpenAPI.from_dict(spec, config=config)


@functools.cache
def _templates(spec: str) -> list[tuple[re.Pattern[str], str, dict[str, str]]]:
    """(regex matching a concrete path case-insensitively, spec template, method → operationId)."""
    out = []
    for template, item in _raw_spec(spec)["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
        ops = {m: item[m]["operationId"] for m in METHODS if m in item}
        out.append((re.compile(f"^{pattern}$", re.IGNORECASE), template, ops))
    # Literal segments first: `runs:query` must not be taken for `runs/{runId}`-like templates.
    out.sort(key=lambda t: t[1].count("{"))
    return out


def match(spec: str, path: str, method: str) -> tuple[str, str | None] | None:
    """(path in the spec's spelling, operationId) for a concrete path in ``spec`` (a group, or its
    :func:`spec_name`), or None when no template matches."""
    trimmed = path.rstrip("/") or "/"
    for regex, template, ops in _templates(spec):
        found = regex.match(trimmed)
        if found:
            pieces = re.split(r"\{[^}]+\}", template)
            spelled = "".join(p + v for p, v in zip(pieces, [*found.groups(), ""], strict=True))
            return spelled, ops.get(method.lower())
    return None


class _Request:
    def __init__(self, request: httpx.Request, host_url: str, path: str) -> None:
        self.host_url = host_url
        self.path = path
        self.method = request.method.lower()
        try:
            self.body: bytes | None = request.content or None
        except httpx.RequestNotRead:  # a streamed body: use SpecRecorder.hooks() so it is read before sending
            self.body = None
        self.content_type = request.headers.get("content-type", "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(urlsplit(str(request.url)).query, keep_blank_values=True)),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.data: bytes | None = response.content
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "").lower()
        self.headers = Headers(list(response.headers.items()))


def describe(error: BaseException) -> str:
    """An openapi-core error with its schema errors spelled out (field path: message)."""
    parts = [f"{type(error).__name__}: {error}"]
    cause: BaseException | None = error
    seen = 0
    while cause is not None and seen < 5:
        for schema_error in getattr(cause, "schema_errors", None) or []:
            where = "/".join(str(p) for p in schema_error.absolute_path) or "(body)"
            parts.append(f"  at {where}: {schema_error.message[:300]}")
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return "\n".join(parts)


@dataclass
class SpecRecorder:
    """An httpx response hook that validates each exchange and records what breaks the specs."""

    validate_requests: bool = True
    violations: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # "operationId status" per validated exchange
    unspecified: list[str] = field(default_factory=list)  # paths no spec covers (tokens, blobs)
    notes: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (spec name, operationId) per validated exchange

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.check(response)

    def hooks(self) -> dict[str, list[Any]]:
        """httpx ``event_hooks`` that buffer each request body (multipart streams too) and validate the exchange."""

        def read_request(request: httpx.Request) -> None:
            request.read()

        return {"request": [read_request], "response": [self]}

    def check(self, response: httpx.Response) -> None:
        request = response.request
        url = urlsplit(str(request.url))
        api_version = request.url.params.get("api-version")
        found = group_of(url.path, api_version)
        if found is None:
            self.unspecified.append(f"{request.method} {url.path}")
            return
        group, prefix = found
        spec = spec_name(group, api_version)
        local = url.path[len(prefix) :] or "/"
        hit = match(spec, local, request.method)
        label = f"{request.method} {url.path} -> {response.status_code}"
        if hit is None:
            self.violations.append(f"[{group}] {label}: no path of specs/{spec}.yaml matches")
            return
        spelled, operation_id = hit
        if operation_id is None:
            self.violations.append(f"[{group}] {label}: method not declared for {spelled} in specs/{spec}.yaml")
            return
        if spelled != local:
            self.notes.append(f"{operation_id}: path {local!r} matched as {spelled!r}")
        where = f"[{spec}] {operation_id} ({label})"
        api = _openapi(spec, f"{url.scheme}://{url.netloc}{prefix}")
        wrapped = _Request(request, f"{url.scheme}://{url.netloc}", prefix + spelled)
        if self.validate_requests and response.status_code < 400:
            for error in api.unmarshal_request(wrapped).errors:
                self.violations.append(f"{where} request: {describe(error)}")
        result = api.unmarshal_response(wrapped, _Response(response))
        # Key and token answers are not echoed into test output (secrets never appear in logs).
        body = "(not shown: may hold secrets)" if re.search(r"keys|token", operation_id, re.I) else response.text[:400]
        for error in result.errors:
            self.violations.append(f"{where} response: {describe(error)}\n  body: {body}")
        self.checked.append(f"{operation_id} {response.status_code}")
        self.seen.add((spec, operation_id))

