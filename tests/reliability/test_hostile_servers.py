"""The overlay against hostile or broken servers: each case ends in a typed error or a tolerant result.

A custom cloud trusts exactly one host, ``127.0.0.1:<port>`` (the "trusted" server: ARM, login, discovery).
``127.0.0.2`` and ``localhost`` (other ports, same machine) play foreign hosts; each records every
``Authorization`` header it receives, and none may receive one. Never acceptable: ``KeyError``,
``JSONDecodeError``/``ValueError``, ``TypeError``, ``AttributeError``, ``RecursionError``, a crash or a hang.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from azureml_rest.client import AzureML
from azureml_rest.clouds import Cloud
from azureml_rest.config import HttpConfig
from azureml_rest.credentials import AccessToken
from azureml_rest.errors import (
    AzureMLError,
    InvalidResponseError,
    ServerError,
    ServiceError,
    UntrustedHostError,
)
from azureml_rest.retry import RetryPolicy

from tests.reliability.figures import Figures
from tests.reliability.hostile_server import HostileServer, Reply, json_reply

SUB = "00000000-0000-4000-8000-0000000005b5"
RG, WS = "rg1", "ws1"
ARM_WS = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.MachineLearningServices/workspaces/{WS}"
RG_PATH = f"/subscriptions/{SUB}/resourcegroups/{RG}"
RG_LIST = f"/subscriptions/{SUB}/resourcegroups"
MMS = f"/modelmanagement/v1.0{ARM_WS}"
HIST = f"/history/v1.0{ARM_WS}"
#: JWT-shaped, so the overlay's redaction treats it as a token; never sent anywhere but the trusted host.
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3N0aWxlLXRlc3RzIn0.aG9zdGlsZS1zZXJ2ZXItdGVzdC10b2tlbg"
HUGE = 50 * 1024 * 1024

#: What must never escape the overlay for a bad answer.
FORBIDDEN = (KeyError, ValueError, TypeError, AttributeError, RecursionError, IndexError, AssertionError)


class StaticCredential:
    """An azure-core style credential handing out one fixed JWT-shaped token; counts calls."""

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        return AccessToken(TOKEN, int(time.time()) + 3600)


@dataclass
class Hosts:
    trusted: HostileServer
    foreign_ip: HostileServer  # 127.0.0.2
    foreign_name: HostileServer  # "localhost" (bound on 127.0.0.1, another port)

    @property
    def foreign(self) -> tuple[HostileServer, HostileServer]:
        return (self.foreign_ip, self.foreign_name)


@pytest.fixture(scope="module")
def hosts() -> Iterator[Hosts]:
    h = Hosts(HostileServer("127.0.0.1"), HostileServer("127.0.0.2"),
              HostileServer("127.0.0.1", url_host="localhost"))
    yield h
    for s in (h.trusted, h.foreign_ip, h.foreign_name):
        s.close()


def _client(h: Hosts, **http: Any) -> AzureML:
    cloud = Cloud.custom("HostileCloud", authority_host=h.trusted.base_url, arm_endpoint=h.trusted.base_url)
    cfg = HttpConfig(retry=RetryPolicy(max_retries=1, backoff_factor=0.0, max_retry_after=0.05),
                     read_timeout=30.0, trust_env=False, **http)
    return AzureML(StaticCredential(), SUB, cloud=cloud, http=cfg)


# --- bodies ---------------------------------------------------------------------------------------------------


def _rg(name: str = RG) -> dict[str, Any]:
    return {"id": f"/subscriptions/{SUB}/resourceGroups/{name}", "name": name, "location": "eastus",
            "type": "Microsoft.Resources/resourceGroups", "properties": {"provisioningState": "Succeeded"}}


def _ws(discovery_url: str, **props: Any) -> dict[str, Any]:
    return {"id": ARM_WS, "name": WS, "type": "Microsoft.MachineLearningServices/workspaces", "location": "eastus",
            "properties": {"discoveryUrl": discovery_url, "provisioningState": "Succeeded", **props}}


HTML_502 = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
            b"<p>The proxy server received an invalid response from an upstream server.</p></body></html>")


def _huge_junk() -> Iterator[bytes]:
    block = b"<junk>" * (1024 * 1024 // 6) + b"...."
    sent = 0
    while sent < HUGE:
        chunk = block[: HUGE - sent]
        sent += len(chunk)
        yield chunk


def _huge_json_rg() -> tuple[Iterator[bytes], int]:
    """A valid resource group whose one tag value is 50 MB long."""
    head = json.dumps(_rg())[:-1].encode() + b', "tags": {"big": "'
    tail = b'"}}'
    body_len = HUGE
    total = len(head) + body_len + len(tail)

    def gen() -> Iterator[bytes]:
        yield head
        left = body_len
        block = b"x" * (1024 * 1024)
        while left > 0:
            n = min(left, len(block))
            yield block[:n]
            left -= n
        yield tail

    return gen(), total


# --- the cases ------------------------------------------------------------------------------------------------

Action = Callable[[AzureML], Any]


def get_rg(ml: AzureML) -> Any:
    return ml.resource_groups.get(RG)


def list_rgs(ml: AzureML) -> Any:
    return list(ml.resource_groups.list())


def get_ws(ml: AzureML) -> Any:
    return ml.workspaces.get(RG, WS)


def list_experiments(ml: AzureML) -> Any:
    return list(ml.workspace(RG, WS).v1.experiments.list())


def create_ws(ml: AzureML) -> Any:
    ids = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers"
    return ml.workspaces.begin_create_or_update(
        RG, WS, location="eastus", storage_account=f"{ids}/Microsoft.Storage/storageAccounts/s",
        key_vault=f"{ids}/Microsoft.KeyVault/vaults/k", application_insights=f"{ids}/Microsoft.Insights/components/a",
    ).result(timeout=10)


def delete_ws(ml: AzureML) -> Any:
    return ml.workspaces.begin_delete(RG, WS).result(timeout=10)


def create_service(ml: AzureML) -> Any:
    return ml.workspace(RG, WS).v1.services.begin_create(
        "svc", model_ids=["m:1"], driver_program="score.py", assets=["aml://artifact/ExperimentRun/dcid.r/score.py"],
    ).result(timeout=10)


@dataclass
class Case:
    """Routes to install, the call to make, and what is acceptable."""

    routes: Callable[[Hosts], object]
    action: Action
    expect: tuple[type[BaseException], ...] = (AzureMLError,)  # or "tolerant" results when check is given
    check: Callable[[Any], None] | None = None  # called on a result; a result without a check is a failure
    on_error: Callable[[BaseException], None] | None = None
    http: dict[str, Any] | None = None


def _trusted_discovery(h: Hosts, api: str) -> Hosts:
    h.trusted.route("GET", f"/subscriptions/{SUB}/resourcegroups/{RG}/providers/microsoft.machinelearningservices/"
                           f"workspaces/{WS}", json_reply(_ws(h.trusted.base_url + "/discovery")))
    h.trusted.route("GET", "/discovery", json_reply({"api": api, "history": api, "modelmanagement": api}))
    return h


def _excerpt_is_clean(exc: BaseException) -> None:
    assert isinstance(exc, ServerError) and exc.status_code == 502, repr(exc)
    assert exc.excerpt and "Bad Gateway" in exc.excerpt and "<" not in exc.excerpt, exc.excerpt


def _short_message(exc: BaseException) -> None:
    assert len(str(exc)) < 2000, f"error text is {len(str(exc))} characters"


def _untrusted(exc: BaseException) -> None:
    assert isinstance(exc, UntrustedHostError), repr(exc)


def _unknown_enum_kept(ws: Any) -> None:
    assert str(ws.properties.provisioning_state) == "Levitating"
    assert str(ws.name) == WS


def _huge_tag_kept(rg: Any) -> None:
    assert len(rg.tags.additional_properties["big"]) == HUGE


CASES: dict[str, Case] = {
    "html 502 gateway page": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(502, HTML_502, "text/html")), get_rg,
        (ServerError,), on_error=_excerpt_is_clean),
    "html page with 200": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, HTML_502, "text/html")), get_rg,
        (InvalidResponseError,)),
    "truncated json 200": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, json.dumps(_rg()).encode()[:37])), get_rg,
        (InvalidResponseError,)),
    "truncated json error body": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(500, b'{"error": {"code": "Internal", "mess')), get_rg,
        (ServerError,)),
    "connection cut mid-body": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, json.dumps(_rg()).encode()[:40], declared_length=4000)),
        get_rg, (AzureMLError, httpx.TransportError)),
    "json sent as text/plain": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, json.dumps(_rg()).encode(), "text/plain")), get_rg,
        (AzureMLError,), check=lambda rg: None if str(rg.name) == RG else pytest.fail(repr(rg))),
    "no content type": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, json.dumps(_rg()).encode(), None)), get_rg,
        (AzureMLError,), check=lambda rg: None if str(rg.name) == RG else pytest.fail(repr(rg))),
    "non-utf8 body": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, b'{"name": "\xff\xfe\xfd", "location": "x"}')), get_rg,
        (AzureMLError,), check=lambda rg: None),
    "unknown enum values": Case(
        lambda h: h.trusted.route("GET", f"{ARM_WS}".lower(), json_reply(_ws(
            "https://x.api.azureml.ms/discovery", provisioningState="Levitating", hbiWorkspace=True,
            brandNewField={"nested": [1, 2]}) | {"sku": {"name": "Quantum", "tier": "Quantum"},
                                                  "identity": {"type": "Telepathic"}})), get_ws,
        (AzureMLError,), check=_unknown_enum_kept),
    "missing required fields": Case(
        lambda h: h.trusted.route("GET", RG_PATH, json_reply({"name": RG})), get_rg, (InvalidResponseError,)),
    "wrong field types": Case(
        lambda h: h.trusted.route("GET", RG_PATH, json_reply({"name": 5, "location": ["x"], "tags": "no",
                                                              "properties": 7})), get_rg,
        (AzureMLError,), check=lambda rg: None),
    "json array instead of object": Case(
        lambda h: h.trusted.route("GET", RG_PATH, json_reply([1, 2, 3])), get_rg, (InvalidResponseError,)),
    "json null": Case(lambda h: h.trusted.route("GET", RG_PATH, Reply(200, b"null")), get_rg, (InvalidResponseError,)),
    "list value not a list": Case(
        lambda h: h.trusted.route("GET", RG_LIST, json_reply({"value": {"a": 1}})), list_rgs, (InvalidResponseError,)),
    "nesting bomb": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, b"[" * 200_000 + b"]" * 200_000)), get_rg,
        (InvalidResponseError,)),
    "status 520 empty body": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(520, b"", None)), get_rg, (ServerError,)),
    "huge junk body (50 MB)": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, chunks=_huge_junk(), declared_length=HUGE,
                                                        content_type="text/html")),
        get_rg, (InvalidResponseError,), on_error=_short_message),
    "huge error body (50 MB)": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(400, chunks=_huge_junk(), declared_length=HUGE,
                                                        content_type="text/html")),
        get_rg, (ServiceError,), on_error=_short_message),
    "huge valid body (50 MB)": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(200, chunks=(g := _huge_json_rg())[0],
                                                        declared_length=g[1])),
        get_rg, (AzureMLError,), check=_huge_tag_kept),
    "redirect to a foreign host (not followed)": Case(
        lambda h: h.trusted.route("GET", RG_PATH, Reply(302, b"", None,
                                                        {"Location": h.foreign_ip.base_url + RG_PATH})),
        get_rg, (AzureMLError,)),
    "redirect to a foreign host (follow_redirects=True)": Case(
        lambda h: (h.trusted.route("GET", RG_PATH, Reply(307, b"", None,
                                                         {"Location": h.foreign_name.base_url + RG_PATH})),
                   h.foreign_name.route("GET", RG_PATH, json_reply(_rg()))),
        get_rg, (AzureMLError,), check=lambda rg: None, http={"follow_redirects": True}),
    "discovery names a foreign non-loopback host": Case(
        lambda h: _trusted_discovery(h, "https://evil.example.com"), list_experiments, (UntrustedHostError,)),
    "discovery names a foreign host (127.0.0.2)": Case(
        lambda h: (_trusted_discovery(h, h.foreign_ip.base_url),
                   h.foreign_ip.route("GET", HIST, json_reply({"value": []}))),
        list_experiments, (UntrustedHostError,)),
    "discovery names a foreign host (localhost)": Case(
        lambda h: (_trusted_discovery(h, h.foreign_name.base_url),
                   h.foreign_name.route("GET", HIST, json_reply({"value": []}))),
        list_experiments, (UntrustedHostError,)),
    "discoveryUrl on a foreign host": Case(
        lambda h: (h.trusted.route("GET", ARM_WS.lower(), json_reply(_ws(h.foreign_ip.base_url + "/discovery"))),
                   h.foreign_ip.route("GET", "/discovery", json_reply({"api": "https://evil.example.com"}))),
        list_experiments, (UntrustedHostError,)),
    "Azure-AsyncOperation on a foreign host": Case(
        lambda h: h.trusted.route("PUT", ARM_WS.lower(), json_reply(
            _ws("x", provisioningState="Creating"), 201,
            Azure_AsyncOperation=f"{h.foreign_ip.base_url}/subscriptions/{SUB}/providers/"
                                 "Microsoft.MachineLearningServices/locations/eastus/operationsStatus/op1")),
        create_ws, (UntrustedHostError,)),
    "Location on a foreign host": Case(
        lambda h: h.trusted.route("DELETE", ARM_WS.lower(), Reply(202, b"", None, {
            "Location": f"{h.foreign_name.base_url}/subscriptions/{SUB}/providers/"
                        "Microsoft.MachineLearningServices/locations/eastus/operationResults/op2",
            "Retry-After": "0"})),
        delete_ws, (UntrustedHostError,)),
    "Operation-Location on a foreign host": Case(
        lambda h: (_trusted_discovery(h, h.trusted.base_url),
                   h.trusted.route("POST", f"{MMS}/services", Reply(202, b"", None, {
                       "Operation-Location": f"{h.foreign_ip.base_url}{MMS}/operations/op3"}))),
        create_service, (UntrustedHostError,)),
    "resourceLocation on a foreign host": Case(
        lambda h: (_trusted_discovery(h, h.trusted.base_url),
                   h.trusted.route("POST", f"{MMS}/services", Reply(202, b"", None, {
                       "Operation-Location": f"{h.trusted.base_url}{MMS}/operations/op4", "retry-after-ms": "1"})),
                   h.trusted.route("GET", f"{MMS}/operations/op4", json_reply({
                       "id": "op4", "state": "Succeeded",
                       "resourceLocation": f"{h.foreign_name.base_url}{MMS}/services/svc"}))),
        create_service, (UntrustedHostError,)),
    "operation status without a state": Case(
        lambda h: (_trusted_discovery(h, h.trusted.base_url),
                   h.trusted.route("POST", f"{MMS}/services", Reply(202, b"", None, {
                       "Operation-Location": f"{h.trusted.base_url}{MMS}/operations/op5", "retry-after-ms": "1"})),
                   h.trusted.route("GET", f"{MMS}/operations/op5", json_reply({"id": "op5", "state": 42}))),
        create_service, (InvalidResponseError,)),
    "nextLink on a foreign host": Case(
        lambda h: h.trusted.route("GET", RG_LIST, json_reply({
            "value": [_rg()], "nextLink": f"{h.foreign_ip.base_url}{RG_LIST}?$skiptoken=2"})),
        list_rgs, (UntrustedHostError,)),
    "nextLink that repeats forever": Case(
        lambda h: h.trusted.route("GET", RG_LIST, json_reply({
            "value": [_rg()], "nextLink": f"{h.trusted.base_url}{RG_LIST}?api-version=2019-10-01&$skiptoken=same"})),
        list_rgs, (AzureMLError,), check=lambda rgs: None if len(rgs) <= 3 else pytest.fail(f"{len(rgs)} items")),
    "401 forever": Case(
        lambda h: h.trusted.route("GET", RG_PATH, json_reply(
            {"error": {"code": "InvalidAuthenticationToken", "message": "no"}}, 401,
            WWW_Authenticate='Bearer error="invalid_token"')), get_rg, (ServiceError,)),
}


#: Known gaps, each pinned with its reason; strict, so each flips to a failure once fixed (then drop the mark).
KNOWN_GAPS: dict[str, str] = {}  # every gap found so far is fixed; a new one is pinned here with its reason


def _params() -> list[Any]:
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[n])) if n in KNOWN_GAPS
            else n for n in CASES]


def _run_case(hosts: Hosts, name: str) -> tuple[str, str | None]:
    """(outcome, failure message or None)."""
    case = CASES[name]
    with _client(hosts, **(case.http or {})) as ml:
        try:
            result = case.action(ml)
        except FORBIDDEN as exc:  # the point of this file: these must never escape
            return type(exc).__name__, f"{name}: {type(exc).__name__} escaped: {exc!r}"[:2000]
        except case.expect as exc:
            if case.on_error is not None:
                case.on_error(exc)
            assert TOKEN not in str(exc) and TOKEN not in repr(exc)
            return type(exc).__name__, None
        if case.check is None:
            msg = f"{name}: expected {[e.__name__ for e in case.expect]}, got a result {result!r}"
            return "unexpected result", msg[:2000]
        case.check(result)
        return "tolerant result", None


@pytest.mark.parametrize("name", _params())
def test_hostile_answer(hosts: Hosts, figures: Figures, name: str) -> None:
    for s in (hosts.trusted, *hosts.foreign):
        s.reset()
    CASES[name].routes(hosts)
    outcome, failure = _run_case(hosts, name)
    leaked = {s.base_url: s.authorizations() for s in hosts.foreign if s.authorizations()}
    figures.add_hostile(name, outcome, sum(len(v) for v in leaked.values()))
    assert not leaked, f"{name}: a foreign host received Authorization: {list(leaked)}"
    for s in hosts.foreign:
        assert all(TOKEN not in v for seen in s.seen for _k, v in seen.headers), "token in a foreign request"
    if failure is not None:
        pytest.fail(failure)


def test_trusted_host_is_the_only_one_that_got_the_token(hosts: Hosts) -> None:
    """Sanity check of the set-up: the trusted host does receive the bearer token (so 'none' above means none)."""
    for s in (hosts.trusted, *hosts.foreign):
        s.reset()
    hosts.trusted.route("GET", RG_PATH, json_reply(_rg()))
    with _client(hosts) as ml:
        assert str(ml.resource_groups.get(RG).name) == RG
    assert hosts.trusted.authorizations() == [f"Bearer {TOKEN}"]


def _seen_paths(server: HostileServer) -> list[str]:
    return [s.path for s in server.seen]


def test_foreign_discovery_url_is_fetched_without_authorization(hosts: Hosts) -> None:
    """A discoveryUrl is read with a plain GET (the SDK's behaviour): the foreign host sees the GET, no token."""
    for s in (hosts.trusted, *hosts.foreign):
        s.reset()
    CASES["discoveryUrl on a foreign host"].routes(hosts)
    with _client(hosts) as ml, pytest.raises(AzureMLError):
        list_experiments(ml)
    assert any(p.startswith("/discovery") for p in _seen_paths(hosts.foreign_ip))
    assert hosts.foreign_ip.authorizations() == []

