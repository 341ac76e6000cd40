from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from azureml_rest.clouds import Cloud
from azureml_rest.credentials import (
    AccessToken,
    AsyncServicePrincipalCredential,
    EnvironmentCredential,
    ServicePrincipalCredential,
    TokenCache,
    credential_from_env,
    refresh_due_at,
    subscription_id_from_env,
)
from azureml_rest.errors import CredentialError, InsecureTransportError

from .conftest import CLIENT_ID, SECRET, TENANT, TokenEndpoint, claims

ARM = "https://management.azure.com/.default"


def sp(aad: TokenEndpoint, *, secret: str = SECRET, **kw: Any) -> ServicePrincipalCredential:
    return ServicePrincipalCredential(TENANT, CLIENT_ID, secret, cloud=Cloud.emulator(aad.base_url), **kw)


def test_v2_request_and_answer(aad: TokenEndpoint) -> None:
    cred = sp(aad)
    tok = cred.get_token(ARM)
    assert abs(tok.expires_on - (time.time() + 3600)) < 5
    # The v2 endpoint was asked with scope=<resource>/.default (the emulator refuses a v2 request without it)
    # and with the secret in the form; no resource= was sent.
    seen = aad.counters()
    assert seen["token"] == seen["token:v2"] == 1 and "token:v1" not in seen
    assert seen["token:v2:grant_type"] == seen["token:v2:scope"] == 1
    assert seen["token:v2:client_id"] == seen["token:v2:client_secret"] == 1
    assert "token:v2:resource" not in seen
    issued = claims(tok.token)
    assert issued["ver"] == "2.0" and issued["aud"] == "https://management.azure.com"
    assert issued["appid"] == CLIENT_ID and issued["tid"] == TENANT


def test_v1_request_and_string_expiry(aad: TokenEndpoint) -> None:
    cred = sp(aad, token_version="v1")
    tok = cred.get_token(ARM)
    seen = aad.counters()
    assert seen["token"] == seen["token:v1"] == 1 and "token:v2" not in seen
    assert seen["token:v1:resource"] == 1 and "token:v1:scope" not in seen
    issued = claims(tok.token)
    assert issued["ver"] == "1.0" and issued["aud"] == "https://management.azure.com/"  # resource=, not the scope
    # the v1 endpoint answers expires_on as a string; the credential turns it into an int
    assert isinstance(tok.expires_on, int) and abs(tok.expires_on - (time.time() + 3600)) < 5


def test_cached_until_refresh_window(aad: TokenEndpoint) -> None:
    cred = sp(aad)
    first = cred.get_token(ARM)
    assert cred.get_token(ARM) == first
    assert aad.count == 1
    ml = cred.get_token("https://ml.azure.com/.default")  # another audience: another token
    assert aad.count == 2 and claims(ml.token)["aud"] == "https://ml.azure.com"
    cred.invalidate(ARM)
    again = cred.get_token(ARM)
    assert aad.count == 3 and again.token != first.token


def test_short_lived_token_refreshed_after_half_life(make_aad: Callable[..., TokenEndpoint]) -> None:
    aad = make_aad(token_lifetime=2)  # lifetime 2 s: refresh once less than 1 s remains
    cred = sp(aad)
    first = cred.get_token(ARM)
    assert cred.get_token(ARM) == first
    assert aad.count == 1
    time.sleep(1.1)
    assert cred.get_token(ARM) != first
    assert aad.count == 2


def test_refresh_rule() -> None:
    assert refresh_due_at(0, 3600) == 3300  # 300 s before expiry
    assert refresh_due_at(0, 600) == 300
    assert refresh_due_at(0, 120) == 60  # short-lived: half the lifetime
    assert refresh_due_at(100, 100) == 100


def test_token_cache_with_clock_serves_stale_valid_token_on_failed_refresh() -> None:
    now = [1000.0]
    cache = TokenCache(clock=lambda: now[0])
    calls = []

    def ok() -> AccessToken:
        calls.append(1)
        return AccessToken(f"t{len(calls)}", int(now[0]) + 3600)

    assert cache.get("k", ok).token == "t1"
    now[0] += 3299
    assert cache.get("k", ok).token == "t1"
    now[0] += 2  # inside the refresh window
    assert cache.get("k", ok).token == "t2"

    def broken() -> AccessToken:
        raise CredentialError("down")

    now[0] += 3400  # refresh due, token still valid for ~200 s
    assert cache.get("k", broken).token == "t2"
    now[0] += 300  # expired: the failure surfaces
    with pytest.raises(CredentialError):
        cache.get("k", broken)


def test_single_flight_50_threads(aad: TokenEndpoint) -> None:
    aad.slow(0.3)  # keep the first request in flight while the others arrive
    cred = sp(aad)
    barrier = threading.Barrier(50)
    results: list[str] = []

    def worker() -> None:
        barrier.wait()
        results.append(cred.get_token(ARM).token)

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert aad.count == 1
    assert len(results) == 50 and len(set(results)) == 1


