"""Datastores of the current API through the library, over real HTTP against the emulator: list (the system
datastores), get, the default one, create with an account key and with a SAS token, the secret only on request
(``secrets()``) and never in a repr, str, exception or log line; delete. Sync and async."""

from __future__ import annotations

import logging
import uuid

import pytest
from azureml_rest.client import AsyncAzureML, AzureML
from azureml_rest.errors import NotFoundError
from azureml_rest.operations.datastores import AsyncDatastoreOperations, DatastoreOperations

KEY = "a2V5LXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg=="
SAS = "sv=2021-08-06&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJlLW5vdC10by1zaG93"


def test_datastores_sync(ml: AzureML, workspace_names: tuple[str, str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="azureml_rest")
    stores = DatastoreOperations(ml.workspace(*workspace_names))
    names = {str(d.name) for d in stores.list()}
    assert {"workspaceblobstore", "workspaceartifactstore"} <= names
    default = stores.default()
    assert default.name == "workspaceblobstore" and default.properties.is_default is True
    system = stores.secrets("workspaceblobstore")
    assert system.secrets_type == "AccountKey" and system.reveal()

    name = "itds" + uuid.uuid4().hex[:8]
    created = stores.create_blob(name, account_name="someaccount", container_name="data", account_key=KEY,
                                 description="key auth")
    assert str(created.properties.datastore_type) == "AzureBlob" and created.properties.is_default is not True
    got = stores.get(name)
    assert got.properties.container_name == "data"
    assert KEY not in repr(got) and KEY not in str(got.to_dict())  # the service keeps the key apart
    secret = stores.secrets(name)
    assert secret.secrets_type == "AccountKey" and secret.reveal() == KEY

    sas_name = "itsas" + uuid.uuid4().hex[:8]
    stores.create_blob(sas_name, account_name="someaccount", container_name="data", sas_token="?" + SAS)
    sas_secret = stores.secrets(sas_name)
    assert sas_secret.secrets_type == "Sas" and sas_secret.reveal() == SAS

    shown = caplog.text + repr(secret) + str(secret) + repr(sas_secret) + str(sas_secret) + repr(system)
    for value in (KEY, SAS, "c2lnbmF0dXJl", str(system.reveal())):
        assert value not in shown

    with pytest.raises(ValueError, match="not both") as info:
        stores.create_blob("x", account_name="a", container_name="c", account_key=KEY, sas_token=SAS)
    assert KEY not in str(info.value)

    stores.delete(name)
    stores.delete(sas_name)
    with pytest.raises(NotFoundError):
        stores.get(name)
    with pytest.raises(NotFoundError) as missing:
        stores.secrets(name)
    assert KEY not in str(missing.value)


@pytest.mark.anyio
async def test_datastores_async(emulator_url: str, workspace_names: tuple[str, str]) -> None:
    async with AsyncAzureML.for_emulator(emulator_url) as ml:
        stores = AsyncDatastoreOperations(ml.workspace(*workspace_names))
        assert "workspaceblobstore" in {str(d.name) async for d in stores.list()}
        assert (await stores.default()).name == "workspaceblobstore"
        name = "itdsa" + uuid.uuid4().hex[:8]
        await stores.create_blob(name, account_name="someaccount", container_name="data", account_key=KEY)
        assert (await stores.get(name)).properties.account_name == "someaccount"
        secret = await stores.secrets(name)
        assert secret.reveal() == KEY and KEY not in repr(secret) + str(secret)
        await stores.delete(name)
        with pytest.raises(NotFoundError):
            await stores.get(name)
