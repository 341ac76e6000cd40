"""Validate every data-plane response the tests receive against specs/*.yaml (openapi-core)."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPECS = Path(__file__).resolve().parents[3] / "specs"
GROUPS = {"history": "history.yaml", "execution": "execution.yaml", "modelmanagement": "modelmanagement.yaml"}


@functools.cache
def _openapi(name: str, base_url: str) -> OpenAPI | None:
    path = SPECS / name
    if not path.is_file():
        return None
    spec: dict[str, Any] = copy.deepcopy(yaml.safe_load(path.read_text()))
    spec["servers"] = [{"url": base_url}]  # the emulator serves every group on one host
    return OpenAPI.from_dict(spec)


class _Request:
    def __init__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        self.host_url = f"{url.scheme}://{url.netloc}"
        self.path = url.path
        self.method = request.method.lower()
        self.body: bytes | None = None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query)),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.data = response.content
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))


def check(response: httpx.Response) -> None:
    """Raise AssertionError when a history/execution/modelmanagement response breaks its spec."""
    url = urlsplit(str(response.request.url))
    group = url.path.strip("/").split("/", 1)[0]
    if group not in GROUPS:
        return
    api = _openapi(GROUPS[group], f"{url.scheme}://{url.netloc}")
    if api is None:
        return
    response.read()
    try:
        api.validate_response(_Request(response.request), _Response(response))
    except Exception as exc:  # report every validation failure with its details
        detail = "; ".join(str(e) for e in getattr(exc, "schema_errors", []) or [exc.__cause__ or exc])
        raise AssertionError(
            f"{response.request.method} {url.path} -> {response.status_code} breaks specs/{GROUPS[group]}: "
            f"{type(exc).__name__}: {detail}\nbody: {response.text[:500]}"
        ) from None
