"""RunOperations.wait / AsyncRunOperations.wait against a scripted service (httpx.MockTransport).

Isolates what the emulator cannot show: unknown future statuses, a log server that honours ``Range`` (206),
a log URL that stops working (403) and is looked up again, and that log requests carry no Authorization.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from azureml_execution_client import Client as ExecutionClient
from azureml_history_client import Client as HistoryClient
from azureml_rest.pipeline import attach
from azureml_rest.runs import AsyncRunOperations, RunFailedError, RunOperations

SUB = "00000000-0000-4000-8000-0000000005b5"
BASE = "https://eastus.api.azureml.ms"
LOG_URL = "https://store.blob.core.windows.net/logs/70_driver_log.txt?sig=SAS"
LOG_URL_2 = "https://store.blob.core.windows.net/logs/70_driver_log.txt?sig=RENEWED"
FAST = {"poll_interval": 0.001, "max_poll_interval": 0.002}


class Service:
    """Answers Runs_Get with scripted statuses, Runs_GetDetails with a log URL, and serves a growing log."""

    def __init__(self, statuses: list[str], log_chunks: list[bytes], *, honour_range: bool = True,
                 forbid_first_log: bool = False, error: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.statuses = statuses
        self.log_chunks = log_chunks
        self.honour_range = honour_range
        self.forbid_first_log = forbid_first_log
        self.error = error
        self.polls = 0
        self.log_requests: list[httpx.Request] = []
        self.details_calls = 0

    def log_so_far(self) -> bytes:
        return b"".join(self.log_chunks[: self.polls])

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "store.blob.core.windows.net":
            self.log_requests.append(request)
            if self.forbid_first_log and len(self.log_requests) == 1:
                return httpx.Response(403, json={"error": {"code": "AuthenticationFailed"}})
            body = self.log_so_far()
            rng = request.headers.get("range")
            if rng and self.honour_range:
                start = int(rng.removeprefix("bytes=").rstrip("-"))
                if start >= len(body):
                    return httpx.Response(416)
                span = f"bytes {start}-{len(body) - 1}/{len(body)}"
                return httpx.Response(206, content=body[start:], headers={"content-range": span})
            return httpx.Response(200, content=body)
        assert request.headers.get("authorization") == "Bearer t"
        if request.url.path.endswith("/details"):
            self.details_calls += 1
            url = LOG_URL if self.details_calls == 1 else LOG_URL_2
            return httpx.Response(200, json={"runId": "r1", "logFiles": {"azureml-logs/70_driver_log.txt": url}})
        status = self.statuses[min(self.polls, len(self.statuses) - 1)]
        self.polls += 1
        run: dict[str, Any] = {"runId": "r1", "status": status}
        if status == "Failed" and self.error:
            run["error"] = self.error
        return httpx.Response(200, json=run)


class FakeWorkspace:
    """What RunOperations uses of a workspace, on mock transports."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response], *, is_async: bool = False) -> None:
        self.ids = (SUB, "rg", "ws")
        self.subscription_uuid = uuid.UUID(SUB)
        self._is_async = is_async
        transport: Any = httpx.MockTransport(handler)
        auth = {"Authorization": "Bearer t"}
        if is_async:
            self._api: Any = httpx.AsyncClient(base_url=BASE, transport=transport, headers=auth)
            self._content: Any = httpx.AsyncClient(transport=transport)
        else:
            self._api = httpx.Client(base_url=BASE, transport=transport, headers=auth)
            self._content = httpx.Client(transport=transport)

    def client(self, group: str) -> Any:
        cls = HistoryClient if group == "history" else ExecutionClient
        return attach(cls, BASE, self._api)

    async def aclient(self, group: str) -> Any:
        return self.client(group)

    def content_client(self) -> Any:
        return self._content


STATUSES = ["NotStarted", "Starting", "Migrating", "Queued", "Running", "Running", "Finalizing", "Completed"]
CHUNKS = [b"", b"", b"", b"", b"line 1\n", "h\u00e9".encode()[:2], "h\u00e9".encode()[2:] + b"llo\n", b"done\n"]


@pytest.mark.parametrize("honour_range", [True, False])
def test_wait_through_every_status_with_log(honour_range: bool) -> None:
    svc = Service(STATUSES, CHUNKS, honour_range=honour_range)
    seen: list[str] = []
    text: list[str] = []
    run = RunOperations(FakeWorkspace(svc.handle)).wait(  # type: ignore[arg-type]
        "exp", "r1", on_status=lambda s, t: seen.append(s), log_sink=text.append, **FAST
    )
    assert str(run.status) == "Completed"
    # an unknown future status ("Migrating") is waited through and reported
    assert seen == ["NotStarted", "Starting", "Migrating", "Queued", "Running", "Finalizing", "Completed"]
    assert "".join(text) == "line 1\nh\u00e9llo\ndone\n"  # each byte once, UTF-8 split across polls kept whole
    assert all("authorization" not in r.headers for r in svc.log_requests)  # SAS URL: no token
    if honour_range:
        assert any(r.headers.get("range", "").startswith("bytes=") for r in svc.log_requests)


def test_expired_log_url_is_looked_up_again() -> None:
    svc = Service(STATUSES, CHUNKS, forbid_first_log=True)
    text: list[str] = []
    RunOperations(FakeWorkspace(svc.handle)).wait("exp", "r1", log_sink=text.append, **FAST)  # type: ignore[arg-type]
    assert svc.details_calls >= 2 and str(svc.log_requests[-1].url) == LOG_URL_2
    assert "".join(text) == "line 1\nh\u00e9llo\ndone\n"


def test_failed_run_error_carries_the_services_code_and_message() -> None:
    error = {"error": {"code": "UserError", "message": "User script 'x.py' failed with exit code 1."}}
    svc = Service(["Running", "Failed"], [b"", b"Traceback\n"], error=error)
    with pytest.raises(RunFailedError) as info:
        RunOperations(FakeWorkspace(svc.handle)).wait("exp", "r1", **FAST)  # type: ignore[arg-type]
    assert info.value.error_code == "UserError" and info.value.status == "Failed"
    assert "failed with exit code 1" in str(info.value) and "r1" in str(info.value)


@pytest.mark.anyio
async def test_async_wait_is_the_same() -> None:
    svc = Service(STATUSES, CHUNKS)
    seen: list[str] = []
    text: list[str] = []
    ops = AsyncRunOperations(FakeWorkspace(svc.handle, is_async=True))  # type: ignore[arg-type]
    run = await ops.wait("exp", "r1", on_status=lambda s, t: seen.append(s), log_sink=text.append, **FAST)
    assert str(run.status) == "Completed" and seen[2] == "Migrating"
    assert "".join(text) == "line 1\nh\u00e9llo\ndone\n"


def test_stream_logs_does_not_raise_for_failed_runs() -> None:
    svc = Service(["Failed"], [b"boom\n"], error={"error": {"code": "UserError", "message": "m"}})
    text: list[str] = []
    run = RunOperations(FakeWorkspace(svc.handle)).stream_logs("exp", "r1", text.append, **FAST)  # type: ignore[arg-type]
    assert str(run.status) == "Failed" and "".join(text) == "boom\n"

