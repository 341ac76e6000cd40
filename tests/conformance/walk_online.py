"""The conformance walkthrough at 2025-12-01, online endpoints and deployments: an endpoint created and waited for
through its ``Azure-AsyncOperation`` URL, a deployment of an uploaded model and scoring script, traffic, keys
(listKeys, regenerateKeys) and scoring with one, an AMLToken endpoint's token, the deployment's logs and skus,
updates, then the deployment and the endpoints deleted (each long-running operation followed to its end)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.generated.emulator_world import World, ok
from tests.generated.ml_world import V2, deployment, unique

from .walk_common import follow, ml_env


def walk_online(http: httpx.Client, w: World) -> None:
    """Every OnlineEndpoints_* and OnlineDeployments_* operation of specs/machinelearning.yaml, and a score."""
    eps = f"{w.ws_path}/onlineEndpoints"
    name = unique("walk-ep")
    ep = f"{eps}/{name}"
    body: dict[str, Any] = {"location": w.location, "properties": {"authMode": "Key"}}
    follow(http, ok(http.put(ep, params=V2, json=body), 201))
    blue = deployment(ml_env(http, w), name, "blue")  # its PUT's Azure-AsyncOperation waited for
    routed = {**body, "properties": {**body["properties"], "traffic": {blue: 100}}}
    follow(http, ok(http.put(ep, params=V2, json=routed), 200, 201))
    scoring_uri = ok(http.get(ep, params=V2)).json()["properties"]["scoringUri"]
    ok(http.get(eps, params=V2))
    follow(http, ok(http.patch(ep, params=V2, json={"tags": {"walk": "yes"}}), 200, 202))
    _deployment(http, f"{ep}/deployments", blue)
    _keys_and_scoring(http, ep, scoring_uri)
    _token(http, w, eps)
    follow(http, ok(http.put(ep, params=V2, json={**body, "properties": {"authMode": "Key", "traffic": {}}})))
    follow(http, ok(http.delete(f"{ep}/deployments/{blue}", params=V2), 200, 202, 204))
    follow(http, ok(http.delete(ep, params=V2), 200, 202, 204))
    assert http.get(ep, params=V2).status_code == 404


def _deployment(http: httpx.Client, deployments: str, name: str) -> None:
    one = f"{deployments}/{name}"
    ok(http.get(one, params=V2))
    ok(http.get(deployments, params=V2))
    follow(http, ok(http.patch(one, params=V2, json={"tags": {"walk": "yes"}}), 200, 202))
    ok(http.post(f"{one}/getLogs", params=V2, json={"containerType": "InferenceServer", "tail": 20}))
    ok(http.get(f"{one}/skus", params=V2))


def _keys_and_scoring(http: httpx.Client, ep: str, scoring_uri: str) -> None:
    """listKeys, a score with the primary key (no spec: the user's script defines it), regenerateKeys."""
    key = ok(http.post(f"{ep}/listKeys", params=V2)).json()["primaryKey"]
    scored = http.post(scoring_uri, json={"data": [1, 2]}, headers={"Authorization": f"Bearer {key}"})
    assert scored.status_code == 200 and scored.json() == {"data": [1, 2]}, scored.status_code
    follow(http, ok(http.post(f"{ep}/regenerateKeys", params=V2, json={"keyType": "Secondary"}), 200, 202))
    assert http.post(scoring_uri, json={}, headers={"Authorization": "Bearer wrong"}).status_code == 401


def _token(http: httpx.Client, w: World, eps: str) -> None:
    """An AMLToken endpoint's token, then the endpoint deleted."""
    ep = f"{eps}/{unique('walk-tok')}"
    follow(http, ok(http.put(ep, params=V2, json={"location": w.location, "properties": {"authMode": "AMLToken"}})))
    ok(http.post(f"{ep}/token", params=V2))
    follow(http, ok(http.delete(ep, params=V2), 200, 202, 204))
