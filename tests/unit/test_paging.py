"""Unit tests of azureml_rest.paging: laziness, stop rules, nextLink fetching (httpx.MockTransport)."""

from __future__ import annotations

import logging

import httpx
import pytest
from azureml_rest.errors import ServerError, UntrustedHostError
from azureml_rest.paging import AsyncPager, Page, Pager, async_next_link_fetcher, next_link_fetcher


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Pages:
    """get_page over a dict token -> Page, recording the tokens asked for."""

    def __init__(self, pages: dict[str | None, Page[int]]) -> None:
        self.pages = pages
        self.asked: list[str | None] = []

    def __call__(self, token: str | None) -> Page[int]:
        self.asked.append(token)
        return self.pages[token]


def test_follows_tokens_until_none() -> None:
    pages = Pages({None: Page([1, 2], "t1"), "t1": Page([3], "t2"), "t2": Page([4], None)})
    assert list(Pager(pages)) == [1, 2, 3, 4]
    assert pages.asked == [None, "t1", "t2"]


def test_empty_token_stops() -> None:
    pages = Pages({None: Page([1], "t1"), "t1": Page([2], "")})
    assert list(Pager(pages)) == [1, 2]


def test_repeated_token_stops_paging(caplog: pytest.LogCaptureFixture) -> None:
    pages = Pages({None: Page([1], "same"), "same": Page([2], "same")})
    with caplog.at_level(logging.WARNING, logger="azureml_rest"):
        assert list(Pager(pages, operation="Runs_GetByQuery")) == [1, 2]
    assert pages.asked == [None, "same"]
    assert "repeated a continuation token" in caplog.text


def test_lazy_one_page_at_a_time() -> None:
    pages = Pages({None: Page([1, 2], "t1"), "t1": Page([3], None)})
    it = iter(Pager(pages))
    assert next(it) == 1
    assert pages.asked == [None]
    assert Pager(pages).first() == 1


def test_by_page_and_restart() -> None:
    pages = Pages({None: Page([1, 2], "t1"), "t1": Page([3], None)})
    pager = Pager(pages)
    assert list(pager.by_page()) == [[1, 2], [3]]
    assert list(pager.by_page("t1")) == [[3]]
    assert list(pager) == [1, 2, 3]


def test_next_link_fetcher_guards_and_raises_typed_errors() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/bad":
            return httpx.Response(500, json={"error": {"code": "InternalError", "message": "boom"}})
        return httpx.Response(200, json={"value": [1], "nextLink": None})

    def guard(url: str) -> None:
        if "evil" in url:
            raise UntrustedHostError("evil.example.com", "AzureCloud")

    fetch = next_link_fetcher(httpx.Client(transport=httpx.MockTransport(handler)), "X", guard)
    assert fetch("https://management.azure.com/ok") == {"value": [1], "nextLink": None}
    with pytest.raises(ServerError, match="boom"):
        fetch("https://management.azure.com/bad")
    with pytest.raises(UntrustedHostError):
        fetch("https://evil.example.com/next")
    assert len(calls) == 2


@pytest.mark.anyio
async def test_async_repeated_token_stops() -> None:
    asked: list[str | None] = []

    async def get_page(token: str | None) -> Page[int]:
        asked.append(token)
        return Page([len(asked)], "again")

    assert await AsyncPager(get_page).to_list() == [1, 2]
    assert asked == [None, "again"]


@pytest.mark.anyio
async def test_async_next_link_fetcher() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [request.url.params.get("p")]})

    fetch = async_next_link_fetcher(httpx.AsyncClient(transport=httpx.MockTransport(handler)), "X")
    assert await fetch("https://x.api.azureml.ms/models?p=2") == {"value": ["2"]}


def test_experiments_list_falls_back_to_get_only_when_query_is_404() -> None:
    import uuid

    from azureml_history_client import Client
    from azureml_rest.operations.experiments import ExperimentOperations

    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path.rsplit("/", 1)[-1]))
        if request.method == "POST":
            return httpx.Response(404, json={"error": {"code": "NotFound", "message": "no query form"}})
        token = request.url.params.get("$continuationToken") or request.url.params.get("continuationToken")
        if not token:
            return httpx.Response(200, json={"value": [{"name": "a"}], "continuationToken": "t1"})
        return httpx.Response(200, json={"value": [{"name": "b"}], "continuationToken": None})

    http = httpx.Client(base_url="https://x.api.azureml.ms", transport=httpx.MockTransport(handler))
    client = Client(base_url="https://x.api.azureml.ms").set_httpx_client(http)

    class FakeWs:
        ids = ("00000000-0000-0000-0000-000000000001", "rg", "ws")
        subscription_uuid = uuid.UUID(ids[0])

        def client(self, group: str) -> Client:
            return client

    names = [e.name for e in ExperimentOperations(FakeWs()).list()]
    assert names == ["a", "b"]
    assert seen == [("POST", "experiments:query"), ("GET", "experiments"), ("GET", "experiments")]
