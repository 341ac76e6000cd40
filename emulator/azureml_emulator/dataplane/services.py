"""Model management services and operations (``M/services``, ``M/operations``; specs/modelmanagement.yaml).

Create answers 202 with ``Operation-Location``; the operation goes NotStarted → Running → Succeeded
(or Failed with an error) and the service Transitioning → Healthy (or Failed). Keys are 32 hex chars;
service tokens are HMAC-signed, name the service and expire after ``config.token_lifetime`` seconds.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .. import lro
from ..context import Context
from ..errors import mms_error
from . import jsonpatch, records
from .common import BadRequest, ci_route, query_param, read_json, utc_now
from .handlers import ws_endpoint
from .models import _matches_map, _string_map, _tag_filter, order_docs, paged
from .state import DataPlane, state_of
from .workspace import Workspace

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9\-]{1,30}[a-z0-9]$")
PATCHABLE: dict[str, jsonpatch.Field] = {
    "description": str,
    "kvTags": dict,
    "properties": dict,
    "authEnabled": bool,
}
_TOKEN_DOMAIN = b"azureml-emulator-service-token:"


def new_key() -> str:
    """A fresh service key (32 hex characters, like Azure ML's)."""
    return secrets.token_hex(16)


def _key_value(value: Any, name: str) -> str:
    if not isinstance(value, str) or not 8 <= len(value) <= 256 or not value.isprintable() or " " in value:
        raise BadRequest(f"'{name}' must be a string of 8 to 256 printable characters without spaces")
    return value


class TokenSigner:
    """Issues and checks service tokens (HMAC over the service's store key and the expiry)."""

    def __init__(self, dp: DataPlane) -> None:
        self._dp = dp

    def _sig(self, payload: bytes) -> str:
        return self._dp.signer.sign((_TOKEN_DOMAIN + payload).decode())

    def issue(self, service_key: str, lifetime: float) -> tuple[str, int]:
        """A token for ``service_key`` and its expiry (epoch seconds)."""
        expiry = int(time.time() + lifetime)
        payload = json.dumps({"s": service_key.lower(), "e": expiry, "n": uuid.uuid4().hex}).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sig(payload)}", expiry

    def check(self, token: str, service_key: str) -> bool:
        """True when ``token`` is ours, names ``service_key`` and has not expired."""
        body, _, sig = token.partition(".")
        if not body or not sig:
            return False
        try:
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            data = json.loads(payload)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return False
        if not hmac.compare_digest(self._sig(payload), sig) or not isinstance(data, dict):
            return False
        return data.get("s") == service_key.lower() and isinstance(data.get("e"), int) and data["e"] > time.time()


def public_service(dp: DataPlane, svc: dict[str, Any]) -> dict[str, Any]:
    """The ServiceResponse of a stored service (never its keys)."""
    return records.public(svc)


