"""Versioned assets (codes, environments, models): containers and versions, one engine for the three.

Per 2025-12-01 (``{WS}/{collection}[/{name}[/versions[/{version}]]]``): GET list, GET, PUT (200 updated / 201
created, never an LRO), DELETE (200 / 204 when absent). A container holds ``description``, ``tags``,
``properties``, ``isArchived`` and the read-only ``latestVersion``/``nextVersion`` (worked out from its versions
when read); a version holds the AssetBase fields plus what its :class:`AssetKind` validates. PUT of a version
makes its container when missing. A version's create-only fields cannot change (409 Conflict); ``description``,
``tags``, ``isArchived`` and ``stage`` can. Deleting a container deletes its versions.

Store kinds: ``v2:{collection}`` (keys ``sub/rg/ws/name``) and ``v2:{collection}:versions``
(``sub/rg/ws/name/version``); both go with their workspace. Store keys compare lower-cased, so ``Model`` and
``model`` are one asset here (the service treats asset names as case-sensitive); documents keep the case sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import lro
from ..armcommon import ML, ArmFailure, json_body
from ..context import Context
from . import common
from .common import bad, handler, route

# (version properties from the body, the stored version when updating) -> the kind-specific properties
Validate = Callable[[Mapping[str, Any], Mapping[str, Any] | None], dict[str, Any]]
# (ctx, request, workspace key prefix) -> the versions to list instead of the container's, or None
ListHook = Callable[[Context, Request, str], "list[Mapping[str, Any]] | None"]
_MUTABLE = ("description", "tags", "isArchived", "stage")
_ORDER_FIELDS = {"createdtime": "createdAt", "modifiedtime": "lastModifiedAt"}


@dataclass(frozen=True)
class AssetKind:
    """One asset collection: its path segment, what it is called in messages, and its version validator."""

    collection: str  # "codes", "environments", "models"
    label: str  # "code", "environment", "model"
    validate: Validate
    list_hook: ListHook | None = None
    mutable: tuple[str, ...] = ()  # version properties of this kind that a PUT may change

    @property
    def containers(self) -> str:
        return f"v2:{self.collection}"

    @property
    def versions(self) -> str:
        return f"v2:{self.collection}:versions"


def _numeric(versions: Sequence[Mapping[str, Any]]) -> list[int]:
    return [int(v["name"]) for v in versions if str(v["name"]).isdigit()]


def container_view(ctx: Context, kind: AssetKind, doc: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A container as answered: ``latestVersion`` (newest created) and ``nextVersion`` (highest integer + 1)."""
    out = dict(doc)
    props = dict(out.get("properties") or {})
    versions = ctx.store.list(kind.versions, key + "/")
    numbers = _numeric(versions)
    newest = max(enumerate(versions), key=lambda iv: (common.stamp(iv[1], "createdAt"), iv[0]), default=(0, None))[1]
    props["latestVersion"] = str(newest["name"]) if newest else None
    props["nextVersion"] = str(max(numbers) + 1) if numbers else "1"
    out["properties"] = props
    return out


