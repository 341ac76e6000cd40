from __future__ import annotations

import logging

import httpx
import pytest
from azureml_rest._redact import redact_headers, redact_text, redact_url
from azureml_rest.auth import BearerTokenAuth, KeyAuth
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import ServicePrincipalCredential
from azureml_rest.pipeline import build_async_client, build_client
from azureml_rest.retry import RetryPolicy
from azureml_rest.transport import ConnectionFailedError

from .conftest import CLIENT_ID, SECRET, TENANT, TokenEndpoint

SAS = "sv=2019-02-02&sr=b&sig=SIGsecretValue%2B%3D&se=2030-01-01&sp=r"


def api_handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/flaky") and request.headers.get("x-attempt") != "done":
        request.headers["x-attempt"] = "done"
        return httpx.Response(503, headers={"retry-after-ms": "0"})
    return httpx.Response(
        202,
        headers={
            "Location": f"https://management.azure.com/subscriptions/s/operationResults/op?api-version=1&{SAS}",
            "x-ms-request-id": "rid-77",
            "Set-Cookie": "session=COOKIEsecret",
        },
        json={"primaryKey": "PRIMARYkeyValue", "access_token": "BODYtoken"},
    )


def test_debug_log_has_no_secrets(aad: TokenEndpoint, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="azureml_rest")
    cloud = Cloud.emulator(aad.base_url).with_trusted_hosts("management.azure.com")
    cred = ServicePrincipalCredential(TENANT, CLIENT_ID, SECRET, cloud=cloud, token_version="v1")
    with build_client(
        "https://management.azure.com",
        auth=BearerTokenAuth(cred, cloud=cloud),
        transport=httpx.MockTransport(api_handler),
        sleep=lambda s: None,
    ) as c:
        c.get(
            "/subscriptions/s/flaky",
            params={
                "api-version": "2019-11-01",
                "runId": "run-1",
                "code": "AUTHcode",
                "client_secret": "QUERYsecret",
                "x": "unknownValue",
            },
            headers={"Cookie": "a=COOKIEsecret2", "api-key": "HEADERkey"},
        )
    text = caplog.text
    assert aad.count == 1
    token = cred.get_token("https://management.azure.com/.default").token  # the cached one the client sent
    assert aad.count == 1
    for secret in (
        SECRET,
        token,
        token.split(".")[1],  # not even the payload (claims) part
        "SIGsecretValue",
        "AUTHcode",
        "QUERYsecret",
        "unknownValue",
        "COOKIEsecret",
        "HEADERkey",
        "PRIMARYkeyValue",
        "BODYtoken",
        "Bearer ",
    ):
        assert secret not in text, secret
    assert "api-version=2019-11-01" in text and "runId=run-1" in text and "code=REDACTED" in text
    assert "location: https://management.azure.com" in text and "operationResults" not in text
    assert "x-ms-request-id: rid-77" in text
    assert "authorization: REDACTED" in text
    assert "status=503" in text and "status=202" in text and "elapsed_ms=" in text
    # the token request was logged (method, path) but not its body
    assert f"/{TENANT}/oauth2/token" in text
    assert any(r.name == "azureml_rest.transport" for r in caplog.records)
    assert any(r.levelno == logging.INFO and "retrying" in r.getMessage() for r in caplog.records)


@pytest.mark.anyio
async def test_async_debug_log_has_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="azureml_rest")

    async def no_sleep(s: float) -> None:
        pass

    auth = KeyAuth.from_key("SCORINGkey")
    async with build_async_client(
        "https://svc.example.net", auth=auth, transport=httpx.MockTransport(api_handler), sleep=no_sleep
    ) as c:
        await c.post("/score", json={"data": [1]})
    assert "SCORINGkey" not in caplog.text and "PRIMARYkeyValue" not in caplog.text
    assert "POST https://svc.example.net/score" in caplog.text


def test_transport_error_logged_without_text(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="azureml_rest")

    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("failed connecting to https://x/?sig=LEAKED")

    cfg = HttpConfig(retry=RetryPolicy(max_retries=1))
    with (
        build_client("https://h.example", config=cfg, transport=httpx.MockTransport(boom), sleep=lambda s: None) as c,
        pytest.raises(ConnectionFailedError) as raised,
    ):
        c.get("/x")
    assert "ConnectError" in caplog.text and "LEAKED" not in caplog.text
    assert raised.value.cause == "ConnectError" and raised.value.attempts == 2 and "LEAKED" not in str(raised.value)
    assert not raised.value.may_have_been_applied  # never connected: nothing was sent


def test_redact_url_allow_list() -> None:
    out = redact_url(f"https://user:pw@acct.blob.core.windows.net/c/b?{SAS}&$top=5&$skipToken=abc#frag")
    assert "pw" not in out and "user" not in out and "frag" not in out
    assert "sig=REDACTED" in out and "se=REDACTED" in out and "sp=REDACTED" in out
    assert "$top=5" in out and "$skipToken=abc" in out


def test_redact_headers_and_text() -> None:
    h = redact_headers(
        {
            "Authorization": "Bearer x",
            "Content-Type": "application/json",
            "Operation-Location": "https://h.example/ops/1?sig=s",
        }
    )
    assert h == {
        "authorization": "REDACTED",
        "content-type": "application/json",
        "operation-location": "https://h.example",
    }
    assert (
        redact_text("Bearer abc.def and client_secret=xyz", ["other"]) == "Bearer REDACTED and client_secret=REDACTED"
    )
    assert redact_text("my plain secret!", ["plain secret"]) == "my REDACTED!"