class ServicesApi:
    """Handlers of services, keys, tokens and operations."""

    def __init__(self, dp: DataPlane) -> None:
        self.dp = dp
        self.ctx = dp.ctx
        self.tokens = TokenSigner(dp)

    def _key(self, ws: Workspace, name: str) -> str:
        return ws.child(name)

    def _get(self, ws: Workspace, request: Request) -> dict[str, Any]:
        sid = str(request.path_params["id"])
        svc = self.ctx.store.get("dp:services", self._key(ws, sid))
        if svc is None:
            raise BadRequest(f"Service '{sid[:300]}' was not found.", "ServiceNotFound", 404)
        return svc

    # ---- create / list / get / patch / delete ---------------------------------------------------

    async def create(self, request: Request, ws: Workspace) -> Response:
        """POST M/services: validate, store (Transitioning) and deploy in the background; 202."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be a CreateServiceRequest object")
        name = body.get("name")
        if not isinstance(name, str) or not SERVICE_NAME.match(name):
            raise BadRequest(
                "'name' is required: 3 to 32 characters, lower-case letters, digits and '-', "
                "starting with a letter and ending with a letter or digit"
            )
        compute = body.get("computeType", "ACI")
        if not isinstance(compute, str) or not compute:
            raise BadRequest("'computeType' must be a string such as ACI or AKS")
        image = body.get("environmentImageRequest")
        if not isinstance(image, dict):
            raise BadRequest(
                "'environmentImageRequest' is required: the emulator deploys from its driverProgram, "
                "assets and modelIds (imageId deployments are not supported)"
            )
        driver = image.get("driverProgram")
        if not isinstance(driver, str) or not driver.strip():
            raise BadRequest("environmentImageRequest.driverProgram must name the scoring script")
        assets = image.get("assets") or []
        if not isinstance(assets, list) or not all(
            isinstance(a, dict) and isinstance(a.get("url"), str) for a in assets
        ):
            raise BadRequest("environmentImageRequest.assets must be an array of {url, ...}")
        model_ids = _model_ids(image)
        for key in ("description",):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise BadRequest(f"'{key}' must be a string")
        auth = body.get("authEnabled", True)
        if not isinstance(auth, bool):
            raise BadRequest("'authEnabled' must be a boolean")
        keys = body.get("keys") or {}
        if not isinstance(keys, dict):
            raise BadRequest("'keys' must be an object {primaryKey, secondaryKey}")
        primary = _key_value(keys["primaryKey"], "primaryKey") if keys.get("primaryKey") else new_key()
        secondary = _key_value(keys["secondaryKey"], "secondaryKey") if keys.get("secondaryKey") else new_key()
        with records.LOCK:
            if self.ctx.store.get("dp:services", self._key(ws, name)) is not None:
                return mms_error(409, "ServiceAlreadyExists", f"A service named '{name}' already exists; "
                                 "update it with PATCH or delete it first.")  # fmt: skip
            owner = self.ctx.store.get("dp:scoring", name)
            if owner is not None:
                return mms_error(409, "ServiceNameInUse", f"The service name '{name}' is in use by another "
                                 "workspace of this emulator (scoring URIs are per name).")  # fmt: skip
            op_id = str(uuid.uuid4())
            now = utc_now()
            base = f"{self.ctx.base_url}/scoring/{name}"
            models = [records.public(m) for m in (self.ctx.store.get("dp:models", ws.child(i)) for i in model_ids) if m]
            svc: dict[str, Any] = {
                "id": name,
                "name": name,
                "description": body.get("description"),
                "kvTags": _string_map(body.get("kvTags"), "kvTags"),
                "properties": _string_map(body.get("properties"), "properties"),
                "operationId": op_id,
                "state": "Transitioning",
                "createdTime": now,
                "updatedTime": now,
                "error": None,
                "computeType": compute,
                "deploymentType": body.get("deploymentType") or "HttpRealtimeEndpoint",
                "scoringUri": f"{base}/score",
                "swaggerUri": f"{base}/swagger.json",
                "authEnabled": auth,
                "location": body.get("location") or self.ctx.config.location,
                "models": models,
                "imageId": None,
                "containerResourceRequirements": _resources(body.get("containerResourceRequirements")),
                "environmentImageRequest": image,
                # Returned as null when unset, as the service does: azureml-core requires these keys in an ACI
                # service (azureml/core/webservice/aci.py _expected_payload_keys, line 126).
                **{k: body.get(k) for k in ("appInsightsEnabled", "cname", "publicIp", "sslEnabled")},
                "sslCertificate": None,
                "sslKey": None,
                "_modelIds": model_ids,
                "_keys": {"primaryKey": primary, "secondaryKey": secondary},
                "_ws": ws.key,
                "_logBlob": f"dp/services/{uuid.uuid4().hex}/log.txt",
            }
            self.ctx.store.put("dp:services", self._key(ws, name), svc)
            self.ctx.store.put("dp:scoring", name, {"ws": ws.key, "name": name})
            self.ctx.store.put(
                "dp:mmsops",
                ws.child(op_id),
                {
                    "id": op_id,
                    "operationType": "Service",
                    "state": "NotStarted",
                    "createdTime": now,
                    "endTime": None,
                    "error": None,
                    "resourceLocation": f"{ws.mms_path()}/services/{name}",
                    "parentRequestId": request.headers.get("x-ms-client-request-id"),
                    "_ws": ws.key,
                },
            )
        self.dp.services.start(ws.key, name, op_id)
        location = f"{self.ctx.base_url}{ws.mms_path()}/operations/{op_id}"
        return Response(status_code=202, headers={"Operation-Location": location})

    async def list(self, request: Request, ws: Workspace) -> Response:
        """GET M/services with filters name, modelId, modelName, computeType, tags, properties; paging."""
        docs = self.ctx.store.list("dp:services", ws.key + "/")
        name = query_param(request, "name")
        if name:
            docs = [d for d in docs if d.get("name") == name]
        compute = query_param(request, "computeType")
        if compute:
            docs = [d for d in docs if str(d.get("computeType", "")).lower() == compute.lower()]
        model_id = query_param(request, "modelId")
        if model_id:
            docs = [d for d in docs if model_id in d.get("_modelIds", [])]
        model_name = query_param(request, "modelName")
        if model_name:
            docs = [d for d in docs if any(i.split(":")[0] == model_name for i in d.get("_modelIds", []))]
        tags = _tag_filter(query_param(request, "tags"))
        props = _tag_filter(query_param(request, "properties"))
        docs = [d for d in docs if _matches_map(d.get("kvTags"), tags) and _matches_map(d.get("properties"), props)]
        for d in docs:
            d["modifiedTime"] = d.get("updatedTime")
        docs = order_docs(docs, query_param(request, "orderby", "orderBy"), "UpdatedAtDesc")
        for d in docs:
            d.pop("modifiedTime", None)
        return paged(self.dp, request, docs)

    async def get(self, request: Request, ws: Workspace) -> Response:
        """GET M/services/{id}."""
        return JSONResponse(public_service(self.dp, self._get(ws, request)))

    async def patch(self, request: Request, ws: Workspace) -> Response:
        """PATCH M/services/{id}: json-patch on description, kvTags, properties, authEnabled; 200."""
        ops = await read_json(request)
        with records.LOCK:
            svc = self._get(ws, request)
            updated = jsonpatch.apply(svc, ops, PATCHABLE)
            updated["updatedTime"] = utc_now()
            self.ctx.store.put("dp:services", self._key(ws, str(svc["name"])), updated)
        return JSONResponse(public_service(self.dp, updated))

    async def delete(self, request: Request, ws: Workspace) -> Response:
        """DELETE M/services/{id}: 200 when deleted (worker stopped), 204 when it did not exist."""
        sid = str(request.path_params["id"])
        with records.LOCK:
            svc = self.ctx.store.get("dp:services", self._key(ws, sid))
            if svc is None:
                return Response(status_code=204)
            key = self._key(ws, str(svc["name"]))
            # The record and its name go in one hold of the lock: a create never sees one gone and not the other.
            self.ctx.store.delete("dp:services", key)
            _free_scoring_name(self.ctx, key)
        self.dp.services.stop(key)
        return Response(status_code=200)

    # ---- keys and tokens ------------------------------------------------------------------------

    async def list_keys(self, request: Request, ws: Workspace) -> Response:
        """POST M/services/{id}/listkeys: AuthKeys."""
        svc = self._get(ws, request)
        return JSONResponse(dict(svc["_keys"]))

    async def regenerate_keys(self, request: Request, ws: Workspace) -> Response:
        """POST M/services/{id}/regenerateKeys ``{keyType: Primary|Secondary, keyValue?}``: 202 with
        ``Operation-Location``, as the service answers: azureml-core requires the header and polls the operation
        (azureml/core/webservice/webservice.py ``regen_key``, lines 1335-1344). The key changes at once and the
        operation is already Succeeded; the new keys are read with ``listkeys``."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be {keyType, keyValue}")
        kind = body.get("keyType")
        names = {"primary": "primaryKey", "secondary": "secondaryKey", "0": "primaryKey", "1": "secondaryKey"}
        if isinstance(kind, bool) or str(kind).lower() not in names:
            raise BadRequest("'keyType' must be Primary or Secondary")
        field = names[str(kind).lower()]
        value = body.get("keyValue")
        key = _key_value(value, "keyValue") if value not in (None, "") else new_key()
        op_id = str(uuid.uuid4())
        with records.LOCK:
            svc = self._get(ws, request)
            svc["_keys"][field] = key
            self.ctx.store.put("dp:services", self._key(ws, str(svc["name"])), svc)
            now = utc_now()
            op = {
                "id": op_id, "operationType": "Service", "state": "Succeeded", "createdTime": now, "endTime": now,
                "error": None, "resourceLocation": f"{ws.mms_path()}/services/{svc['name']}",
                "parentRequestId": request.headers.get("x-ms-client-request-id"), "_ws": ws.key,
            }  # fmt: skip
            self.ctx.store.put("dp:mmsops", ws.child(op_id), op)
        location = f"{self.ctx.base_url}{ws.mms_path()}/operations/{op_id}"
        return Response(status_code=202, headers={"Operation-Location": location})

    async def token(self, request: Request, ws: Workspace) -> Response:
        """POST M/services/{id}/token: 201 AuthToken."""
        svc = self._get(ws, request)
        lifetime = max(float(self.ctx.config.token_lifetime), 1.0)
        token, expiry = self.tokens.issue(self._key(ws, str(svc["name"])), lifetime)
        return JSONResponse(
            {
                "accessToken": token,
                "tokenType": "Bearer",
                "expiryOn": expiry,
                "refreshAfter": int(expiry - lifetime / 2),
            },
            status_code=201,
        )

    # ---- operations -----------------------------------------------------------------------------

    async def operation(self, request: Request, ws: Workspace) -> Response:
        """GET M/operations/{id}: AsyncOperationStatus."""
        op_id = str(request.path_params["id"])
        op = self.ctx.store.get("dp:mmsops", ws.child(op_id))
        if op is None:
            return mms_error(404, "OperationNotFound", f"Operation '{op_id[:300]}' was not found.")
        return JSONResponse(records.public(op))


