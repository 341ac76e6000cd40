"""Bad input never yields a 5xx: junk bodies and query values on every data-plane operation."""

from __future__ import annotations

import httpx
import pytest

from .conftest import E, M, P

API = {"api-version": "2019-11-01"}
JUNK: list[object] = [[], "x", 1, None, {}, {"name": 5}, {"filter": 3}, {"top": -1}, {"top": "a"},
                      [{"op": "add"}], [{"op": "add", "path": "/kvTags/a", "value": 1}], {"keyType": True},
                      {"environmentImageRequest": []}, {"name": "okname", "environmentImageRequest": {"assets": 3}},
                      {"snapshotId": 5, "configuration": {"script": "a.py"}}, {"configuration": []},
                      {"configuration": {"script": "../x.py"}}, {"continuationToken": "!!"}]  # fmt: skip
CALLS = [
    ("POST", f"{P}/experiments:query"),
    ("POST", f"{P}/experiments/rb/runs:query"),
    ("PATCH", f"{P}/experiments/rb/runs/rb-run"),
    ("POST", f"{E}/experiments/rb/snapshotrun"),
    ("POST", f"{E}/experiments/rb/startrun"),
    ("POST", f"{M}/models"),
    ("PATCH", f"{M}/models/none:1"),
    ("POST", f"{M}/services"),
    ("PATCH", f"{M}/services/none"),
    ("POST", f"{M}/services/none/regenerateKeys"),
]


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_junk_bodies_are_4xx(client: httpx.Client, method: str, path: str) -> None:
    for body in JUNK:
        resp = client.request(method, path, params=API, json=body)
        assert resp.status_code < 500, (body, resp.text)
    raw = client.request(method, path, params=API, content=b"\xff\xfe not json")
    assert raw.status_code < 500, raw.text


@pytest.mark.parametrize(
    "query",
    [{"$top": "x"}, {"$top": "0"}, {"$continuationToken": "%%%"}, {"count": "-5"}, {"$skipToken": "abc"},
     {"orderBy": "Sideways"}, {"$filter": "((("}, {"$sortorder": "Up"}, {"tags": ",,=,"}],
)  # fmt: skip
def test_junk_queries_are_4xx(client: httpx.Client, query: dict[str, str]) -> None:
    for path in (f"{P}/experiments", f"{M}/models", f"{M}/services", f"{P}/experiments/rb/runs/rb-run/children"):
        resp = client.get(path, params={**API, **query})
        assert resp.status_code < 500, (path, query, resp.text)
