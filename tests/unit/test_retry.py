from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from azureml_rest.retry import RetryPolicy, is_retry_safe, parse_retry_after
from azureml_rest.transport import AsyncRetryTransport, ConnectionFailedError, RetryTransport, new_request_id

# ---- parsing and policy ---------------------------------------------------------------------------------------


def test_retry_after_precedence_ms_first() -> None:
    h = httpx.Headers({"retry-after-ms": "250", "x-ms-retry-after-ms": "900", "Retry-After": "7"})
    assert parse_retry_after(h) == 0.25
    h = httpx.Headers({"x-ms-retry-after-ms": "900", "Retry-After": "7"})
    assert parse_retry_after(h) == 0.9
    assert parse_retry_after(httpx.Headers({"Retry-After": "7"})) == 7.0


def test_retry_after_http_date_and_invalid() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(httpx.Headers({"Retry-After": later}), now=now.timestamp()) == pytest.approx(42)
    earlier = format_datetime(now - timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(httpx.Headers({"Retry-After": earlier}), now=now.timestamp()) == 0.0
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers({"Retry-After": "-3"})) is None
    assert parse_retry_after(httpx.Headers({"retry-after-ms": "abc", "Retry-After": "2"})) == 2.0
    assert parse_retry_after(httpx.Headers({})) is None


def test_delay_caps_and_backoff_full_jitter() -> None:
    p = RetryPolicy(rand=lambda: 1.0)
    assert p.delay(0) == 0.5
    assert p.delay(1) == 1.0
    assert p.delay(3) == 4.0
    assert p.delay(10) == 30.0  # max_backoff
    assert p.delay(0, httpx.Headers({"Retry-After": "600"})) == 60.0  # max_retry_after
    assert p.delay(0, httpx.Headers({"retry-after-ms": "10"})) == 0.01
    assert RetryPolicy(rand=lambda: 0.0).delay(3) == 0.0
    half = RetryPolicy(rand=lambda: 0.5)
    assert half.delay(2) == 1.0


def test_defaults_are_as_documented() -> None:
    p = RetryPolicy()
    assert (p.max_retries, p.backoff_factor, p.max_backoff, p.max_retry_after) == (4, 0.5, 30.0, 60.0)
    assert p.retry_statuses == frozenset({408, 429, 500, 502, 503, 504})
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


WS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"


@pytest.mark.parametrize(
    ("method", "path", "safe"),
    [
        ("GET", WS, True),
        ("HEAD", WS, True),
        ("PUT", WS, True),
        ("DELETE", WS, True),
        ("OPTIONS", WS, True),
        ("PATCH", WS, False),
        ("POST", f"{WS}/listKeys", True),
        ("POST", f"{WS}/computes/c/listKeys", True),
        ("POST", f"{WS}/computes/c/listNodes", True),
        (
            "POST",
            "/modelmanagement/v1.0/subscriptions/s/resourceGroups/r/providers/X/workspaces/w/services/a/listkeys",
            True,
        ),
        ("POST", "/modelmanagement/v1.0/x/services/a/regenerateKeys", False),
        ("POST", f"/history/v1.0{WS}/experiments:query", True),
        ("POST", f"/history/v1.0{WS}/experiments/e/runs:query", True),
        ("POST", f"/history/v1.0{WS}/experiments/e", False),
        ("POST", f"/execution/v1.0{WS}/experiments/e/startrun?runId=r1", True),
        ("POST", f"/execution/v1.0{WS}/experiments/e/snapshotrun?runId=r1", True),
        ("POST", f"/execution/v1.0{WS}/experiments/e/startrun", False),
        ("POST", f"/execution/v1.0{WS}/experiments/e/startrun?runId=", False),
        ("POST", f"/execution/v1.0{WS}/experiments/e/runId/r1/cancel", False),
        ("POST", "/score", False),
    ],
)
def test_is_retry_safe(method: str, path: str, safe: bool) -> None:
    assert is_retry_safe(httpx.Request(method, "https://h.example" + path)) is safe


def test_is_retry_safe_extension_override() -> None:
    r = httpx.Request("POST", "https://h.example/score", extensions={"azureml_rest.retry_safe": True})
    assert is_retry_safe(r)


# ---- the transport -------------------------------------------------------------------------------------------