def _resources(value: Any) -> dict[str, Any] | None:
    """ContainerResourceRequirements with every key azureml-core requires (null when not given:
    azureml/core/webservice/webservice.py ``ContainerResourceRequirements._expected_payload_keys``, line 1536)."""
    if not isinstance(value, dict):
        return None
    return {**{k: None for k in ("cpu", "cpuLimit", "memoryInGB", "memoryInGBLimit", "gpu")}, **value}


def _model_ids(image: dict[str, Any]) -> list[str]:
    ids = image.get("modelIds") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("environmentImageRequest.modelIds must be an array of model ids (name:version)")
    models = image.get("models") or []
    if not isinstance(models, list) or not all(isinstance(m, dict) for m in models):
        raise BadRequest("environmentImageRequest.models must be an array of Model objects")
    ids = list(ids) + [str(m["id"]) for m in models if isinstance(m.get("id"), str)]
    return list(dict.fromkeys(ids))


def _free_scoring_name(ctx: Context, key: str) -> None:
    """Free service ``key``'s (``sub/rg/ws/name``) name in the scoring index, when this workspace holds it."""
    ws_key, _, name = key.rpartition("/")
    with records.LOCK:  # an RLock: callers may already hold it
        index = ctx.store.get("dp:scoring", name)
        if index is not None and str(index.get("ws", "")).lower() == ws_key.lower():
            ctx.store.delete("dp:scoring", name)


