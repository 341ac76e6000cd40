"""Resource groups: CRUD, delete as a long-running operation, paging, $top and $filter."""

from __future__ import annotations

from collections.abc import Callable

from azureml_emulator.server import RunningEmulator

from tests.emulator.support import Arm


def test_create_get_update_list(arm: Arm) -> None:
    rg = arm.new_group()
    r = arm.request("GET", arm.rg_path(rg))
    assert r.status_code == 200
    doc = r.json()
    assert doc["id"] == f"/subscriptions/{arm.sub}/resourceGroups/{rg}"
    assert doc["type"] == "Microsoft.Resources/resourceGroups"
    assert doc["properties"]["provisioningState"] == "Succeeded"
    r = arm.request("PUT", arm.rg_path(rg), json={"location": "eastus", "tags": {"team": "ml"}})
    assert r.status_code == 200 and r.json()["tags"] == {"team": "ml"}
    names = [g["name"] for g in arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups").json()["value"]]
    assert rg in names


def test_validation(arm: Arm) -> None:
    r = arm.request("PUT", arm.rg_path("rg-noloc"), json={})
    assert r.status_code == 400 and r.json()["error"]["code"] == "LocationRequired"
    r = arm.request("PUT", arm.rg_path("rg-bad"), content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "InvalidRequestContent"
    rg = arm.new_group()
    r = arm.request("PUT", arm.rg_path(rg), json={"location": "westus2"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "InvalidResourceGroupLocation"
    r = arm.request("GET", arm.rg_path("does-not-exist"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "ResourceGroupNotFound"
    r = arm.request("GET", "/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups")
    assert r.status_code == 404 and r.json()["error"]["code"] == "SubscriptionNotFound"


def test_delete_is_long_running_and_removes_children(arm: Arm) -> None:
    rg, ws = arm.new_workspace()
    r = arm.request("DELETE", arm.rg_path(rg))
    assert r.status_code == 202
    location = r.headers["Location"]
    assert "operationresults" in location.lower() and "api-version=" in location
    assert int(r.headers["retry-after-ms"]) == 50  # lro_delay 0.2 s / 4
    assert "Retry-After" not in r.headers  # sub-second: azure-core would prefer a whole second
    # while running: the group reports Deleting and the Location answers 202
    assert arm.request("GET", arm.rg_path(rg)).json()["properties"]["provisioningState"] == "Deleting"
    first = arm.client.get(location)
    assert first.status_code == 202 and "Location" in first.headers
    assert arm.wait(location).status_code == 204
    assert arm.request("GET", arm.rg_path(rg)).status_code == 404
    assert arm.request("GET", arm.ws_path(rg, ws)).status_code == 404
    assert arm.request("DELETE", arm.rg_path(rg)).status_code == 404


def test_paging_top_and_filter(make_emulator: Callable[..., RunningEmulator]) -> None:
    emu = make_emulator(page_size=2)
    arm = Arm(emu)
    groups = [arm.new_group() for _ in range(5)]
    arm.request("PUT", arm.rg_path(groups[0]), json={"location": "eastus", "tags": {"env": "dev"}})
    seen: list[str] = []
    r = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups")
    pages = 0
    while True:
        body = r.json()
        pages += 1
        seen += [g["name"] for g in body["value"]]
        if not body.get("nextLink"):
            break
        assert body["nextLink"].startswith(emu.base_url) and "%24skiptoken=" in body["nextLink"]
        r = arm.client.get(body["nextLink"])
    assert seen == groups and pages == 3
    top = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups", params={"$top": "1"}).json()
    assert [g["name"] for g in top["value"]] == groups[:1] and "nextLink" not in top
    flt = arm.request(
        "GET", f"/subscriptions/{arm.sub}/resourcegroups", params={"$filter": "tagName eq 'env' and tagValue eq 'dev'"}
    )
    assert [g["name"] for g in flt.json()["value"]] == [groups[0]]
    bad = arm.request("GET", f"/subscriptions/{arm.sub}/resourcegroups", params={"$skiptoken": "!!"})
    assert bad.status_code == 400
