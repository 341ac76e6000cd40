from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from azureml_rest.auth import BearerTokenAuth, KeyAuth
from azureml_rest.clouds import AZURE_PUBLIC_CLOUD, Cloud
from azureml_rest.credentials import AccessToken, ServicePrincipalCredential
from azureml_rest.errors import InsecureTransportError, UntrustedHostError

from .conftest import CLIENT_ID, SECRET, TENANT, TokenEndpoint

ARM = "https://management.azure.com"


class CountingCredential:
    """A foreign (azure-core style) credential: get_token only, no invalidate."""

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken as CoreToken

        self.calls += 1
        return CoreToken(f"tok{self.calls}", int(time.time()) + 3600)


class AsyncCountingCredential:
    def __init__(self) -> None:
        self.calls = 0

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        return AccessToken(f"atok{self.calls}", int(time.time()) + 3600)


class Recorder:
    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = statuses or []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # a snapshot: auth flows mutate and resend the same request object
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy(), content=request.content)
        )
        return httpx.Response(self.statuses.pop(0) if self.statuses else 200)


def client(auth: httpx.Auth, rec: Recorder, base: str = ARM, **kw: Any) -> httpx.Client:
    return httpx.Client(base_url=base, auth=auth, transport=httpx.MockTransport(rec), **kw)


def aclient(auth: httpx.Auth, rec: Recorder, base: str = ARM, **kw: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, auth=auth, transport=httpx.MockTransport(rec), **kw)


def test_bearer_header_and_cache_for_foreign_credential() -> None:
    cred, rec = CountingCredential(), Recorder()
    with client(BearerTokenAuth(cred), rec) as c:
        c.get("/subscriptions")
        c.get("/subscriptions")
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer tok1", "Bearer tok1"]
    assert cred.calls == 1


def test_401_refreshes_and_retries_once() -> None:
    cred, rec = CountingCredential(), Recorder([401, 200])
    with client(BearerTokenAuth(cred), rec) as c:
        assert c.get("/subscriptions").status_code == 200
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer tok1", "Bearer tok2"]
    cred, rec = CountingCredential(), Recorder([401, 401, 200])
    with client(BearerTokenAuth(cred), rec) as c:
        assert c.get("/subscriptions").status_code == 401  # only once
    assert len(rec.requests) == 2 and cred.calls == 2


class ExpiringCredential:
    """Hands out tokens that have already expired for the first ``expired`` calls (as if each waited in a
    connection pool longer than it had left), then valid ones."""

    def __init__(self, expired: int) -> None:
        self.calls, self.expired = 0, expired

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        lifetime = -1 if self.calls <= self.expired else 3600
        return AccessToken(f"tok{self.calls}", int(time.time()) + lifetime)


def test_401_for_a_token_that_expired_in_flight_is_retried_again() -> None:
    cred, rec = ExpiringCredential(expired=2), Recorder([401, 401, 200])
    with client(BearerTokenAuth(cred), rec) as c:
        assert c.get("/subscriptions").status_code == 200
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer tok1", "Bearer tok2", "Bearer tok3"]


def test_expired_in_flight_retries_are_bounded() -> None:
    cred, rec = ExpiringCredential(expired=10), Recorder([401] * 10)
    with client(BearerTokenAuth(cred), rec) as c:
        assert c.get("/subscriptions").status_code == 401
    assert len(rec.requests) == 4  # the one retry any 401 gets, plus MAX_EXPIRED_IN_FLIGHT_RETRIES


def test_401_invalidates_our_credential(aad: TokenEndpoint) -> None:
    cred = ServicePrincipalCredential(TENANT, CLIENT_ID, SECRET, authority_host=aad.base_url)
    rec = Recorder([401, 200])
    with client(BearerTokenAuth(cred), rec) as c:
        assert c.get("/subscriptions").status_code == 200
    assert aad.count == 2
    assert rec.requests[0].headers["Authorization"] != rec.requests[1].headers["Authorization"]


def test_plain_http_refused_before_any_token() -> None:
    cred = CountingCredential()
    auth = BearerTokenAuth(cred, cloud=AZURE_PUBLIC_CLOUD.with_trusted_hosts("plain.example.com"))
    with client(auth, Recorder(), base="http://plain.example.com") as c, pytest.raises(InsecureTransportError):
        c.get("/x")
    assert cred.calls == 0


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:1", "http://[::1]:80"]
)
def test_plain_http_allowed_to_loopback(base: str) -> None:
    rec = Recorder()
    with client(BearerTokenAuth(CountingCredential(), cloud=Cloud.emulator(base)), rec, base=base) as c:
        assert c.get("/x").status_code == 200
    assert rec.requests[0].headers["Authorization"] == "Bearer tok1"


