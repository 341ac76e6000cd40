"""Datastores (2025-12-01): list, get, createOrUpdate, delete, listSecrets, and each workspace's defaults.

Every workspace has two system datastores on its storage account (``properties.storageAccount``, served by the
blob store on the emulator's port), made on first use: ``workspaceblobstore`` (the default: ``isDefault``, the
container ``azureml-blobstore-{workspaceId}`` azure-ai-ml uploads models and job outputs to) and
``workspaceartifactstore`` (container ``azureml``, run artifacts ``ExperimentRun/dcid.{run}``). Both use account
keys: ``listSecrets`` answers ``{"secretsType": "AccountKey", "key": blobstore.account_key(...)}``.

Secrets a client sends with a datastore (account keys, SAS tokens, client secrets, certificates) are kept apart
(store kind ``v2:datastoresecrets``) and only ``listSecrets`` returns them; GET and list show ``secretsType`` alone,
as the service does (Datastore_list / Datastore_listSecrets examples of the 2025-12-01 spec).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import blobstore, lro
from ..armcommon import ML, json_body
from ..blobstore.accounts import account_of_resource_id
from ..context import Context
from . import common
from .common import bad, handler, route

KIND = "v2:datastores"
SECRETS = "v2:datastoresecrets"
DEFAULT = "workspaceblobstore"
ARTIFACTS = "workspaceartifactstore"
ARTIFACTS_CONTAINER = "azureml"
_TYPES = ("AzureBlob", "AzureDataLakeGen1", "AzureDataLakeGen2", "AzureFile", "OneLake")
_CREDENTIALS = ("AccountKey", "Certificate", "None", "Sas", "ServicePrincipal")
# Per credentials type: (fields of the credentials object, the secret's field in ``secrets``).
_SECRET_FIELD = {
    "AccountKey": "key",
    "Sas": "sasToken",
    "ServicePrincipal": "clientSecret",
    "Certificate": "certificate",
}
_CRED_FIELDS = {
    "ServicePrincipal": ("clientId", "tenantId", "authorityUrl", "resourceUrl"),
    "Certificate": ("clientId", "tenantId", "thumbprint", "authorityUrl", "resourceUrl"),
}
# Per datastore type: required and optional string fields.
_TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AzureBlob": (("accountName", "containerName"), ("endpoint", "protocol", "resourceGroup", "subscriptionId")),
    "AzureFile": (("accountName", "fileShareName"), ("endpoint", "protocol", "resourceGroup", "subscriptionId")),
    "AzureDataLakeGen2": (("accountName", "filesystem"), ("endpoint", "protocol", "resourceGroup", "subscriptionId")),
    "AzureDataLakeGen1": (("storeName",), ("resourceGroup", "subscriptionId")),
    "OneLake": (("oneLakeWorkspaceName",), ("endpoint",)),
}


def account_of(ctx: Context, workspace: Mapping[str, Any]) -> str:
    """The blob account of a workspace (its ``storageAccount``; the development account if it names none)."""
    name = account_of_resource_id((workspace.get("properties") or {}).get("storageAccount"))
    return name or blobstore.DEV_ACCOUNT


def default_container(workspace: Mapping[str, Any]) -> str:
    """The container of ``workspaceblobstore``: ``azureml-blobstore-{workspaceId}``."""
    return f"azureml-blobstore-{(workspace.get('properties') or {}).get('workspaceId', '')}".lower()


def ensure_defaults(ctx: Context, sub: str, rg: str, ws: str, workspace: Mapping[str, Any]) -> None:
    """Create the workspace's system datastores and their containers, once per workspace."""
    marker = common.ws_key(sub, rg, ws, DEFAULT)
    if ctx.store.get(KIND, marker) is not None:
        return
    account = account_of(ctx, workspace)
    storage = blobstore.for_context(ctx).storage
    who = ctx.config.client_id
    for name, container, is_default in (
        (DEFAULT, default_container(workspace), True),
        (ARTIFACTS, ARTIFACTS_CONTAINER, False),
    ):
        storage.ensure_container(account, container)
        doc = {
            "id": common.resource_id(sub, rg, ws, "datastores", name),
            "name": name,
            "type": f"{ML}/workspaces/datastores",
            "properties": {
                "description": None,
                "tags": {},
                "properties": {},
                "isDefault": is_default,
                "credentials": {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey"}},
                "datastoreType": "AzureBlob",
                "accountName": account,
                "containerName": container,
                "endpoint": "core.windows.net",
                "protocol": "https",
                "serviceDataAccessAuthIdentity": "None",
                "subscriptionId": sub,
                "resourceGroup": rg,
            },
            "systemData": common.system_data(None, who),
        }
        ctx.store.put(KIND, common.ws_key(sub, rg, ws, name), doc)


def _credentials(raw: Any) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The public credentials object and the secret to keep apart (None for identity access)."""
    cred = common.obj(raw, "properties.credentials", required=True)
    ctype = common.choice(cred.get("credentialsType"), _CREDENTIALS, "properties.credentials.credentialsType")
    public: dict[str, Any] = {"credentialsType": ctype}
    for field in _CRED_FIELDS.get(ctype, ()):
        value = common.opt_str(cred, field, "properties.credentials")
        if value is not None:
            public[field] = value
    if ctype == "None":
        return public, None
    secrets = common.obj(cred.get("secrets"), "properties.credentials.secrets", required=True)
    field = _SECRET_FIELD[ctype]
    value = secrets.get(field)
    if not isinstance(value, str) or not value:
        raise bad(f"'properties.credentials.secrets.{field}' is required for credentialsType '{ctype}'.")
    public["secrets"] = {"secretsType": ctype}
    return public, {"secretsType": ctype, field: value}


def _properties(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str] | None]:
    props = common.obj(body.get("properties"), "properties", required=True)
    dtype = common.choice(props.get("datastoreType"), _TYPES, "properties.datastoreType")
    out: dict[str, Any] = {**common.resource_base(props), "isDefault": False}
    credentials, secret = _credentials(props.get("credentials"))
    out["credentials"] = credentials
    out["datastoreType"] = dtype
    required, optional = _TYPE_FIELDS[dtype]
    for field in required:
        value = props.get(field)
        if not isinstance(value, str) or not value.strip():
            raise bad(f"'properties.{field}' is required for datastoreType '{dtype}'.")
        out[field] = value
    for field in optional:
        value = common.opt_str(props, field)
        if value is not None:
            out[field] = value
    if dtype == "OneLake":
        out["artifact"] = common.obj(props.get("artifact"), "properties.artifact", required=True)
    if dtype in ("AzureBlob", "AzureFile", "AzureDataLakeGen2"):
        out.setdefault("endpoint", "core.windows.net")
        out.setdefault("protocol", "https")
    out["serviceDataAccessAuthIdentity"] = common.choice(
        props.get("serviceDataAccessAuthIdentity"),
        ("None", "WorkspaceSystemAssignedIdentity", "WorkspaceUserAssignedIdentity"),
        "properties.serviceDataAccessAuthIdentity",
        "None",
    )
    return out, secret


def _listed(request: Request, docs: list[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], int]:
    """Datastores_List filters: ``isDefault``, ``names`` (csv), ``searchText``, ``orderBy``, ``orderByAsc``,
    ``count``."""
    q = request.query_params
    is_default = q.get("isDefault")
    if is_default is not None:
        want = common.choice(is_default, ("true", "false"), "isDefault") == "true"
        docs = [d for d in docs if bool(d["properties"].get("isDefault")) == want]
    names = [n.strip().lower() for n in q.getlist("names") for n in n.split(",") if n.strip()]
    if names:
        docs = [d for d in docs if str(d["name"]).lower() in names]
    text = (q.get("searchText") or "").lower()
    if text:
        docs = [d for d in docs if text in str(d["name"]).lower()]
    order = common.choice(q.get("orderBy"), ("createdtime", "modifiedtime", "name"), "orderBy", "createdtime")
    ascending = common.choice(q.get("orderByAsc"), ("true", "false"), "orderByAsc", "false") == "true"
    field = {"createdtime": "createdAt", "modifiedtime": "lastModifiedAt"}.get(order)

    def sort_key(d: Mapping[str, Any]) -> str:
        return str(d["name"]).lower() if field is None else str(d.get("systemData", {}).get(field, ""))

    docs = sorted(docs, key=sort_key, reverse=not ascending)
    return docs, common.int_param(request, "count") or 30


def routes(ctx: Context) -> list[BaseRoute]:
    """The datastore routes."""
    lro.register_kind(KIND, parents=("resourcegroups", "workspaces"))
    lro.register_kind(SECRETS, parents=("resourcegroups", "workspaces"))

    def target(request: Request) -> tuple[str, str, str, str]:
        sub, rg, ws, doc = common.workspace(ctx, request)
        ensure_defaults(ctx, sub, rg, ws, doc)
        return sub, rg, ws, request.path_params["name"]

    def require(sub: str, rg: str, ws: str, name: str) -> dict[str, Any]:
        doc = ctx.store.get(KIND, common.ws_key(sub, rg, ws, name))
        if doc is None:
            raise common.not_found("datastore", name)
        return doc

    @handler
    async def list_datastores(request: Request) -> Response:
        sub, rg, ws, doc = common.workspace(ctx, request)
        ensure_defaults(ctx, sub, rg, ws, doc)
        items, count = _listed(request, ctx.store.scan(KIND, common.ws_key(sub, rg, ws, "")))
        return JSONResponse(common.page(ctx, request, items, limit=count))

    @handler
    async def get_datastore(request: Request) -> Response:
        return JSONResponse(require(*target(request)))

    @handler
    async def put_datastore(request: Request) -> Response:
        sub, rg, ws, name = target(request)
        common.check_name(name, "datastore name")
        if name.lower() in (DEFAULT, ARTIFACTS):
            raise bad(f"The datastore '{name}' is a system datastore of the workspace and cannot be replaced.")
        props, secret = _properties(await json_body(request))
        key = common.ws_key(sub, rg, ws, name)
        existing = ctx.store.get(KIND, key)
        doc = {
            "id": common.resource_id(sub, rg, ws, "datastores", name),
            "name": name,
            "type": f"{ML}/workspaces/datastores",
            "properties": props,
            "systemData": common.system_data(existing, common.caller(request)),
        }
        ctx.store.put(KIND, key, doc)
        if secret is None:
            ctx.store.delete(SECRETS, key)
        else:
            ctx.store.put(SECRETS, key, secret)
        return JSONResponse(doc, status_code=200 if existing else 201)

    @handler
    async def delete_datastore(request: Request) -> Response:
        sub, rg, ws, name = target(request)
        if name.lower() in (DEFAULT, ARTIFACTS):
            raise bad(f"The datastore '{name}' is a system datastore of the workspace and cannot be deleted.")
        key = common.ws_key(sub, rg, ws, name)
        ctx.store.delete(SECRETS, key)
        return Response(status_code=200 if ctx.store.delete(KIND, key) else 204)

    @handler
    async def list_secrets(request: Request) -> Response:
        sub, rg, ws, name = target(request)
        doc = require(sub, rg, ws, name)
        if await request.body():  # SecretExpiry is optional; when sent it must be an object
            expiry = await json_body(request)
            common.opt_bool(expiry, "expirableSecret", False, "body")
        if name.lower() in (DEFAULT, ARTIFACTS):
            key = blobstore.account_key(ctx, doc["properties"]["accountName"])
            return JSONResponse({"secretsType": "AccountKey", "key": key})
        secret = ctx.store.get(SECRETS, common.ws_key(sub, rg, ws, name))
        if secret is None:
            raise bad(f"The datastore '{name}' uses identity-based access and has no secrets.", "NoSecrets")
        return JSONResponse(secret)

    return [
        route("/datastores", list_datastores, ["GET"]),
        route("/datastores/{name}", get_datastore, ["GET"]),
        route("/datastores/{name}", put_datastore, ["PUT"]),
        route("/datastores/{name}", delete_datastore, ["DELETE"]),
        route("/datastores/{name}/listSecrets", list_secrets, ["POST"]),
    ]
