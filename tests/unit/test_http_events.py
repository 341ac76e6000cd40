"""``HttpConfig.on_event``: one :class:`HttpEvent` per attempt, sync and async alike, secrets redacted."""

from __future__ import annotations

import httpx
import pytest
from azureml_rest.config import HttpConfig, HttpEvent
from azureml_rest.errors import ConnectionFailedError
from azureml_rest.pipeline import build_async_client, build_client
from azureml_rest.retry import RetryPolicy

SAS_URL = "https://acct.blob.core.windows.net/c/b.txt?sv=2021-08-06&sp=r&sig=SECRETSIG"


def _flaky(statuses: list[int]) -> httpx.MockTransport:
    answers = iter(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(status, headers={"Retry-After": "0"})

    return httpx.MockTransport(handler)


def _config(events: list[HttpEvent]) -> HttpConfig:
    return HttpConfig(on_event=events.append, retry=RetryPolicy(max_retries=3, backoff_factor=0))


def test_one_event_per_attempt_with_redacted_url_and_one_request_id() -> None:
    events: list[HttpEvent] = []
    with build_client("https://acct.blob.core.windows.net", config=_config(events),
                      transport=_flaky([0, 503, 200]), sleep=lambda s: None) as client:
        assert client.get(SAS_URL).status_code == 200
    assert [(e.attempt, e.status_code, e.error) for e in events] == [
        (1, None, "ConnectError"), (2, 503, None), (3, 200, None)]
    assert all(e.method == "GET" and "SECRETSIG" not in e.url and "sig=REDACTED" in e.url for e in events)
    assert len({e.request_id for e in events}) == 1 and events[0].request_id
    assert all(e.elapsed >= 0 for e in events)
    assert "SECRETSIG" not in repr(events)


def test_final_failure_is_reported_before_the_error() -> None:
    events: list[HttpEvent] = []
    with build_client("https://x.example", config=_config(events), transport=_flaky([0, 0, 0, 0]),
                      sleep=lambda s: None) as client, pytest.raises(ConnectionFailedError):
        client.get("/a")
    assert [e.attempt for e in events] == [1, 2, 3, 4]


@pytest.mark.anyio
async def test_async_transport_reports_the_same_events() -> None:
    events: list[HttpEvent] = []

    async def no_sleep(_s: float) -> None:
        return None

    async with build_async_client("https://acct.blob.core.windows.net", config=_config(events),
                                  transport=_flaky([503, 200]), sleep=no_sleep) as client:
        assert (await client.get(SAS_URL)).status_code == 200
    assert [(e.attempt, e.status_code) for e in events] == [(1, 503), (2, 200)]
    assert "SECRETSIG" not in events[0].url


def test_no_hook_no_events() -> None:
    with build_client("https://x.example", transport=_flaky([200])) as client:
        assert client.get("/a").status_code == 200  # and nothing breaks without a hook
