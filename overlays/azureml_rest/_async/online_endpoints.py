"""Managed online endpoints of the current API (``OnlineEndpoints_*``; 2025-12-01).

Long-running operations, polled the way specs/machinelearning.yaml declares them (specs/README.md, "The current
API", LRO table):

- create/update (PUT): 201 + ``Azure-AsyncOperation``, ``final-state-via: original-uri``: the poller follows the
  operation status, then GETs the endpoint;
- update (PATCH), delete, regenerateKeys: 202 + ``Location``, ``final-state-via: location``.

Every polling URL passes the session's host policy first (``ws.url_guard``): an operation URL on a foreign host
is refused before the ARM token could go there. Keys (``listKeys``) and tokens (``token``) come back as
:class:`~azureml_rest.operations.services.AuthKeys` / ``AuthToken``, whose reprs hide them. Scoring
(:meth:`AsyncOnlineEndpointOperations.invoke`, :meth:`~AsyncOnlineEndpointOperations.scoring_client`) is
:mod:`azureml_rest._async.online_scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azureml_machinelearning_client.api.online_endpoints import (
    online_endpoints_create_or_update,
    online_endpoints_delete,
    online_endpoints_get,
    online_endpoints_get_token,
    online_endpoints_list,
    online_endpoints_list_keys,
    online_endpoints_regenerate_keys,
    online_endpoints_update,
)
from azureml_machinelearning_client.models import (
    EndpointAuthKeys,
    EndpointAuthToken,
    KeyType,
    OnlineEndpoint,
    OnlineEndpointTrackedResourceArmPaginatedResult,
    PartialMinimalTrackedResourceWithIdentity,
    RegenerateEndpointKeysRequest,
)

from .._call import acall, acall_detailed
from ..lro import AsyncPoller
from ..operations._common import decode, text, value
from ..operations._secrets import AuthKeys, AuthToken, keys_from
from ..operations._v2 import GROUP, body
from ..paging import AsyncPager
from ._pagers import link_pager
from ._v2_calls import v2_poller, workspace_location
from .online_scoring import AsyncOnlineScoringClient

__all__ = ["AsyncOnlineEndpointOperations"]


def _decode(doc: Any) -> OnlineEndpoint:
    return decode("OnlineEndpoints_Get", OnlineEndpoint.from_dict, doc)


def _put_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """The settable properties of an endpoint as read (read-only ones and write-only keys left out)."""
    read_only = {"scoringUri", "swaggerUri", "provisioningState", "keys"}
    return {k: v for k, v in props.items() if k not in read_only}


class AsyncOnlineEndpointOperations:
    """``ws.online_endpoints``: begin_create_or_update, get, list, begin_update, begin_delete, begin_set_traffic,
    keys, begin_regenerate_key, token, invoke, scoring_client."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    async def begin_create_or_update(
        self,
        name: str,
        *,
        auth_mode: str = "Key",
        location: str | None = None,
        traffic: Mapping[str, int] | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        identity: str | None = None,
    ) -> AsyncPoller[OnlineEndpoint]:
        """Create or replace a managed online endpoint; the poller's result is the endpoint as finally read.

        ``auth_mode``: ``"Key"`` (default), ``"AMLToken"`` or ``"AADToken"``; ``location`` defaults to the
        workspace's; ``traffic`` maps deployment names to percentages (default none); ``identity`` e.g.
        ``"SystemAssigned"`` (default: none sent)."""
        if location is None:
            location = await workspace_location(self._ws)
        props: dict[str, Any] = {"authMode": auth_mode, "traffic": dict(traffic or {}), "description": description}
        return await self._put(name, body(OnlineEndpoint.from_dict, props, location=location,
                                          tags=dict(tags) if tags is not None else None,
                                          identity={"type": identity} if identity else None))

    async def _put(self, name: str, endpoint: OnlineEndpoint) -> AsyncPoller[OnlineEndpoint]:
        sub, rg, ws = self._ws.ids
        resp = await acall_detailed(online_endpoints_create_or_update.asyncio_detailed, sub, rg, ws, name,
                                    client=await self._ws.aclient(GROUP), body=endpoint)
        return await v2_poller(self._ws, "OnlineEndpoints_CreateOrUpdate", resp,
                               online_endpoints_get.asyncio_detailed, name,
                               method="PUT", prefer="azure-async-operation", deserialize=_decode)

    async def get(self, name: str) -> OnlineEndpoint:
        """One endpoint (``NotFoundError`` when absent); ``properties.scoring_uri`` is where it scores."""
        sub, rg, ws = self._ws.ids
        return await acall(OnlineEndpoint, online_endpoints_get.asyncio_detailed, sub, rg, ws, name,
                           client=await self._ws.aclient(GROUP))

    def list(self) -> AsyncPager[OnlineEndpoint]:
        """The workspace's online endpoints; lazy, follows ``nextLink``."""
        sub, rg, ws = self._ws.ids

        async def first() -> OnlineEndpointTrackedResourceArmPaginatedResult:
            return await acall(OnlineEndpointTrackedResourceArmPaginatedResult, online_endpoints_list.asyncio_detailed,
                               sub, rg, ws, client=await self._ws.aclient(GROUP))

        return link_pager("OnlineEndpoints_List", OnlineEndpoint, first,
                          OnlineEndpointTrackedResourceArmPaginatedResult.from_dict, self._ws, GROUP)

    async def begin_update(self, name: str, *, tags: Mapping[str, str]) -> AsyncPoller[OnlineEndpoint]:
        """PATCH the endpoint's tags (202 + ``Location``, polled; the result is the endpoint)."""
        sub, rg, ws = self._ws.ids
        body = PartialMinimalTrackedResourceWithIdentity.from_dict({"tags": dict(tags)})
        resp = await acall_detailed(online_endpoints_update.asyncio_detailed, sub, rg, ws, name,
                                    client=await self._ws.aclient(GROUP), body=body)
        return await v2_poller(self._ws, "OnlineEndpoints_Update", resp,
                               online_endpoints_get.asyncio_detailed, name,
                               method="PATCH", prefer="location", deserialize=_decode)

    async def begin_set_traffic(self, name: str, traffic: Mapping[str, int]) -> AsyncPoller[OnlineEndpoint]:
        """Set the traffic weights (deployment name -> percent, summing to 100 or all 0): the endpoint is read
        and PUT back with the new ``traffic``, everything else unchanged."""
        doc = (await self.get(name)).to_dict()
        props = _put_props(doc.get("properties") or {})
        props["traffic"] = {str(k): int(v) for k, v in traffic.items()}
        top = {k: doc.get(k) for k in ("location", "tags", "identity", "kind", "sku")}
        return await self._put(name, body(OnlineEndpoint.from_dict, props, **top))

    async def begin_delete(self, name: str) -> AsyncPoller[None]:
        """Delete the endpoint and its deployments (202 + ``Location``, polled)."""
        sub, rg, ws = self._ws.ids
        resp = await acall_detailed(online_endpoints_delete.asyncio_detailed, sub, rg, ws, name,
                                    client=await self._ws.aclient(GROUP))
        return await v2_poller(self._ws, "OnlineEndpoints_Delete", resp,
                               online_endpoints_get.asyncio_detailed, name,
                               method="DELETE", prefer="location")

    async def keys(self, name: str) -> AuthKeys:
        """The endpoint's primary and secondary keys (``listKeys``); the repr hides them."""
        sub, rg, ws = self._ws.ids
        got = await acall(EndpointAuthKeys, online_endpoints_list_keys.asyncio_detailed, sub, rg, ws, name,
                          client=await self._ws.aclient(GROUP))
        return keys_from(got)

    async def begin_regenerate_key(self, name: str, key_type: str = "Primary", *,
                                   key_value: str | None = None) -> AsyncPoller[None]:
        """Regenerate the ``"Primary"`` or ``"Secondary"`` key (or set it to ``key_value``); long-running
        (202 + ``Location``). Read the new keys with :meth:`keys` once the poller is done."""
        sub, rg, ws = self._ws.ids
        req = RegenerateEndpointKeysRequest(key_type=KeyType(key_type))
        if key_value is not None:
            req.key_value = key_value
        resp = await acall_detailed(online_endpoints_regenerate_keys.asyncio_detailed, sub, rg, ws, name,
                                    client=await self._ws.aclient(GROUP), body=req)
        return await v2_poller(self._ws, "OnlineEndpoints_RegenerateKeys", resp,
                               online_endpoints_get.asyncio_detailed, name,
                               method="POST", prefer="location")

    async def token(self, name: str) -> AuthToken:
        """An AML token for an ``AMLToken`` endpoint (``token``); the repr hides it."""
        sub, rg, ws = self._ws.ids
        got = await acall(EndpointAuthToken, online_endpoints_get_token.asyncio_detailed, sub, rg, ws, name,
                          client=await self._ws.aclient(GROUP))
        expiry = value(got.expiry_time_utc)
        refresh = value(got.refresh_after_time_utc)
        return AuthToken(text(got.access_token), text(got.token_type), expiry if isinstance(expiry, int) else None,
                         refresh if isinstance(refresh, int) else None)

    async def scoring_client(self, name: str, *, auth: str = "key",
                             deployment: str | None = None) -> AsyncOnlineScoringClient:
        """A reusable scoring client for endpoint ``name`` (see :mod:`azureml_rest._async.online_scoring`):
        ``auth="key"`` (``listKeys``' primary key, re-read on a 401 so a rotated key is picked up) or
        ``"token"`` (the endpoint's AML token, re-read on a 401); ``deployment`` sends
        ``azureml-model-deployment`` on every request. The scoring URI is read from the endpoint now."""
        endpoint = await self.get(name)
        return AsyncOnlineScoringClient.for_endpoint(self, endpoint, auth=auth, deployment=deployment)

    async def invoke(self, endpoint: str, payload: Any, *, deployment: str | None = None, auth: str = "key") -> Any:
        """Score once: POST ``payload`` (JSON) to the endpoint's ``scoringUri``; returns the JSON answer (or
        the text when it is not JSON). ``deployment`` picks a deployment regardless of the traffic weights."""
        async with await self.scoring_client(endpoint, auth=auth, deployment=deployment) as client:
            return await client.score(payload)