@pytest.mark.anyio
async def test_single_flight_50_coroutines(aad: TokenEndpoint) -> None:
    aad.slow(0.3)
    cred = AsyncServicePrincipalCredential(
        TENANT, CLIENT_ID, SECRET, cloud=Cloud.emulator(aad.base_url), token_version="v1"
    )
    results: list[str] = []

    async def one() -> None:
        results.append((await cred.get_token(ARM)).token)

    async with anyio.create_task_group() as tg:
        for _ in range(50):
            tg.start_soon(one)
    await cred.close()
    assert aad.count == 1
    assert len(results) == 50 and len(set(results)) == 1


def test_wrong_secret_is_typed_and_secret_free(aad: TokenEndpoint) -> None:
    wrong = "WRONG-secret-value-123"
    cred = sp(aad, secret=wrong)
    with pytest.raises(CredentialError) as info:
        cred.get_token(ARM)
    err = info.value
    assert err.error_code == "AADSTS7000215"
    assert err.error == "invalid_client"
    assert err.status_code == 401
    assert "Invalid client secret" in (err.description or "")
    for text in (str(err), repr(err), repr(cred), str(cred)):
        assert wrong not in text
    assert aad.count == 1  # a 401 from AAD is not retried


@pytest.mark.anyio
async def test_async_wrong_secret(aad: TokenEndpoint) -> None:
    cred = AsyncServicePrincipalCredential(TENANT, CLIENT_ID, "nope-nope-nope", cloud=Cloud.emulator(aad.base_url))
    with pytest.raises(CredentialError, match="AADSTS7000215"):
        await cred.get_token(ARM)
    await cred.close()


def test_repr_redacts_secret() -> None:
    cred = ServicePrincipalCredential("tenant-1", "client-1", "hunter2-very-secret")
    assert repr(cred) == (
        "ServicePrincipalCredential(tenant_id='tenant-1', client_id='client-1', client_secret=<redacted>)"
    )
    assert "hunter2" not in repr(vars(cred))
    tok = AccessToken("eyJ0eXAi.secret.token", 123)
    assert "secret" not in repr(tok) and "secret" not in str(tok)
    _token, expires_on = tok  # still a tuple like azure-core's AccessToken
    assert expires_on == 123


def test_plain_http_authority_refused_unless_loopback() -> None:
    with pytest.raises(InsecureTransportError):
        ServicePrincipalCredential("t", "c", "s", authority_host="http://login.example.com")
    ServicePrincipalCredential("t", "c", "s", authority_host="http://localhost:1234")
    cred = ServicePrincipalCredential("t", "c", "s", authority_host="login.microsoftonline.us")
    assert cred.authority_host == "https://login.microsoftonline.us"


def test_token_endpoint_5xx_is_retried_then_parsed() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(503, headers={"retry-after-ms": "1"}, text="<html>busy</html>")
        return httpx.Response(200, json={"access_token": "abc", "expires_in": "60"})

    cred = ServicePrincipalCredential("t", "c", "s", transport=httpx.MockTransport(handler))
    assert cred.get_token(ARM).token == "abc"
    assert len(calls) == 2


def test_malformed_token_answers() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"token_type": "Bearer"})

    with pytest.raises(CredentialError, match="access_token"):
        ServicePrincipalCredential("t", "c", "s", transport=httpx.MockTransport(handler)).get_token(ARM)

    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, text="<html><body>Bad gateway config client_secret=s</body></html>")

    with pytest.raises(CredentialError) as info:
        ServicePrincipalCredential("t", "c", "s-secret-xyz", transport=httpx.MockTransport(html)).get_token(ARM)
    assert "s-secret-xyz" not in str(info.value)


def test_environment_credential(aad: TokenEndpoint) -> None:
    env = {
        "AZURE_TENANT_ID": TENANT,
        "AZURE_CLIENT_ID": CLIENT_ID,
        "AZURE_CLIENT_SECRET": SECRET,
        "AZURE_AUTHORITY_HOST": aad.base_url,
        "AZURE_SUBSCRIPTION_ID": "sub-1",
    }
    cred = EnvironmentCredential(environ=env)
    assert cred.subscription_id == "sub-1"
    assert claims(cred.get_token(ARM).token)["appid"] == CLIENT_ID  # the emulator's token for these settings
    assert aad.count == 1
    assert subscription_id_from_env(env) == "sub-1"
    assert isinstance(credential_from_env(environ=env), ServicePrincipalCredential)
    assert isinstance(credential_from_env(async_=True, environ=env), AsyncServicePrincipalCredential)
    with pytest.raises(CredentialError, match="AZURE_CLIENT_SECRET") as info:
        EnvironmentCredential(environ={"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"})
    assert "t" not in str(info.value).split("missing")[1].replace("AZURE_CLIENT_SECRET", "")


def test_compatible_with_azure_core_protocol(aad: TokenEndpoint) -> None:
    from azure.core.credentials import TokenCredential
    from azure.core.pipeline import PipelineContext, PipelineRequest
    from azure.core.pipeline.policies import BearerTokenCredentialPolicy
    from azure.core.rest import HttpRequest

    cred = sp(aad)
    assert isinstance(cred, TokenCredential)
    policy = BearerTokenCredentialPolicy(cred, ARM, enforce_https=False)
    request = PipelineRequest(HttpRequest("GET", "https://management.azure.com/x"), PipelineContext(None))
    policy.on_request(request)
    assert aad.count == 1
    assert request.http_request.headers["Authorization"] == f"Bearer {cred.get_token(ARM).token}"  # cached one
