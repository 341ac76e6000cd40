"""The validating recorder itself (tests/tools/openapi_validation.py): it catches what breaks the specs, passes a
good exchange, and picks the spec by path and api-version."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from azureml_rest._registry import GROUPS

from tests.tools.openapi_validation import SpecRecorder, data_plane, group_of, spec_name, spec_paths

pytestmark = pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")


def _mock_exchange(
    method: str, path: str, status: int, body: Any, headers: dict[str, str] | None = None, request_json: Any = None
) -> SpecRecorder:
    """Validate one made-up exchange, to show the recorder does catch what breaks the specs."""
    recorder = SpecRecorder()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body, headers=headers or {})

    with httpx.Client(
        base_url="http://127.0.0.1:9",
        transport=httpx.MockTransport(answer),
        event_hooks=recorder.hooks(),
        headers={"Authorization": "Bearer x"},
    ) as http:
        http.request(method, path, json=request_json)
    return recorder


WS_PATH = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"


def test_recorder_catches_a_wrong_field_type() -> None:
    recorder = _mock_exchange("GET", WS_PATH + "?api-version=2019-11-01", 200, {"name": "ws", "tags": ["not", "a map"]})
    assert recorder.violations and "tags" in recorder.violations[0]


def test_recorder_catches_a_missing_required_field_and_a_bad_status() -> None:
    run = "/execution/v1.0" + WS_PATH + "/experiments/e/runId/r1/cancel"
    assert _mock_exchange("POST", run, 200, {"status": "Canceled"}).violations  # StartRunResult.runId is required
    assert _mock_exchange("GET", "/discovery", 200, {"api": 5}).violations


def test_recorder_catches_an_accepted_bad_request() -> None:
    path = WS_PATH + "/computes/c1?api-version=2019-11-01"
    recorder = _mock_exchange("PATCH", path, 200, {"name": "c1"}, request_json={"properties": {"scaleSettings": 7}})
    assert any(" request: " in v for v in recorder.violations), recorder.violations


def test_recorder_passes_a_good_exchange() -> None:
    recorder = _mock_exchange("GET", "/discovery", 200, {"api": "https://eastus.api.azureml.ms"})
    assert recorder.checked == ["Discovery_Get 200"] and not recorder.violations


def test_arm_paths_go_to_the_group_serving_their_api_version() -> None:
    current = GROUPS["machinelearning"]
    for version in current.versions:  # 2025-12-01, and every side-by-side spec of specs/versions/
        assert group_of(WS_PATH, version) == ("machinelearning", "")
        expected = "machinelearning" if version == current.api_version else f"versions/machinelearning-{version}"
        assert spec_name("machinelearning", version) == expected
    for other in ("2019-11-01", "2019-10-01", None, "2031-01-01"):
        assert group_of(WS_PATH, other) == ("management", ""), other
    assert group_of("/providers/Microsoft.MachineLearningServices/operations", "2019-11-01") == ("management", "")
    assert spec_name("management", "2019-10-01") == "management"


def test_side_by_side_versions_are_checked_against_their_own_spec() -> None:
    versioned = [(g, v) for g, info in GROUPS.items() for v in info.versions if v != info.api_version]
    assert versioned, "the registry lists no side-by-side api-version"
    for group, version in versioned:
        assert spec_name(group, version) == f"versions/{group}-{version}"


def test_every_data_plane_path_maps_to_its_own_spec() -> None:
    for group in set(data_plane().values()):
        for path in spec_paths(group):
            assert group_of(path) == (group, ""), path


def test_v2_run_history_services_map_to_history() -> None:
    for prefix in ("/history/v1.0", "/metric/v2.0", "/data/v1.0"):
        assert group_of(prefix + WS_PATH + "/runs/r1/x") == ("history", ""), prefix
    assert group_of("/online/ep/score") is None and group_of("/_emulator/storage/accounts") is None


def test_an_exchange_at_2025_12_01_is_checked_against_machinelearning() -> None:
    code = WS_PATH + "x/codes/c/versions/1"  # 2025-12-01 names a workspace with 3 characters at least
    good = _mock_exchange("GET", code + "?api-version=2025-12-01", 200, {"properties": {}})
    assert good.seen == {("machinelearning", "CodeVersions_Get")} and not good.violations, good.violations
    wrong = _mock_exchange("GET", code + "?api-version=2025-12-01", 200, {"properties": 7})
    assert wrong.violations and wrong.violations[0].startswith("[machinelearning] CodeVersions_Get")
    # the same path at 2019-11-01 is management's, which declares no code assets
    old = _mock_exchange("GET", code + "?api-version=2019-11-01", 200, {"properties": {}})
    assert old.violations and "specs/management.yaml" in old.violations[0]
