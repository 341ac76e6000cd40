# Generated from overlays/azureml_rest/_async/services.py by `python -m tools.unasync`: do not edit.
"""Web services (model management, ``Services_*``): deploy, read, keys, tokens, delete.

``begin_create`` answers 202 + ``Operation-Location``; the poller GETs the operation until its ``state`` is
terminal, then the service named by ``resourceLocation``. Keys and tokens are returned as
:class:`~azureml_rest.operations.services.AuthKeys` / ``AuthToken``, whose repr never shows them.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints`` and ``ws.online_deployments``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from azureml_modelmanagement_client.api.services import (
    services_create,
    services_delete,
    services_get_service_token,
    services_list_query,
    services_list_service_keys,
    services_query_by_id,
    services_regenerate_service_keys,
)
from azureml_modelmanagement_client.models import AuthKeys as _GenAuthKeys
from azureml_modelmanagement_client.models import AuthToken as _GenAuthToken
from azureml_modelmanagement_client.models import (
    ComputeEnvironmentType,
    ContainerResourceRequirements,
    CreateServiceRequest,
    CreateServiceRequestKvTags,
    CreateServiceRequestProperties,
    EnvironmentImageAsset,
    EnvironmentImageRequest,
    KeyType,
    PaginatedServiceList,
    RegenerateServiceKeysRequest,
    ServiceResponse,
)

from .._call import call, call_detailed, call_raw
from ..lro import Poller
from ..operations._common import decode, service_id_of
from ..operations._secrets import AuthKeys, AuthToken, keys_from, token_from
from ..paging import Pager
from ._pagers import link_pager

__all__ = ["ServiceOperations"]

_GROUP = "modelmanagement"


def _asset(a: str | Mapping[str, Any]) -> EnvironmentImageAsset:
    if isinstance(a, str):
        return EnvironmentImageAsset(url=a)
    return EnvironmentImageAsset.from_dict(dict(a))


def _create_body(
    name: str,
    *,
    model_ids: Iterable[str],
    driver_program: str,
    assets: Iterable[str | Mapping[str, Any]],
    compute_type: str,
    cpu: float,
    memory_gb: float,
    auth_enabled: bool,
    description: str | None,
    tags: Mapping[str, str] | None,
    properties: Mapping[str, str] | None,
    environment: Mapping[str, Any] | None,
    location: str | None,
) -> CreateServiceRequest:
    image = EnvironmentImageRequest(driver_program=driver_program, assets=[_asset(a) for a in assets],
                                    model_ids=list(model_ids))
    if environment is not None:
        image.additional_properties["environment"] = dict(environment)
    body = CreateServiceRequest(
        name=name,
        compute_type=ComputeEnvironmentType(compute_type),
        environment_image_request=image,
        container_resource_requirements=ContainerResourceRequirements(cpu=cpu, memory_in_gb=memory_gb),
        auth_enabled=auth_enabled,
    )
    if description is not None:
        body.description = description
    if tags is not None:
        body.kv_tags = CreateServiceRequestKvTags.from_dict(dict(tags))
    if properties is not None:
        body.properties = CreateServiceRequestProperties.from_dict(dict(properties))
    if location is not None:
        body.location = location
    return body


def _decode(body: Any) -> ServiceResponse:
    return decode("Services_Create", ServiceResponse.from_dict, body)


class ServiceOperations:
    """``ws.v1.services``: list, begin_create, get, keys, regenerate_key, token, begin_delete.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints``, ``ws.online_deployments``.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def list(self, *, name: str | None = None, model_id: str | None = None, compute_type: str | None = None,
             page_size: int | None = None) -> Pager[ServiceResponse]:
        """The workspace's services (filters optional); pages follow ``nextLink``."""
        sub, rg, ws = self._ws.ids
        kw: dict[str, Any] = {k: v for k, v in (("name", name), ("model_id", model_id), ("compute_type", compute_type),
                                                ("count", page_size)) if v is not None}

        def first() -> PaginatedServiceList:
            return call(PaginatedServiceList, services_list_query.sync_detailed, sub, rg, ws,
                               client=self._ws.client(_GROUP), **kw)

        return link_pager("Services_ListQuery", ServiceResponse, first, PaginatedServiceList.from_dict, self._ws,
                          _GROUP)

    def begin_create(
        self,
        name: str,
        *,
        model_ids: Iterable[str],
        driver_program: str,
        assets: Iterable[str | Mapping[str, Any]],
        compute_type: str = "ACI",
        cpu: float = 0.1,
        memory_gb: float = 0.5,
        auth_enabled: bool = True,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        properties: Mapping[str, str] | None = None,
        environment: Mapping[str, Any] | None = None,
        location: str | None = None,
    ) -> Poller[ServiceResponse]:
        """Deploy ``model_ids`` behind the scoring script ``driver_program`` (found among ``assets``, whose urls
        may be ``aml://artifact/...``). Defaults: ACI, 0.1 CPU, 0.5 GB, key auth enabled."""
        sub, rg, ws = self._ws.ids
        body = _create_body(name, model_ids=model_ids, driver_program=driver_program, assets=assets,
                            compute_type=compute_type, cpu=cpu, memory_gb=memory_gb, auth_enabled=auth_enabled,
                            description=description, tags=tags, properties=properties, environment=environment,
                            location=location)
        client = self._ws.client(_GROUP)
        resp = call_detailed(services_create.sync_detailed, sub, rg, ws, client=client, body=body)

        def refresh() -> Any:
            return call_raw(services_query_by_id.sync_detailed, sub, rg, ws, name, client=client)

        return Poller("Services_Create", resp, client=self._ws.httpx_client(_GROUP), method="POST",
                           deserialize=_decode, url_guard=self._ws.url_guard(_GROUP), refresh=refresh)

    def get(self, service_id: str) -> ServiceResponse:
        """One service (``scoringUri`` ends in ``/score``)."""
        sub, rg, ws = self._ws.ids
        return call(ServiceResponse, services_query_by_id.sync_detailed, sub, rg, ws, service_id,
                           client=self._ws.client(_GROUP))

    def keys(self, service: str | ServiceResponse) -> AuthKeys:
        """The service's primary and secondary keys (``listkeys``)."""
        sub, rg, ws = self._ws.ids
        return keys_from(call(_GenAuthKeys, services_list_service_keys.sync_detailed, sub, rg, ws,
                                     service_id_of(service), client=self._ws.client(_GROUP)))

    def regenerate_key(self, service: str | ServiceResponse, key_type: str = "Primary", *,
                             key_value: str | None = None) -> AuthKeys:
        """Regenerate (or set to ``key_value``) the ``"Primary"`` or ``"Secondary"`` key; returns the new keys.

        A 202 answer is waited for, then the keys are read with ``listkeys``.
        """
        sub, rg, ws = self._ws.ids
        sid = service_id_of(service)
        req = RegenerateServiceKeysRequest(key_type=KeyType(key_type))
        if key_value is not None:
            req.key_value = key_value
        resp = call_detailed(services_regenerate_service_keys.sync_detailed, sub, rg, ws, sid,
                                    client=self._ws.client(_GROUP), body=req)
        if isinstance(resp.parsed, _GenAuthKeys) and int(resp.status_code) == 200:
            return keys_from(resp.parsed)
        Poller("Services_RegenerateServiceKeys", resp, client=self._ws.httpx_client(_GROUP),
                          method="POST", deserialize=lambda _b: None,
                          url_guard=self._ws.url_guard(_GROUP)).wait()
        return self.keys(sid)

    def token(self, service: str | ServiceResponse) -> AuthToken:
        """A scoring token (201), for services with token auth."""
        sub, rg, ws = self._ws.ids
        return token_from(call(_GenAuthToken, services_get_service_token.sync_detailed, sub, rg, ws,
                                      service_id_of(service), client=self._ws.client(_GROUP)))

    def begin_delete(self, service: str | ServiceResponse) -> Poller[None]:
        """Delete a service (200/204 at once; 202 + ``Operation-Location`` polled)."""
        sub, rg, ws = self._ws.ids
        resp = call_detailed(services_delete.sync_detailed, sub, rg, ws, service_id_of(service),
                                    client=self._ws.client(_GROUP))
        return Poller("Services_Delete", resp, client=self._ws.httpx_client(_GROUP), method="DELETE",
                           deserialize=lambda _b: None, url_guard=self._ws.url_guard(_GROUP))
