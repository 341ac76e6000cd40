from __future__ import annotations

import json

import httpx
import pytest
from azureml_rest.errors import (
    AuthenticationError,
    AzureMLError,
    BadRequestError,
    ConflictError,
    InvalidResponseError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PermissionDeniedError,
    ServerError,
    ServiceError,
    ThrottledError,
    error_from_parts,
    error_from_response,
)

URL = "https://management.azure.com/subscriptions/s/resourceGroups/rg?api-version=2019-11-01&sig=SASsecret"


def resp(status: int, body: bytes | str | dict[str, object], **headers: str) -> httpx.Response:
    content = json.dumps(body).encode() if isinstance(body, dict) else body
    request = httpx.Request("GET", URL, headers={"x-ms-client-request-id": "cid-1"})
    return httpx.Response(status, content=content, headers={"x-ms-request-id": "rid-1", **headers}, request=request)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, ThrottledError),
        (500, ServerError),
        (503, ServerError),
        (405, ServiceError),
    ],
)
def test_class_by_status(status: int, cls: type[ServiceError]) -> None:
    err = error_from_response(resp(status, {"error": {"code": "X", "message": "m"}}))
    assert type(err) is cls and isinstance(err, AzureMLError)


def test_arm_shape() -> None:
    body = {
        "error": {
            "code": "ResourceGroupNotFound",
            "message": "Resource group 'rg' could not be found.",
            "target": "rg",
            "details": [{"code": "Inner", "message": "x"}],
            "additionalInfo": [],
        }
    }
    err = error_from_response(resp(404, body))
    assert (err.status_code, err.error_code, err.target) == (404, "ResourceGroupNotFound", "rg")
    assert err.message == "Resource group 'rg' could not be found."
    assert err.details == [{"code": "Inner", "message": "x"}]
    assert (err.request_id, err.client_request_id, err.method) == ("rid-1", "cid-1", "GET")
    assert err.url is not None and "SASsecret" not in err.url and "api-version=2019-11-01" in err.url
    text = str(err)
    assert "404 Not Found (ResourceGroupNotFound)" in text and "rid-1" in text and "SASsecret" not in text


def test_history_shape() -> None:
    body = {
        "error": {
            "code": "UserError",
            "message": "Run r1 was not found",
            "details": [],
            "innerError": {"code": "NotFoundError"},
        },
        "correlation": {"operation": "abc"},
        "environment": "eastus",
        "location": "eastus",
        "time": "2020-01-01T00:00:00Z",
    }
    err = error_from_response(resp(404, body))
    assert err.error_code == "UserError" and err.message == "Run r1 was not found"


def test_duplicate_run_id_conflict() -> None:
    body = {"error": {"code": "RunIdAlreadyExists", "message": "A run with id r1 already exists"}}
    err = error_from_response(resp(409, body))
    assert isinstance(err, ConflictError) and err.error_code == "RunIdAlreadyExists"


def test_model_management_flat_shape() -> None:
    body = {
        "code": "ModelNotFound",
        "statusCode": 404,
        "message": "Model m:1 not found",
        "details": [{"code": "c", "message": "d"}],
    }
    err = error_from_response(resp(404, body))
    assert (err.error_code, err.message, len(err.details)) == ("ModelNotFound", "Model m:1 not found", 1)


def test_aad_shape() -> None:
    body = {
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided.",
        "error_codes": [7000215],
    }
    err = error_from_response(resp(401, body))
    assert isinstance(err, AuthenticationError)
    assert err.error_code == "AADSTS7000215" and err.message is not None and "Invalid client secret" in err.message


def test_html_502() -> None:
    html = (
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
        "<hr><center>nginx</center>" + "<p>padding</p>" * 100 + "</body></html>"
    )
    err = error_from_response(resp(502, html, **{"content-type": "text/html"}))
    assert isinstance(err, ServerError) and err.error_code is None
    assert err.excerpt is not None and err.excerpt.startswith("502 Bad Gateway 502 Bad Gateway nginx")
    assert len(err.excerpt) <= 200 and "<" not in err.excerpt
    assert "502 Bad Gateway" in str(err)


def test_truncated_json_and_secret_in_body() -> None:
    body = b'{"error": {"code": "InternalError", "message": "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdef key='
    err = error_from_response(resp(500, body))
    assert isinstance(err, ServerError)
    assert err.excerpt is not None and "InternalError" in err.excerpt
    assert "eyJhbGciOiJIUzI1NiJ9" not in str(err)


def test_status_outside_httpstatus() -> None:
    err = error_from_response(resp(520, b"origin error"))
    assert isinstance(err, ServerError) and err.status_code == 520
    assert str(err).startswith("520 Unknown Status")
    err = error_from_parts(599, {}, b"")
    assert isinstance(err, ServerError) and "599" in str(err)


def test_throttled_retry_after() -> None:
    err = error_from_response(
        resp(429, {"error": {"code": "TooManyRequests", "message": "slow down"}}, **{"Retry-After": "17"})
    )
    assert isinstance(err, ThrottledError) and err.retry_after == 17.0


def test_message_redacts_bearer_and_keys() -> None:
    body = {"error": {"code": "Bad", "message": "header Authorization: Bearer abc.def.ghi and primaryKey=K123 bad"}}
    err = error_from_response(resp(400, body))
    text = str(err)
    assert "abc.def.ghi" not in text and "K123" not in text


def test_unread_streamed_response() -> None:
    class Stream(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b"{}"

    r = httpx.Response(503, stream=Stream(), request=httpx.Request("GET", "https://h/x"))
    assert isinstance(error_from_response(r), ServerError)


def test_other_errors_render() -> None:
    e = InvalidResponseError("Workspaces_Get", "missing field 'id' near token=abcdef", status_code=200, request_id="r")
    assert "Workspaces_Get" in str(e) and "missing field" in str(e) and "abcdef" not in str(e)
    f = OperationFailedError("Compute_CreateOrUpdate", "Failed", error_code="QuotaExceeded", message="no cores")
    assert "Failed" in str(f) and "QuotaExceeded" in str(f)
    t = OperationTimeoutError("Services_Create", 300, last_status="Running")
    assert "300 s" in str(t) and "Running" in str(t)
