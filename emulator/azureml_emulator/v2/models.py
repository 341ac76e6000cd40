"""Model assets (2025-12-01): containers and versions (see ``assets.py``).

A version names its files with ``modelUri``, create-only and required here: a job output
(``azureml://jobs/{job}/outputs/{output}/paths/{path}``), a datastore path (``azureml://datastores/{ds}/paths/...``
or the long form ``azureml://subscriptions/.../workspaces/{ws}/datastores/{ds}/paths/...`` azure-ai-ml 1.35 sends
after uploading a local file to ``workspaceblobstore``), an MLflow ``runs:/{run}/{path}``, or an ``https``/``wasbs``
URL (azure-ai-ml ``constants/_common.py`` URI formats). ``modelType`` is a free string (``custom_model``,
``mlflow_model``, ``triton_model``, ``CustomModel``); ``flavors`` is always an object (azure-ai-ml's
``Model._from_rest_object`` fails on ``null``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.routing import BaseRoute

from ..context import Context
from . import assets, common
from .common import bad

_URI = re.compile(
    r"^(azureml://(jobs/[^/]+/outputs/[^/]+(/paths/.*)?|datastores/[^/]+/paths/.*"
    r"|subscriptions/[^/]+/resource[gG]roups/[^/]+/(providers/Microsoft\.MachineLearningServices/)?workspaces/[^/]+"
    r"/datastores/[^/]+/paths/.*|registries/.+)|runs:/[^/]+/.*|https?://.+|wasbs?://.+|abfss?://.+)$"
)


def _validate(props: Mapping[str, Any], existing: Mapping[str, Any] | None) -> dict[str, Any]:
    uri = props.get("modelUri")
    if not isinstance(uri, str) or not uri.strip():
        raise bad("'properties.modelUri' is required: a job output, datastore path or URL of the model files.")
    if not _URI.match(uri) or "/../" in uri or uri.endswith("/.."):
        raise bad(f"'properties.modelUri' '{uri[:200]}' is not an azureml://, runs:/ or storage URL.")
    out: dict[str, Any] = {"modelUri": uri, "modelType": common.opt_str(props, "modelType") or "custom_model"}
    flavors = common.obj(props.get("flavors"), "properties.flavors")
    out["flavors"] = {
        str(name): {"data": common.string_map(common.obj(value, f"properties.flavors.{name}").get("data"), "data")}
        for name, value in flavors.items()
    }
    job = common.opt_str(props, "jobName")
    if job is not None:
        out["jobName"] = job
    elif uri.startswith("azureml://jobs/"):
        out["jobName"] = uri.split("/")[3]
    datasets = props.get("datasets")
    if datasets is not None:
        if not isinstance(datasets, list) or not all(isinstance(d, dict) for d in datasets):
            raise bad("'properties.datasets' must be a list of {name, id} objects.")
        out["datasets"] = [{k: d.get(k) for k in ("name", "id")} for d in datasets]
    return out


KIND = assets.AssetKind("models", "model", _validate)


def routes(ctx: Context) -> list[BaseRoute]:
    """The model container/version routes."""
    return assets.routes(ctx, KIND)