def test_untrusted_host_refused_and_named() -> None:
    cred = CountingCredential()
    with client(BearerTokenAuth(cred), Recorder(), base="https://attacker.example.net") as c:
        with pytest.raises(UntrustedHostError) as info:
            c.get("/x")
    assert "attacker.example.net" in str(info.value) and "trusted_hosts" in str(info.value)
    assert cred.calls == 0
    # the loopback emulator is not part of the public cloud either
    with client(BearerTokenAuth(cred), Recorder(), base="http://127.0.0.1:9") as c, pytest.raises(UntrustedHostError):
        c.get("/x")


def test_trusted_hosts_argument() -> None:
    rec = Recorder()
    auth = BearerTokenAuth(CountingCredential(), trusted_hosts=["gw.corp.example"])
    with client(auth, rec, base="https://gw.corp.example") as c:
        assert c.get("/x").status_code == 200


def test_ml_hosts_accepted() -> None:
    rec = Recorder()
    with client(BearerTokenAuth(CountingCredential()), rec, base="https://eastus.api.azureml.ms") as c:
        assert c.get("/history/v1.0/x").status_code == 200


def test_redirect_to_other_host_loses_authorization() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "management.azure.com" and request.url.path == "/start":
            return httpx.Response(302, headers={"Location": "https://blob.example.net/file?sig=abc"})
        if request.url.path == "/same":
            return httpx.Response(302, headers={"Location": "/start2"})
        return httpx.Response(200)

    with httpx.Client(
        base_url=ARM,
        auth=BearerTokenAuth(CountingCredential()),
        follow_redirects=True,
        transport=httpx.MockTransport(handler),
    ) as c:
        assert c.get("/start").status_code == 200
        assert c.get("/same").status_code == 200
    assert "Authorization" in seen[0].headers
    assert seen[1].url.host == "blob.example.net" and "Authorization" not in seen[1].headers
    # same-origin redirect keeps it
    assert seen[3].url.path == "/start2" and seen[3].headers["Authorization"] == "Bearer tok1"


def test_async_credential_needs_async_client() -> None:
    with client(BearerTokenAuth(AsyncCountingCredential()), Recorder()) as c, pytest.raises(TypeError):
        c.get("/x")


@pytest.mark.anyio
async def test_async_flow_with_async_credential_and_401() -> None:
    cred, rec = AsyncCountingCredential(), Recorder([401, 200, 200])
    async with aclient(BearerTokenAuth(cred), rec) as c:
        assert (await c.get("/x")).status_code == 200
        assert (await c.get("/x")).status_code == 200
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer atok1", "Bearer atok2", "Bearer atok2"]


@pytest.mark.anyio
async def test_async_flow_with_sync_credential_and_refusals() -> None:
    cred, rec = CountingCredential(), Recorder()
    async with aclient(BearerTokenAuth(cred), rec) as c:
        assert (await c.get("/x")).status_code == 200
    assert rec.requests[0].headers["Authorization"] == "Bearer tok1"
    async with aclient(BearerTokenAuth(cred), rec, base="https://evil.example") as c:
        with pytest.raises(UntrustedHostError):
            await c.get("/x")
    auth = BearerTokenAuth(cred, trusted_hosts=["evil.example"])
    async with aclient(auth, rec, base="http://evil.example") as c:
        with pytest.raises(InsecureTransportError):
            await c.get("/x")


@pytest.mark.anyio
async def test_async_redirect_loses_authorization() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "management.azure.com":
            return httpx.Response(307, headers={"Location": "https://other.example.org/x"})
        return httpx.Response(200)

    async with httpx.AsyncClient(
        base_url=ARM,
        auth=BearerTokenAuth(AsyncCountingCredential()),
        follow_redirects=True,
        transport=httpx.MockTransport(handler),
    ) as c:
        await c.get("/x")
    assert "Authorization" in seen[0].headers and "Authorization" not in seen[1].headers


def test_repr_has_no_token() -> None:
    auth = BearerTokenAuth(ServicePrincipalCredential("t", "c", "top-secret-1"))
    assert "top-secret-1" not in repr(auth)


# ---- KeyAuth --------------------------------------------------------------------------------------------------


