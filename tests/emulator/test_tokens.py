"""Token endpoints (v1, v2, OIDC, managed identity) and bearer-token checks."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

import httpx
from azureml_emulator.server import RunningEmulator

from tests.emulator.support import get_token, verify_for


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _form(emu: RunningEmulator, **over: str) -> dict[str, str]:
    cfg = emu.config
    form = {
        "grant_type": "client_credentials",
        "client_id": cfg.client_id,
        "client_secret": cfg.client_secret,
        "resource": "https://management.azure.com/",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v != ""}


def test_v1_token_has_the_articles_fields(emulator: RunningEmulator) -> None:
    before = emulator.ctx.counters["token"]
    r = httpx.post(f"{emulator.base_url}/{emulator.config.tenant_id}/oauth2/token", data=_form(emulator))
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "token_type",
        "expires_in",
        "ext_expires_in",
        "expires_on",
        "not_before",
        "resource",
        "access_token",
    }
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == "3600" and isinstance(body["expires_on"], str)
    assert int(body["expires_on"]) - int(body["not_before"]) >= 3600
    assert body["resource"] == "https://management.azure.com/"
    claims = _claims(body["access_token"])
    for name in ("aud", "iss", "tid", "appid", "iat", "nbf", "exp", "oid"):
        assert name in claims
    assert claims["aud"] == "https://management.azure.com/"
    assert claims["tid"] == emulator.config.tenant_id
    assert emulator.ctx.counters["token"] == before + 1


def test_v2_token_for_default_scope(emulator: RunningEmulator) -> None:
    cfg = emulator.config
    r = httpx.post(
        f"{emulator.base_url}/{cfg.tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
            "scope": "https://management.azure.com/.default",
            "client_info": "1",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["ext_expires_in"] == 3600
    assert _claims(body["access_token"])["aud"] == "https://management.azure.com"
    # and ARM accepts it
    ok = httpx.get(
        f"{emulator.base_url}/subscriptions/{cfg.subscription_id}/resourcegroups",
        params={"api-version": "2019-11-01"},
        headers={"Authorization": "Bearer " + body["access_token"]},
    )
    assert ok.status_code == 200


def test_v2_scope_without_default_suffix_is_invalid_scope(emulator: RunningEmulator) -> None:
    cfg = emulator.config
    r = httpx.post(
        f"{emulator.base_url}/{cfg.tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
            "scope": "https://management.azure.com/user_impersonation",
        },
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"


def test_wrong_secret_is_invalid_client(emulator: RunningEmulator) -> None:
    r = httpx.post(
        f"{emulator.base_url}/{emulator.config.tenant_id}/oauth2/token",
        data=_form(emulator, client_secret="not-the-secret"),
    )
    assert r.status_code == 401
    body = r.json()
    assert body["error"] == "invalid_client"
    assert body["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
    assert body["error_codes"] == [7000215]
    assert {"timestamp", "trace_id", "correlation_id"} <= set(body)
    assert "not-the-secret" not in r.text and emulator.config.client_secret not in r.text


def test_unknown_client_and_missing_parameters(emulator: RunningEmulator) -> None:
    url = f"{emulator.base_url}/{emulator.config.tenant_id}/oauth2/token"
    r = httpx.post(url, data=_form(emulator, client_id="11111111-1111-1111-1111-111111111111"))
    assert r.status_code == 400 and r.json()["error_codes"] == [700016]
    r = httpx.post(url, data=_form(emulator, client_secret=""))
    assert r.status_code == 401 and r.json()["error_codes"] == [7000216]
    r = httpx.post(url, data=_form(emulator, resource=""))
    assert r.status_code == 400 and "'resource'" in r.json()["error_description"]
    r = httpx.post(url, data=_form(emulator, grant_type="password"))
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"


def test_wrong_tenant(emulator: RunningEmulator) -> None:
    r = httpx.post(f"{emulator.base_url}/not-my-tenant/oauth2/token", data=_form(emulator))
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_request" and r.json()["error_codes"] == [90002]


def test_openid_configuration_documents(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(tls=True)
    tenant = emu.config.tenant_id
    v2 = httpx.get(f"{emu.base_url}/{tenant}/v2.0/.well-known/openid-configuration", verify=verify_for(emu)).json()
    assert v2["token_endpoint"] == f"{emu.base_url}/{tenant}/oauth2/v2.0/token"
    assert v2["authorization_endpoint"].startswith("https://")
    assert v2["token_endpoint"].startswith("https://")
    assert v2["issuer"] == f"{emu.base_url}/{tenant}/v2.0"
    v1 = httpx.get(f"{emu.base_url}/{tenant}/.well-known/openid-configuration", verify=verify_for(emu)).json()
    assert v1["token_endpoint"] == f"{emu.base_url}/{tenant}/oauth2/token"
    bad = httpx.get(f"{emu.base_url}/other/v2.0/.well-known/openid-configuration", verify=verify_for(emu))
    assert bad.status_code == 400


def test_managed_identity_endpoint(emulator: RunningEmulator) -> None:
    url = f"{emulator.base_url}/msi/token"
    params = {"api-version": "2019-08-01", "resource": "https://management.azure.com/"}
    assert httpx.get(url, params=params).status_code == 400  # no identity header
    r = httpx.get(url, params=params, headers={"X-IDENTITY-HEADER": "anything"})
    assert r.status_code == 200
    assert _claims(r.json()["access_token"])["aud"] == "https://management.azure.com/"
    assert httpx.get(url, params=params, headers={"Metadata": "true"}).status_code == 200


def _rg_list(emu: RunningEmulator, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(
        f"{emu.base_url}/subscriptions/{emu.config.subscription_id}/resourcegroups",
        params={"api-version": "2019-11-01"},
        headers=headers,
    )


def test_missing_token_is_401_with_challenge(emulator: RunningEmulator) -> None:
    r = _rg_list(emulator, {})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "AuthenticationFailed"
    challenge = r.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer authorization_uri=") and 'error="invalid_token"' in challenge
    # the article's typo'd header gets a hint
    r = _rg_list(emulator, {"Authentication": "Bearer x"})
    assert r.status_code == 401 and "'Authorization'" in r.json()["error"]["message"]


def test_malformed_and_forged_tokens_are_refused(
    emulator: RunningEmulator, make_emulator: Callable[..., RunningEmulator]
) -> None:
    r = _rg_list(emulator, {"Authorization": "Bearer not.a.jwt"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "InvalidAuthenticationToken"
    other = make_emulator()
    foreign = get_token(other)  # signed with another emulator's key
    r = _rg_list(emulator, {"Authorization": "Bearer " + foreign})
    assert r.status_code == 401 and r.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert foreign not in r.text


def test_expired_token(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(token_lifetime=1)
    token = get_token(emu)
    assert _rg_list(emu, {"Authorization": "Bearer " + token}).status_code == 200
    time.sleep(1.3)
    r = _rg_list(emu, {"Authorization": "Bearer " + token})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "ExpiredAuthenticationToken"
    assert "WWW-Authenticate" in r.headers


def test_wrong_audience(emulator: RunningEmulator) -> None:
    token = get_token(emulator, resource="https://storage.azure.com/")
    r = _rg_list(emulator, {"Authorization": "Bearer " + token})
    assert r.status_code == 401 and r.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"
    # the ml.azure.com audience is for the data plane only
    ml = get_token(emulator, resource="https://ml.azure.com")
    assert _rg_list(emulator, {"Authorization": "Bearer " + ml}).status_code == 401
    # both management audiences, with or without the trailing slash, are accepted by ARM
    for aud in ("https://management.core.windows.net/", "https://management.azure.com"):
        assert _rg_list(emulator, {"Authorization": "Bearer " + get_token(emulator, aud)}).status_code == 200


def test_data_plane_auth_uses_its_error_shape(emulator: RunningEmulator) -> None:
    sub = emulator.config.subscription_id
    ws = f"/subscriptions/{sub}/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w"
    r = httpx.get(f"{emulator.base_url}/history/v1.0{ws}/experiments")
    assert r.status_code == 401
    body = r.json()
    assert body["error"]["code"] == "AuthenticationFailed" and {"correlation", "time"} <= set(body)
    mms = httpx.get(f"{emulator.base_url}/modelmanagement/v1.0{ws}/models")
    assert mms.status_code == 401 and mms.json()["statusCode"] == 401
