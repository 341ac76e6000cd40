"""The overlay's httpx client classes build the same requests as httpx, with less work (``_httpx_clients``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from azureml_rest._httpx_clients import AsyncClient, Client, base_prefix, join_url
from azureml_rest.pipeline import build_async_client, build_client

BASES = [
    "http://127.0.0.1:45031",
    "https://eastus.api.azureml.ms",
    "https://host.example/sub",
    "https://host.example/sub/",
    "https://[::1]:8443/a/b/",
    "https://user:pw@host.example:444",
]
PATHS = [
    "/history/v1.0/subscriptions/0000/resourceGroups/rg/experiments/exp/runs/run-1",
    "/a%20b/c%2Fd/%C3%A9",
    "/space here/é",
    "/",
    "/models",
]
PARAMS: list[Any] = [
    None,
    {},
    {"api-version": "2019-11-01"},
    {"api-version": "2019-11-01", "$skipToken": "a b&c=d/é", "count": 3, "flag": True, "off": False},
    {"tags": ["x", "y"], "empty": ""},
    [("a", "1"), ("a", "2")],  # not a dict: httpx builds it
    httpx.QueryParams({"q": "1"}),
]


@pytest.mark.parametrize("base", BASES)
def test_same_url_as_httpx(base: str) -> None:
    ours, theirs = Client(base_url=base), httpx.Client(base_url=base)
    with ours, theirs:
        for path in PATHS:
            for params in PARAMS:
                mine = ours.build_request("GET", path, params=params).url
                assert mine == theirs.build_request("GET", path, params=params).url, (path, params)


@pytest.mark.parametrize(
    "url",
    [
        "https://other.example/x",  # absolute
        "/x?already=1",  # its own query
        "/x#frag",
        "//evil.example/x",  # network-path reference
        "relative/no/slash",
        httpx.URL("/x"),
    ],
)
def test_unusual_urls_left_to_httpx(url: Any) -> None:
    assert join_url("https://h.example", url, {"a": "1"}) is None
    ours, theirs = Client(base_url="https://h.example/base/"), httpx.Client(base_url="https://h.example/base/")
    with ours, theirs:
        params = {"api-version": "1"}
        assert ours.build_request("GET", url, params=params).url == theirs.build_request("GET", url, params=params).url


def test_bases_without_scheme_or_with_query_are_left_to_httpx() -> None:
    assert base_prefix(httpx.URL("")) is None
    assert base_prefix(httpx.URL("https://h.example/?x=1")) is None
    assert base_prefix(httpx.URL("https://h.example/sub/")) == "https://h.example/sub"
    with Client() as c:  # no base_url: relative URLs fail as in httpx
        assert c.build_request("GET", "https://h.example/x", params={"a": "1"}).url == "https://h.example/x?a=1"


def test_client_params_and_changed_base_url() -> None:
    with Client(base_url="https://a.example", params={"p": "1"}) as c:
        assert c.build_request("GET", "/x", params={"q": "2"}).url == "https://a.example/x?p=1&q=2"
    with Client(base_url="https://a.example") as c:
        assert c.build_request("GET", "/x").url == "https://a.example/x"
        c.base_url = "https://b.example/v1"
        assert c.build_request("GET", "/x", params={"q": "2"}).url == "https://b.example/v1/x?q=2"


def _cookie_handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/set"):
        return httpx.Response(200, headers={"Set-Cookie": "affinity=abc; Path=/"})
    return httpx.Response(200, json={"cookie": request.headers.get("cookie")})


def test_cookies_still_kept_when_a_response_sets_one() -> None:
    with build_client("https://h.example", transport=httpx.MockTransport(_cookie_handler)) as c:
        assert c.get("/plain").json() == {"cookie": None}
        assert len(c.cookies.jar) == 0
        c.get("/set")
        assert c.cookies.get("affinity") == "abc"
        assert c.get("/next").json() == {"cookie": "affinity=abc"}


@pytest.mark.anyio
async def test_async_client_same_url_and_cookies() -> None:
    async with build_async_client("https://h.example/sub", transport=httpx.MockTransport(_cookie_handler)) as c:
        assert isinstance(c, AsyncClient)
        request = c.build_request("GET", "/runs/r 1", params={"api-version": "2019-11-01", "n": 2})
        assert request.url == httpx.Client(base_url="https://h.example/sub").build_request(
            "GET", "/runs/r 1", params={"api-version": "2019-11-01", "n": 2}
        ).url
        await c.get("/set")
        assert (await c.get("/next")).json() == {"cookie": "affinity=abc"}


def test_skipping_extraction_does_no_cookie_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Set-Cookie header the urllib views httpx builds for the cookie jar are not built."""
    built: list[object] = []
    original = httpx.Cookies._CookieCompatRequest.__init__

    def spy(self: Any, request: httpx.Request) -> None:
        built.append(request)
        original(self, request)

    monkeypatch.setattr(httpx.Cookies._CookieCompatRequest, "__init__", spy)
    with build_client("https://h.example", transport=httpx.MockTransport(_cookie_handler)) as c:
        c.get("/plain")
        assert built == []
        c.get("/set")
        assert len(built) == 1