def _release_service(ctx: Context, key: str) -> None:
    """Service ``key`` left the store with its workspace or group: free its name and stop its scoring worker (the
    worker outside ``records.LOCK``, so other requests do not wait on the process's exit)."""
    _free_scoring_name(ctx, key)
    state_of(ctx).services.stop(key)


def routes(dp: DataPlane) -> list[BaseRoute]:
    """The services and operations routes."""
    from .workspace import PREFIX_MMS

    lro.register_kind("dp:services", parents=("resourcegroups", "workspaces"), on_removed=_release_service)
    api = ServicesApi(dp)
    m = PREFIX_MMS

    def r(path: str, fn: Any, method: str) -> BaseRoute:
        return ci_route(path, ws_endpoint(dp.ctx, "modelmanagement", fn), [method])

    return [
        r(m + "/services", api.list, "GET"),
        r(m + "/services", api.create, "POST"),
        r(m + "/services/{id}/listkeys", api.list_keys, "POST"),
        r(m + "/services/{id}/regenerateKeys", api.regenerate_keys, "POST"),
        r(m + "/services/{id}/token", api.token, "POST"),
        r(m + "/services/{id}", api.get, "GET"),
        r(m + "/services/{id}", api.patch, "PATCH"),
        r(m + "/services/{id}", api.delete, "DELETE"),
        r(m + "/operations/{id}", api.operation, "GET"),
    ]