def test_key_auth_rotation_on_401() -> None:
    keys = ["old-key", "new-key"]
    provided: list[str] = []

    def provider() -> str:
        provided.append(keys[min(len(provided), 1)])
        return provided[-1]

    rec = Recorder([401, 200, 200])
    with client(KeyAuth(provider), rec, base="https://svc.example.net") as c:
        assert c.post("/score", json={"data": [1]}).status_code == 200
        assert c.post("/score", json={"data": [1]}).status_code == 200
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer old-key", "Bearer new-key", "Bearer new-key"]
    assert len(provided) == 2
    assert rec.requests[0].content == rec.requests[1].content


def test_key_auth_same_key_not_retried() -> None:
    rec = Recorder([401, 200])
    with client(KeyAuth.from_key("k1"), rec, base="https://svc.example.net") as c:
        assert c.post("/score", json={}).status_code == 401
    assert len(rec.requests) == 1


def test_key_auth_http_rules() -> None:
    with client(KeyAuth.from_key("k"), Recorder(), base="http://svc.example.net") as c:
        with pytest.raises(InsecureTransportError):
            c.post("/score", json={})
    rec = Recorder()
    with client(KeyAuth.from_key("k"), rec, base="http://127.0.0.1:5000") as c:
        c.post("/score", json={})
    with client(KeyAuth.from_key("k", allow_http=True), rec, base="http://svc.example.net") as c:
        c.post("/score", json={})
    assert len(rec.requests) == 2
    assert "k" not in repr(KeyAuth.from_key("k")).replace("KeyAuth", "").replace("key=", "")


@pytest.mark.anyio
async def test_async_key_auth_with_async_provider() -> None:
    keys = iter(["a1", "a2"])

    async def provider() -> str:
        return next(keys)

    rec = Recorder([401, 200])
    async with aclient(KeyAuth(provider), rec, base="https://svc.example.net") as c:
        assert (await c.post("/score", json={})).status_code == 200
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer a1", "Bearer a2"]


class PeekingCredential(AsyncCountingCredential):
    """An own-cache credential (``invalidate`` + ``cached_token``) like AsyncServicePrincipalCredential."""

    def __init__(self) -> None:
        super().__init__()
        self.cached: AccessToken | None = None
        self.dropped: list[str | None] = []

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.cached = await super().get_token(*scopes)
        return self.cached

    def cached_token(self, *scopes: str) -> AccessToken | None:
        return self.cached

    def invalidate(self, *scopes: str, token: str | None = None) -> None:
        self.dropped.append(token)
        self.cached = None


@pytest.mark.anyio
async def test_async_flow_uses_a_cached_token_without_awaiting_and_still_refreshes_on_401() -> None:
    cred, rec = PeekingCredential(), Recorder([200, 200, 401, 200])
    async with aclient(BearerTokenAuth(cred), rec) as c:
        for _ in range(3):
            assert (await c.get("/x")).status_code == 200
    # one fetch for the first two requests; the 401 drops atok1 and the retry fetches atok2
    assert cred.calls == 2 and cred.dropped == ["atok1"]
    assert [r.headers["Authorization"] for r in rec.requests] == ["Bearer atok1"] * 3 + ["Bearer atok2"]


def test_host_policy_storage_urls() -> None:
    from azureml_rest.clouds import AZURE_PUBLIC_CLOUD, Cloud
    from azureml_rest.errors import InsecureTransportError, UntrustedHostError
    from azureml_rest.trust import HostPolicy

    policy = HostPolicy(AZURE_PUBLIC_CLOUD)
    policy.check_storage_url("https://acct.blob.core.windows.net/c/b?sig=x")
    with pytest.raises(UntrustedHostError, match=r"evil\.example"):
        policy.check_storage_url("https://evil.example/c/b?sig=x")  # a startPendingUpload SAS elsewhere
    with pytest.raises(InsecureTransportError):
        policy.check_storage_url("http://acct.blob.core.windows.net/c/b")
    HostPolicy(AZURE_PUBLIC_CLOUD, ["files.example"]).check_storage_url("https://files.example/c")
    emulator = HostPolicy(Cloud.emulator("http://127.0.0.1:8765"))
    emulator.check_storage_url("http://127.0.0.1:8765/acct/c/b")  # path-style on the emulator's own port
    with pytest.raises(UntrustedHostError):
        emulator.check_storage_url("http://127.0.0.1:9999/acct/c/b")
