"""Datastores of the current API (``Datastores_*``; 2025-12-01): list, get, the default one, create (Azure Blob
with an account key, a SAS token or identity access), delete, and the secret (``listSecrets``) on request only.

GET and list answers carry ``credentials.secrets`` with ``secretsType`` alone; :meth:`secrets` returns a
:class:`~azureml_rest.operations.datastores.DatastoreSecret`, whose repr/str hide the key or SAS token
(``reveal()`` returns it). The key or SAS sent with ``create`` is never echoed in an exception or a repr.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azureml_machinelearning_client.api.datastores import (
    datastores_create_or_update,
    datastores_delete,
    datastores_get,
    datastores_list,
    datastores_list_secrets,
)
from azureml_machinelearning_client.models import Datastore, DatastoreResourceArmPaginatedResult, DatastoreSecrets

from .._call import acall, acall_detailed
from ..errors import NotFoundError
from ..operations._common import page_of, text
from ..operations._v2 import GROUP, DatastoreSecret, body
from ..paging import AsyncPager
from ._pagers import link_pager

__all__ = ["AsyncDatastoreOperations"]



def _credentials(account_key: str | None, sas_token: str | None) -> dict[str, Any]:
    if account_key is not None and sas_token is not None:
        raise ValueError("give account_key or sas_token, not both")
    if account_key is not None:
        return {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey", "key": account_key}}
    if sas_token is not None:
        return {"credentialsType": "Sas", "secrets": {"secretsType": "Sas", "sasToken": sas_token.lstrip("?")}}
    return {"credentialsType": "None"}


class AsyncDatastoreOperations:
    """``ws.datastores`` (current API): list, get, default (find_default), create_blob, delete, secrets."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def list(self, *, page_size: int | None = None) -> AsyncPager[Datastore]:
        """The workspace's datastores (the service's default page size is 30); lazy, follows ``nextLink``."""
        sub, rg, ws = self._ws.ids
        kw: dict[str, Any] = {"count": page_size} if page_size is not None else {}

        async def first() -> DatastoreResourceArmPaginatedResult:
            return await acall(DatastoreResourceArmPaginatedResult, datastores_list.asyncio_detailed, sub, rg, ws,
                               client=await self._ws.aclient(GROUP), **kw)

        return link_pager("Datastores_List", Datastore, first, DatastoreResourceArmPaginatedResult.from_dict, self._ws,
                          GROUP)

    async def get(self, name: str) -> Datastore:
        """One datastore (``NotFoundError`` when absent); its secret is not part of it."""
        sub, rg, ws = self._ws.ids
        return await acall(Datastore, datastores_get.asyncio_detailed, sub, rg, ws, name,
                           client=await self._ws.aclient(GROUP))

    async def default(self) -> Datastore:
        """The workspace's default datastore (``isDefault=true``; ``workspaceblobstore`` by convention)."""
        found = await self.find_default()
        if found is None:
            raise NotFoundError(404, error_code="NotFound", message="the workspace has no default datastore")
        return found

    async def find_default(self) -> Datastore | None:
        """The workspace's default datastore, or None when the service lists none (``Datastores_List`` with
        ``isDefault=true``)."""
        sub, rg, ws = self._ws.ids
        listed = await acall(DatastoreResourceArmPaginatedResult, datastores_list.asyncio_detailed, sub, rg, ws,
                             client=await self._ws.aclient(GROUP), is_default=True)
        items = page_of("Datastores_List", Datastore, listed).items
        return items[0] if items else None

    async def create_blob(
        self,
        name: str,
        *,
        account_name: str,
        container_name: str,
        account_key: str | None = None,
        sas_token: str | None = None,
        endpoint: str | None = None,
        protocol: str = "https",
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        skip_validation: bool = False,
    ) -> Datastore:
        """Create or update an Azure Blob datastore; credentials: ``account_key``, ``sas_token`` or neither
        (identity-based access). ``endpoint`` defaults to the session cloud's storage suffix; ``protocol``
        to ``https``."""
        cloud = self._ws._session.cloud
        props: dict[str, Any] = {
            "datastoreType": "AzureBlob", "accountName": account_name, "containerName": container_name,
            "endpoint": endpoint or cloud.storage_suffix, "protocol": protocol,
            "credentials": _credentials(account_key, sas_token), "description": description,
            "tags": dict(tags) if tags is not None else None,
        }
        sub, rg, ws = self._ws.ids
        return await acall(Datastore, datastores_create_or_update.asyncio_detailed, sub, rg, ws, name,
                           client=await self._ws.aclient(GROUP), body=body(Datastore.from_dict, props),
                           skip_validation=skip_validation)

    async def delete(self, name: str) -> None:
        """Delete a datastore's registration (200, or 204 when it did not exist); the storage is untouched."""
        sub, rg, ws = self._ws.ids
        await acall_detailed(datastores_delete.asyncio_detailed, sub, rg, ws, name,
                             client=await self._ws.aclient(GROUP))

    async def secrets(self, name: str) -> DatastoreSecret:
        """The datastore's secret (``listSecrets``): account key, SAS token, client secret or certificate, in a
        :class:`DatastoreSecret` whose repr/str hide it."""
        sub, rg, ws = self._ws.ids
        got = await acall(DatastoreSecrets, datastores_list_secrets.asyncio_detailed, sub, rg, ws, name,
                          client=await self._ws.aclient(GROUP))
        kind = str(got.secrets_type)
        field = {"AccountKey": got.key, "Sas": got.sas_token, "ServicePrincipal": got.client_secret,
                 "Certificate": got.certificate}.get(kind)
        return DatastoreSecret(kind, text(field))