def version_properties(kind: AssetKind, body: Mapping[str, Any], existing: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored properties of a version PUT (AssetBase + the kind's), checked against ``existing``."""
    props = common.obj(body.get("properties"), "properties", required=True)
    out: dict[str, Any] = {
        **common.resource_base(props),
        "isAnonymous": common.opt_bool(props, "isAnonymous", False),
        "isArchived": common.opt_bool(props, "isArchived", False),
    }
    stage = common.opt_str(props, "stage")
    if stage is not None:
        out["stage"] = stage
    out.update(kind.validate(props, existing))
    out["provisioningState"] = "Succeeded"
    if existing is not None:
        old = existing["properties"]
        for name in sorted(set(out) | set(old)):
            if name in _MUTABLE or name in kind.mutable or name in ("provisioningState", "properties"):
                continue
            if out.get(name) != old.get(name) and name in out:
                raise ArmFailure(
                    409,
                    "Conflict",
                    f"The {kind.label} version '{existing['name']}' exists and its '{name}' cannot change; "
                    "create a new version instead.",
                )
    return out


def routes(ctx: Context, kind: AssetKind) -> list[BaseRoute]:
    """The container and version routes of one asset kind."""
    lro.register_kind(kind.containers, parents=("resourcegroups", "workspaces"))
    lro.register_kind(kind.versions, parents=("resourcegroups", "workspaces"))
    arm_type = f"{ML}/workspaces/{kind.collection}"

    def names(request: Request, *, version: bool = False) -> tuple[str, str, str, str, str]:
        sub, rg, ws, _ = common.workspace(ctx, request)
        name = common.check_name(request.path_params["name"], f"{kind.label} name")
        ver = common.check_name(request.path_params["version"], f"{kind.label} version") if version else ""
        return sub, rg, ws, name, ver

    def require_container(sub: str, rg: str, ws: str, name: str) -> tuple[str, dict[str, Any]]:
        key = common.ws_key(sub, rg, ws, name)
        doc = ctx.store.get(kind.containers, key)
        if doc is None:
            raise common.not_found(f"{kind.label} container", name)
        return key, doc

    def order(request: Request, docs: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        raw = (request.query_params.get("$orderBy") or "createdtime desc").strip().lower().split()
        if not raw or raw[0] not in _ORDER_FIELDS or len(raw) > 2 or (len(raw) == 2 and raw[1] not in ("asc", "desc")):
            raise bad("'$orderBy' must be 'createdtime' or 'modifiedtime', optionally followed by 'asc' or 'desc'.")
        stamp = _ORDER_FIELDS[raw[0]]
        descending = len(raw) == 1 or raw[1] == "desc"
        return common.by_stamp(docs, stamp, descending=descending)

    @handler
    async def list_containers(request: Request) -> Response:
        sub, rg, ws, _ = common.workspace(ctx, request)
        view = common.list_view(request)
        prefix = common.ws_key(sub, rg, ws, "")
        docs = [
            container_view(ctx, kind, d, prefix + str(d["name"]))
            for d in ctx.store.scan(kind.containers, prefix)
            if common.in_view(d, view)
        ]
        return JSONResponse(common.page(ctx, request, docs, limit=common.int_param(request, "count")))

    @handler
    async def get_container(request: Request) -> Response:
        sub, rg, ws, name, _ = names(request)
        key, doc = require_container(sub, rg, ws, name)
        return JSONResponse(container_view(ctx, kind, doc, key))

    def put_container_doc(request: Request, sub: str, rg: str, ws: str, name: str, props: Mapping[str, Any]) -> bool:
        key = common.ws_key(sub, rg, ws, name)
        existing = ctx.store.get(kind.containers, key)
        doc = {
            "id": common.resource_id(sub, rg, ws, kind.collection, name),
            "name": name,
            "type": arm_type,
            "properties": {
                **common.resource_base(props),
                "isArchived": common.opt_bool(props, "isArchived", False),
                "provisioningState": "Succeeded",
            },
            "systemData": common.system_data(existing, common.caller(request)),
        }
        ctx.store.put(kind.containers, key, doc)
        return existing is None

    @handler
    async def put_container(request: Request) -> Response:
        sub, rg, ws, name, _ = names(request)
        body = await json_body(request)
        created = put_container_doc(request, sub, rg, ws, name, common.obj(body.get("properties"), "properties"))
        key, doc = require_container(sub, rg, ws, name)
        return JSONResponse(container_view(ctx, kind, doc, key), status_code=201 if created else 200)

    @handler
    async def delete_container(request: Request) -> Response:
        sub, rg, ws, name, _ = names(request)
        key = common.ws_key(sub, rg, ws, name)
        for version_key in ctx.store.keys(kind.versions, key + "/"):
            ctx.store.delete(kind.versions, version_key)
        return Response(status_code=200 if ctx.store.delete(kind.containers, key) else 204)

    @handler
    async def list_versions(request: Request) -> Response:
        sub, rg, ws, _ = common.workspace(ctx, request)
        name = common.check_name(request.path_params["name"], f"{kind.label} name")
        view = common.list_view(request)
        found = kind.list_hook(ctx, request, common.ws_key(sub, rg, ws, "")) if kind.list_hook else None
        if found is None:
            found = list(ctx.store.scan(kind.versions, common.ws_key(sub, rg, ws, name, "")))
        docs = order(request, [d for d in found if common.in_view(d, view)])
        top = common.int_param(request, "$top")
        docs = docs[:top] if top is not None else docs
        return JSONResponse(common.page(ctx, request, docs))

    @handler
    async def get_version(request: Request) -> Response:
        sub, rg, ws, name, version = names(request, version=True)
        doc = ctx.store.get(kind.versions, common.ws_key(sub, rg, ws, name, version))
        if doc is None:
            raise common.not_found(f"{kind.label} version", f"{name}:{version}")
        return JSONResponse(doc)

    @handler
    async def put_version(request: Request) -> Response:
        sub, rg, ws, name, version = names(request, version=True)
        body = await json_body(request)
        key = common.ws_key(sub, rg, ws, name, version)
        existing = ctx.store.get(kind.versions, key)
        props = version_properties(kind, body, existing)
        if ctx.store.get(kind.containers, common.ws_key(sub, rg, ws, name)) is None:
            put_container_doc(request, sub, rg, ws, name, {})
        doc = {
            "id": common.resource_id(sub, rg, ws, kind.collection, name, "versions", version),
            "name": version,
            "type": f"{arm_type}/versions",
            "properties": props,
            "systemData": common.system_data(existing, common.caller(request)),
        }
        ctx.store.put(kind.versions, key, doc)
        return JSONResponse(doc, status_code=200 if existing else 201)

    @handler
    async def delete_version(request: Request) -> Response:
        sub, rg, ws, name, version = names(request, version=True)
        gone = ctx.store.delete(kind.versions, common.ws_key(sub, rg, ws, name, version))
        return Response(status_code=200 if gone else 204)

    base = "/" + kind.collection
    return [
        route(base, list_containers, ["GET"]),
        route(base + "/{name}", get_container, ["GET"]),
        route(base + "/{name}", put_container, ["PUT"]),
        route(base + "/{name}", delete_container, ["DELETE"]),
        route(base + "/{name}/versions", list_versions, ["GET"]),
        route(base + "/{name}/versions/{version}", get_version, ["GET"]),
        route(base + "/{name}/versions/{version}", put_version, ["PUT"]),
        route(base + "/{name}/versions/{version}", delete_version, ["DELETE"]),
    ]