class Script:
    """A MockTransport handler answering from a list; records every request and its body."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []
        self.responses: list[httpx.Response] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        # a fresh stream each time so that close() is observable per response
        response = httpx.Response(answer.status_code, headers=answer.headers, stream=ClosableStream(answer.content))
        self.responses.append(response)
        return response


class StreamingScript(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Like Script, but iterates the request body as the network transports do (MockTransport buffers it with
    read(), which would hide whether the original stream can be replayed)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        self.bodies.append(b"".join(request.stream))
        return httpx.Response(self.statuses.pop(0))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        self.bodies.append(b"".join([chunk async for chunk in request.stream]))
        return httpx.Response(self.statuses.pop(0))


class ClosableStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield self.data

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield self.data

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def make_client(script: Script, sleeps: list[float], policy: RetryPolicy | None = None) -> httpx.Client:
    transport = RetryTransport(
        httpx.MockTransport(script), policy or RetryPolicy(rand=lambda: 1.0), sleep=sleeps.append
    )
    return httpx.Client(base_url="https://h.example", transport=transport)


def make_async_client(script: Script, sleeps: list[float], policy: RetryPolicy | None = None) -> httpx.AsyncClient:
    async def sleep(s: float) -> None:
        sleeps.append(s)

    transport = AsyncRetryTransport(httpx.MockTransport(script), policy or RetryPolicy(rand=lambda: 1.0), sleep=sleep)
    return httpx.AsyncClient(base_url="https://h.example", transport=transport)


def R(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()}, content=b"x")


def test_status_retries_with_backoff_and_retry_after() -> None:
    script = Script(R(503), R(429, retry_after="3"), R(500, retry_after_ms="1500"), R(200))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        assert c.get("/a").status_code == 200
    assert sleeps == [0.5, 3.0, 1.5]
    assert len(script.requests) == 4
    # failed responses were closed before retrying; the final one is handed back
    assert [r.stream.closed for r in script.responses[:3]] == [True, True, True]  # type: ignore[attr-defined]


def test_gives_up_after_max_retries_and_returns_last_response() -> None:
    script = Script(*(R(502) for _ in range(5)))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        assert c.get("/a").status_code == 502
    assert len(script.requests) == 5
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


def test_retry_after_is_capped() -> None:
    script = Script(R(429, retry_after="3600"), R(200))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        c.get("/a")
    assert sleeps == [60.0]


def test_non_retryable_status_not_retried() -> None:
    script = Script(R(404))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        assert c.get("/a").status_code == 404
    assert sleeps == []


def test_plain_post_not_retried_on_503() -> None:
    script = Script(R(503), R(200))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        assert c.post("/models", json={"name": "m"}).status_code == 503
    assert len(script.requests) == 1


def test_startrun_with_run_id_is_retried_without_not() -> None:
    script = Script(R(503), R(200))
    with make_client(script, []) as c:
        assert c.post("/x/experiments/e/startrun", params={"runId": "r1"}, content=b"{}").status_code == 200
    script = Script(R(503), R(200))
    with make_client(script, []) as c:
        assert c.post("/x/experiments/e/startrun", content=b"{}").status_code == 503


def test_connect_error_retried_even_for_post() -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), R(200))
    sleeps: list[float] = []
    with make_client(script, sleeps) as c:
        assert c.post("/models", json={}).status_code == 200
    assert len(sleeps) == 2


def test_read_timeout_retried_for_get_not_for_post() -> None:
    script = Script(httpx.ReadTimeout("t"), R(200))
    with make_client(script, []) as c:
        assert c.get("/a").status_code == 200
    script = Script(httpx.ReadTimeout("t"), R(200))
    with make_client(script, []) as c, pytest.raises(ConnectionFailedError, match="ReadTimeout") as raised:
        c.post("/models", json={})
    assert len(script.requests) == 1
    assert raised.value.may_have_been_applied  # sent, not retry-safe: the caller must check before repeating


def test_connect_errors_exhaust_and_raise() -> None:
    script = Script(*(httpx.ConnectError("refused") for _ in range(3)))
    sleeps: list[float] = []
    with (
        make_client(script, sleeps, RetryPolicy(max_retries=2, rand=lambda: 1.0)) as c,
        pytest.raises(ConnectionFailedError, match="ConnectError after 3 attempt"),
    ):
        c.get("/a")
    assert len(script.requests) == 3 and sleeps == [0.5, 1.0]


def test_same_client_request_id_on_every_attempt() -> None:
    script = Script(R(503), R(503), R(200))
    with make_client(script, []) as c:
        c.get("/a")
    ids = {r.headers["x-ms-client-request-id"] for r in script.requests}
    assert len(ids) == 1 and len(next(iter(ids))) == 36
    script = Script(R(200))
    with make_client(script, []) as c:
        c.get("/a", headers={"x-ms-client-request-id": "mine"})
    assert script.requests[0].headers["x-ms-client-request-id"] == "mine"


def test_multipart_file_body_is_replayed() -> None:
    payload = b"PK\x03\x04" + bytes(range(256)) * 400
    script = StreamingScript(503, 200)
    with httpx.Client(base_url="https://h.example", transport=RetryTransport(script, sleep=lambda s: None)) as c:
        c.post(
            "/x/experiments/e/startrun",
            params={"runId": "r1"},
            files={
                "projectZipFile": ("project.zip", io.BytesIO(payload), "application/zip"),
                "runDefinitionFile": ("def.json", io.BytesIO(b'{"a": 1}'), "application/json"),
            },
        )
    assert len(script.bodies) == 2
    assert script.bodies[0] == script.bodies[1]
    assert payload in script.bodies[1]


def test_generator_body_is_not_retried() -> None:
    def gen() -> Iterator[bytes]:
        yield b"abc"

    class Streaming(httpx.BaseTransport):
        """Consumes the body like the real transport (MockTransport would buffer it with read())."""

        def __init__(self) -> None:
            self.calls = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            self.calls += 1
            b"".join(request.stream)  # type: ignore[arg-type]
            return httpx.Response(503 if self.calls == 1 else 200)

    inner = Streaming()
    with httpx.Client(transport=RetryTransport(inner, sleep=lambda s: None)) as c:
        assert c.put("https://h.example/a", content=gen()).status_code == 503
    assert inner.calls == 1


def test_zero_retries_policy() -> None:
    script = Script(R(503))
    with make_client(script, [], RetryPolicy(max_retries=0)) as c:
        assert c.get("/a").status_code == 503


# ---- async twins -----------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_status_retries_with_backoff_and_retry_after() -> None:
    script = Script(R(503), R(429, retry_after="3"), R(500, x_ms_retry_after_ms="1500"), R(200))
    sleeps: list[float] = []
    async with make_async_client(script, sleeps) as c:
        assert (await c.get("/a")).status_code == 200
    assert sleeps == [0.5, 3.0, 1.5]
    assert [r.stream.closed for r in script.responses[:3]] == [True, True, True]  # type: ignore[attr-defined]
    assert len({r.headers["x-ms-client-request-id"] for r in script.requests}) == 1


@pytest.mark.anyio
async def test_async_post_rules() -> None:
    script = Script(R(503), R(200))
    async with make_async_client(script, []) as c:
        assert (await c.post("/models", json={})).status_code == 503
    script = Script(httpx.ConnectError("refused"), R(200))
    async with make_async_client(script, []) as c:
        assert (await c.post("/models", json={})).status_code == 200
    script = Script(httpx.ReadTimeout("t"), R(200))
    async with make_async_client(script, []) as c:
        with pytest.raises(ConnectionFailedError, match="ReadTimeout after 1 attempt"):
            await c.post("/models", json={})
    script = Script(R(504), R(200))
    async with make_async_client(script, []) as c:
        assert (await c.post("/h/experiments/e/runs:query", json={})).status_code == 200


@pytest.mark.anyio
async def test_async_gives_up_after_max_retries() -> None:
    script = Script(*(R(502) for _ in range(5)))
    sleeps: list[float] = []
    async with make_async_client(script, sleeps) as c:
        assert (await c.get("/a")).status_code == 502
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.anyio
async def test_async_multipart_replayed() -> None:
    payload = b"zipdata" * 1000
    script = StreamingScript(503, 200)

    async def no_sleep(s: float) -> None:
        pass

    async with httpx.AsyncClient(
        base_url="https://h.example", transport=AsyncRetryTransport(script, sleep=no_sleep)
    ) as c:
        await c.post(
            "/x/e/startrun",
            params={"runId": "r"},
            files={"projectZipFile": ("p.zip", io.BytesIO(payload), "application/zip")},
        )
    assert script.bodies[0] == script.bodies[1] and payload in script.bodies[1]


def test_default_async_sleep_really_sleeps() -> None:
    # the default sleep is anyio.sleep: check it works under asyncio without injection
    import anyio

    script = Script(R(503, retry_after_ms="10"), R(200))

    async def main() -> int:
        t = AsyncRetryTransport(httpx.MockTransport(script))
        async with httpx.AsyncClient(transport=t) as c:
            return (await c.get("https://h.example/a")).status_code

    assert anyio.run(main) == 200


_unused: Callable[..., object] = make_client


def test_non_seekable_multipart_file_is_not_retried() -> None:
    class Pipe(io.RawIOBase):
        """A readable, non-seekable file object (like a pipe or socket file)."""

        def __init__(self, data: bytes) -> None:
            self._buf = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b: Any) -> int:
            chunk = self._buf.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    script = StreamingScript(503, 200)
    with httpx.Client(base_url="https://h.example", transport=RetryTransport(script, sleep=lambda s: None)) as c:
        r = c.post("/x/e/startrun", params={"runId": "r"}, files={"projectZipFile": ("p.zip", Pipe(b"data"))})
    assert r.status_code == 503 and len(script.bodies) == 1


def test_request_ids_are_uuid4_text() -> None:
    import uuid

    ids = [new_request_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122
