"""Which ``api-version`` values the emulator accepts, per route group.

ARM requires the parameter; the data plane makes it optional (Microsoft's data-plane specs declare none,
the article sends ``2019-11-01``). ``--lax-api-version`` turns every check off.
"""

from __future__ import annotations

# Microsoft.MachineLearningServices, v1 operations (workspaces, computes, their operation status): every version
# Microsoft's Python SDKs of the last years send, with where each is sent from. Files of azureml-core 1.61.0.post4
# are relative to its package `azureml/` (`WS_OPS` = _base_sdk_common/workspace/operations/); these versions get
# the v1 shape even on paths the v2 surface shares (V2_VERSIONS below).
_WS_OPS = "azureml-core _base_sdk_common/workspace/operations/"
ML_V1_SOURCES: dict[str, str] = {
    "2019-06-01": "azureml-core _base_sdk_common/workspace/azure_machine_learning_workspaces.py:101 (client "
    "default); _model_management/_constants.py:21 WORKSPACE_RP_API_VERSION",
    "2019-11-01": "the article; azureml-core " + _WS_OPS + "quotas_operations.py:33, usages_operations.py:33, "
    "workspace_features_operations.py:32",
    "2020-01-01": _WS_OPS + "workspaces_operations.py:41 (workspace list, create, delete, listKeys)",
    "2020-02-02": "azureml-core _compute/_constants.py:5 MLC_WORKSPACE_API_VERSION (compute PUT, GET, list, "
    "DELETE on ARM and on the regional /rp/workspaces routes; the Azure-AsyncOperation polls, "
    "core/compute/compute.py:627)",
    "2020-04-01": _WS_OPS + "workspaces_operations.py:801 (private endpoint connections), "
    "private_link_resources_operations.py:37",
    "2020-06-01": "azureml-core _restclient/rest_client.py:242 and _restclient/operations/*_operations.py:36",
    "2020-08-01": "azure-mgmt-machinelearningservices 1.0.x (its default api_version)",
    "2021-01-01": "azureml-core _project/_commands.py:275 (workspace create and update)",
    "2021-04-01": _WS_OPS + "workspaces_operations.py:42 (resync keys, a long-running operation)",
    "2021-07-01": "kept from the earlier table: Microsoft's stable/2021-07-01 spec (no SDK that sends it was checked)",
    "2022-05-01": _WS_OPS + "workspaces_operations.py:92, :517 (workspace get and update)",
    "2022-10-01": "azure-mgmt-machinelearningservices 2.0.0b* (models for 2022-10-01)",
    "2023-04-01": "azure-mgmt-machinelearningservices 2.0.0b* (models for 2023-04-01)",
}
ML_VERSIONS: tuple[str, ...] = tuple(sorted(ML_V1_SOURCES))
# Microsoft.Resources: the article's 2019-11-01 (no resources.json has it; specs/README.md, management.yaml:
# "Resource-group api-version"), the newest 2019 contract 2019-10-01, and what azure-mgmt-resource sends
# (26.0.0: 2025-04-01).
RESOURCES_VERSIONS: tuple[str, ...] = ("2019-10-01", "2019-11-01", "2021-04-01", "2025-04-01")
# Data plane (optional): the article's value, the preview specs' 2019-08-01 / 2019-09-30, and what azureml-core
# sends: 2018-11-19 to model management (azureml-core _model_management/_constants.py:5
# MMS_WORKSPACE_API_VERSION, _restclient/operations/model_operations.py:36, service_operations.py:36,
# asset_operations.py:36); none to run history, execution, content, artifact or metric routes.
DATAPLANE_VERSIONS: tuple[str, ...] = ("2018-11-19", "2019-08-01", "2019-09-30", "2019-11-01")
# What azure-ai-ml 1.35 sends to the data plane for v2 jobs: "v1.0" to run history and metrics
# (azure/ai/ml/_restclient/runhistory, its client's api_version) and "1.5.0" to /data/v1.0 dataversion calls
# (azure/ai/ml/_restclient/dataset_dataplane).
DATAPLANE_VERSIONS += ("v1.0", "1.5.0")

# Microsoft.MachineLearningServices v2 (the surface azure-ai-ml uses), per collection of the workspace: the current
# stable 2025-12-01 and the bump target 2026-09-01 (Azure/azure-rest-api-specs specification/machinelearningservices/
# resource-manager/Microsoft.MachineLearningServices/stable/{2025-12-01,2026-09-01}/openapi.json), plus the versions
# azure-ai-ml 1.35.2 pins per operation group (azure/ai/ml/_ml_client.py, the `api_version=` of each
# MachineLearningServicesMgmtClient it builds; its _restclient/arm_ml_service default is 2025-12-01). A request with
# one of these versions on a path that v1 also serves (workspaces, computes) gets the v2 shape (v2/common.py).
_V2_STABLE = ("2025-12-01", "2026-09-01")
V2_VERSIONS: dict[str, tuple[str, ...]] = {
    "workspaces": ("2023-08-01-preview", "2024-10-01-preview", *_V2_STABLE),
    "computes": ("2023-08-01-preview", "2024-10-01-preview", *_V2_STABLE),
    "datastores": ("2023-04-01-preview", "2024-10-01-preview", *_V2_STABLE),
    "codes": ("2023-04-01", *_V2_STABLE),
    "environments": ("2023-04-01-preview", *_V2_STABLE),
    "models": ("2023-08-01-preview", *_V2_STABLE),
    "jobs": ("2024-01-01-preview", "2025-01-01-preview", *_V2_STABLE),
    "onlineEndpoints": ("2022-02-01-preview", "2023-04-01-preview", *_V2_STABLE),
}
# Every v2 version, for paths that serve several collections (operation status URLs echo the PUT's version).
V2_ALL: tuple[str, ...] = tuple(sorted({v for versions in V2_VERSIONS.values() for v in versions}))


def ml_versions(path: str) -> tuple[str, ...]:
    """The api-versions a Microsoft.MachineLearningServices ``path`` accepts: v1's plus its v2 collection's.

    The collection is the segment after ``workspaces/{name}`` (``onlineEndpoints/{e}/deployments`` counts as
    ``onlineEndpoints``); the workspace itself is ``workspaces``; any other path (locations, operations) takes
    every v2 version.
    """
    segs = path.split("/")
    try:
        at = segs.index("workspaces")
    except ValueError:
        return ML_VERSIONS + V2_ALL
    collection = segs[at + 2] if len(segs) > at + 2 else "workspaces"
    return ML_VERSIONS + V2_VERSIONS.get(collection, V2_ALL)


LAX_HINT = " (start the emulator with --lax-api-version to accept any value)"


def check(value: str | None, supported: tuple[str, ...], *, required: bool) -> tuple[str, str] | None:
    """None when ``value`` is acceptable, else ``(error_code, message)`` in ARM's wording."""
    if value is None or value == "":
        if not required:
            return None
        return (
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests. "
            f"Supported api-versions are '{', '.join(supported)}'." + LAX_HINT,
        )
    if value in supported:
        return None
    return (
        "InvalidApiVersionParameter",
        f"The api-version '{value}' is invalid. The supported versions are '{','.join(supported)}'." + LAX_HINT,
    )
