"""Fixtures for blob store tests: the shared session emulator, and a fresh container on its development
account (``devstoreaccount1``, path-style) with a key-authorized azure-storage-blob client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azure.storage.blob import ContainerClient

from tests.emulator.blobstore.support import new_name, path_style
from tests.emulator_fixture import Emulator


@pytest.fixture
def container(emulator: Emulator) -> Iterator[ContainerClient]:
    client = path_style(emulator).get_container_client(new_name())
    client.create_container()
    yield client
    client.delete_container()
    client.close()
