"""Environment assets (2025-12-01): containers and versions (see ``assets.py``).

A version is an ``image`` or a ``build`` context (``contextUri`` required, ``dockerfilePath``), optionally with a
``condaFile`` (YAML text), ``inferenceConfig`` routes, ``osType`` and ``autoRebuild``
(EnvironmentVersionProperties, azure-ai-ml 1.35 ``_restclient/arm_ml_service/models/_models.py``); every one of
them is create-only. ``environmentType`` is ``UserCreated`` (``Curated`` is the service's own). azure-ai-ml PUTs its
anonymous environment (``CliV2AnonymousEnvironment/versions/<hash>``) on every job submit: the same body again is
200.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.routing import BaseRoute

from ..context import Context
from . import assets, common
from .common import bad

_ROUTES = ("livenessRoute", "readinessRoute", "scoringRoute", "startupRoute")


def _route(raw: Any, where: str) -> dict[str, Any]:
    value = common.obj(raw, where, required=True)
    path, port = value.get("path"), value.get("port")
    if not isinstance(path, str) or not path.startswith("/"):
        raise bad(f"'{where}.path' must be a path starting with '/'.")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise bad(f"'{where}.port' must be a port number.")
    return {"path": path, "port": port}


def _validate(props: Mapping[str, Any], existing: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"environmentType": "UserCreated"}
    image = common.opt_str(props, "image")
    build = props.get("build")
    if image is None and build is None:
        raise bad("An environment version needs 'properties.image' or 'properties.build'.")
    if image is not None:
        if not image.strip():
            raise bad("'properties.image' must not be empty.")
        out["image"] = image
    if build is not None:
        ctx_uri = common.obj(build, "properties.build", required=True).get("contextUri")
        if not isinstance(ctx_uri, str) or not ctx_uri.strip():
            raise bad("'properties.build.contextUri' is required.")
        out["build"] = {"contextUri": ctx_uri}
        dockerfile = common.opt_str(build, "dockerfilePath", "properties.build")
        if dockerfile is not None:
            out["build"]["dockerfilePath"] = dockerfile
    conda = common.opt_str(props, "condaFile")
    if conda is not None:
        out["condaFile"] = conda
    if props.get("inferenceConfig") is not None:
        raw = common.obj(props["inferenceConfig"], "properties.inferenceConfig")
        out["inferenceConfig"] = {
            name: _route(raw[name], f"properties.inferenceConfig.{name}") for name in _ROUTES if raw.get(name)
        }
    out["osType"] = common.choice(props.get("osType"), ("Linux", "Windows"), "properties.osType", "Linux")
    out["autoRebuild"] = common.choice(
        props.get("autoRebuild"), ("Disabled", "OnBaseImageUpdate"), "properties.autoRebuild", "Disabled"
    )
    return out


KIND = assets.AssetKind("environments", "environment", _validate)


def routes(ctx: Context) -> list[BaseRoute]:
    """The environment container/version routes."""
    return assets.routes(ctx, KIND)
