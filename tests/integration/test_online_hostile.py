"""Hostile answers over real HTTP from an ARM double (tests/reliability/hostile_server.py) that answers what
a compromised or buggy service could: an operation-status URL on another host, a ``scoringUri`` on a foreign
host for a token endpoint, a plain-http ``scoringUri``, an upload SAS on a foreign host. Each is refused before
a credential could leave, and the double sees no request after the refusal. I/O-free checks of the scoring rule
and the datastore secret are here too."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azureml_rest.client import AzureML
from azureml_rest.clouds import Cloud
from azureml_rest.credentials._token import AccessToken
from azureml_rest.errors import InsecureTransportError, UntrustedHostError, UntrustedScoringHostError
from azureml_rest.operations.datastores import DatastoreSecret
from azureml_rest.operations.models_v2 import ModelVersionOperations
from azureml_rest.operations.online_endpoints import OnlineEndpointOperations, check_scoring_target
from azureml_rest.trust import HostPolicy

from tests.reliability.hostile_server import HostileServer, Reply, Seen, json_reply

SUB = "00000000-0000-0000-0000-000000000000"
TOKEN = "arm-token-that-must-stay-home"
FOREIGN = "https://attacker.example.net"


class StaticCredential:
    """A credential handing out one fixed ARM token (the double accepts anything)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(TOKEN, int(time.time()) + 3600)


def endpoint_doc(name: str, scoring_uri: str, auth_mode: str, state: str = "Succeeded") -> dict[str, Any]:
    return {"id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
                  f"/onlineEndpoints/{name}", "name": name, "location": "eastus",
            "properties": {"authMode": auth_mode, "scoringUri": scoring_uri, "provisioningState": state,
                           "traffic": {}}}


WS = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"


def _endpoint_name(seen: Seen) -> str:
    return seen.path.split("?", 1)[0].split("/onlineEndpoints/", 1)[1].split("/", 1)[0]


def _created(seen: Seen) -> Reply:
    return json_reply(endpoint_doc(_endpoint_name(seen), "", "Key", "Creating"), 201,
                      Azure_AsyncOperation=f"{FOREIGN}/operationsStatus/1?api-version=2025-12-01")


def _post(seen: Seen) -> Reply:
    if seen.path.split("?", 1)[0].endswith("/startPendingUpload"):
        sas = f"{FOREIGN}/acct/container/LocalUpload/1?sv=2021-08-06&sp=racwl&sig=c2lnbmF0dXJl"
        return json_reply({"pendingUploadId": "1", "pendingUploadType": "TemporaryBlobReference",
                           "blobReferenceForConsumption": {
                               "blobUri": f"{FOREIGN}/acct/container/LocalUpload/1",
                               "credential": {"credentialType": "SAS", "sasUri": sas}}})
    return json_reply({"primaryKey": "k1", "secondaryKey": "k2", "accessToken": "t", "tokenType": "Bearer"})


@pytest.fixture
def double() -> Iterator[tuple[str, list[Seen]]]:
    server = HostileServer()
    server.route("PUT", f"{WS}/onlineEndpoints/", _created)
    server.route("GET", f"{WS}/datastores", json_reply({"value": []}))
    server.route("GET", f"{WS}/onlineEndpoints/evil-token",
                 json_reply(endpoint_doc("evil-token", f"{FOREIGN}/score", "AMLToken")))
    server.route("GET", f"{WS}/onlineEndpoints/plain-key",
                 json_reply(endpoint_doc("plain-key", "http://scoring.example.net/score", "Key")))
    server.route("POST", f"{WS}/", _post)
    try:
        yield server.base_url, server.seen
    finally:
        server.close()


def ops_for(base: str) -> tuple[AzureML, OnlineEndpointOperations]:
    ml = AzureML(StaticCredential(), SUB, cloud=Cloud.emulator(base))
    return ml, OnlineEndpointOperations(ml.workspace("rg", "ws"))


def test_operation_url_on_another_host_is_refused(double: tuple[str, list[Seen]]) -> None:
    base, seen = double
    ml, endpoints = ops_for(base)
    with ml, pytest.raises(UntrustedHostError, match=r"attacker\.example\.net") as info:
        endpoints.begin_create_or_update("ep-hostile", location="eastus")
    assert TOKEN not in str(info.value)
    assert [s.method for s in seen] == ["PUT"]  # nothing was polled


def test_scoring_uri_on_a_foreign_host_never_gets_a_token(double: tuple[str, list[Seen]]) -> None:
    base, seen = double
    ml, endpoints = ops_for(base)
    with ml, pytest.raises(UntrustedScoringHostError, match=r"'evil-token'.*attacker\.example\.net") as info:
        endpoints.invoke("evil-token", {"data": [1]}, auth="token")
    assert isinstance(info.value, UntrustedHostError) and info.value.endpoint == "evil-token"
    assert [s.method for s in seen] == ["GET"]  # the endpoint was read; no token was asked for, nothing scored


def test_plain_http_scoring_uri_gets_no_key(double: tuple[str, list[Seen]]) -> None:
    base, seen = double
    ml, endpoints = ops_for(base)
    with ml, pytest.raises(InsecureTransportError):
        endpoints.invoke("plain-key", {"data": [1]})
    assert [s.method for s in seen] == ["GET"]  # listKeys was never called


def test_upload_sas_on_a_foreign_host_is_refused(double: tuple[str, list[Seen]],
                                                  tmp_path: Path) -> None:
    base, seen = double
    ml = AzureML(StaticCredential(), SUB, cloud=Cloud.emulator(base))
    model = tmp_path / "weights.json"
    model.write_text("{}")
    with ml, pytest.raises(UntrustedHostError, match=r"attacker\.example\.net") as info:
        ModelVersionOperations(ml.workspace("rg", "ws")).create("m", "1", model)
    assert "c2lnbmF0dXJl" not in str(info.value)
    assert [s.method for s in seen] == ["GET", "POST"]  # default datastore, startPendingUpload; no PUT of the model


def test_scoring_rule() -> None:
    cloud = Cloud.emulator("http://127.0.0.1:5000")
    trust = HostPolicy(cloud)
    check_scoring_target("http://127.0.0.1:5000/online/ep/score", "token", trust)
    check_scoring_target("http://127.0.0.1:5000/online/ep/score", "key", trust)
    # the key goes to the scoringUri ARM returned for its endpoint, wherever it is (https)...
    check_scoring_target("https://ep.customer.example.com/score", "key", trust)
    # ...a token only to trusted hosts, and nothing over plain http off loopback
    with pytest.raises(UntrustedHostError):
        check_scoring_target("https://ep.customer.example.com/score", "token", trust)
    with pytest.raises(InsecureTransportError):
        check_scoring_target("http://ep.customer.example.com/score", "key", trust)
    public = HostPolicy(Cloud.emulator("http://127.0.0.1:5000").with_trusted_hosts(".inference.ml.azure.com"))
    check_scoring_target("https://ep.eastus.inference.ml.azure.com/score", "token", public)


def test_datastore_secret_never_shows() -> None:
    secret = DatastoreSecret("AccountKey", "c2VjcmV0LWFjY291bnQta2V5")
    for shown in (repr(secret), str(secret), f"{secret}", repr([secret])):
        assert "c2VjcmV0" not in shown and "AccountKey" in shown
    assert secret.reveal() == "c2VjcmV0LWFjY291bnQta2V5"
    with pytest.raises(TypeError):
        pickle.dumps(secret)
