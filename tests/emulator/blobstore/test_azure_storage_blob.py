"""Microsoft's azure-storage-blob against the emulator's blob store over real HTTP (account key and SAS)."""

from __future__ import annotations

import hashlib

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import ContainerClient, ContentSettings

from tests.emulator.blobstore.support import (
    DEV_ACCOUNT,
    error_code,
    new_name,
    path_style,
    sas_container_client,
    service_client,
)
from tests.emulator_fixture import Emulator

DATA = bytes(range(256)) * 1031  # 263,936 bytes: several blocks at the small sizes below


def test_single_put_properties_and_download(container: ContainerClient) -> None:
    settings = ContentSettings(content_type="text/plain", content_language="en", cache_control="no-cache")
    container.upload_blob("dir/hello.txt", b"hello world", content_settings=settings, metadata={"kind": "greeting"})
    blob = container.get_blob_client("dir/hello.txt")
    props = blob.get_blob_properties()
    assert props.size == 11 and props.blob_type == "BlockBlob"
    assert props.metadata == {"kind": "greeting"}
    assert props.content_settings.content_type == "text/plain"
    assert props.content_settings.content_language == "en"
    assert props.content_settings.cache_control == "no-cache"
    assert bytes(props.content_settings.content_md5 or b"") == hashlib.md5(b"hello world").digest()  # noqa: S324
    assert props.etag and props.last_modified and props.creation_time
    assert blob.download_blob().readall() == b"hello world"


def test_chunked_upload_commits_blocks_in_list_order(emulator: Emulator, container: ContainerClient) -> None:
    small = path_style(emulator, max_single_put_size=64 * 1024, max_block_size=16 * 1024, max_chunk_get_size=20_000)
    blob = small.get_blob_client(container.container_name, "big.bin")
    blob.upload_blob(DATA, max_concurrency=4)  # parallel Put Block, arrival order differs from list order
    props = blob.get_blob_properties()
    assert props.size == len(DATA)
    assert blob.download_blob(max_concurrency=3).readall() == DATA  # first GET then 206 ranges
    assert blob.download_blob(offset=1000, length=5000).readall() == DATA[1000:6000]
    assert blob.download_blob(offset=len(DATA) - 7).readall() == DATA[-7:]


def test_empty_blob_downloads_after_the_416_on_its_first_range(container: ContainerClient) -> None:
    container.upload_blob("empty", b"")
    assert container.download_blob("empty").readall() == b""
    assert container.get_blob_client("empty").get_blob_properties().size == 0


def test_overwrite_false_is_blob_already_exists(container: ContainerClient) -> None:
    container.upload_blob("once", b"1")
    with pytest.raises(ResourceExistsError) as info:
        container.upload_blob("once", b"2", overwrite=False)
    assert error_code(info.value) == "BlobAlreadyExists"
    container.upload_blob("once", b"3", overwrite=True)
    assert container.download_blob("once").readall() == b"3"


def test_set_metadata_replaces_all(container: ContainerClient) -> None:
    container.upload_blob("m", b"x", metadata={"a": "1", "b": "2"})
    blob = container.get_blob_client("m")
    before = blob.get_blob_properties().etag
    blob.set_blob_metadata({"upload_status": "completed", "name": "code", "version": "1"})
    props = blob.get_blob_properties()
    assert props.metadata == {"upload_status": "completed", "name": "code", "version": "1"}
    assert props.etag != before
    blob.set_blob_metadata({})
    assert blob.get_blob_properties().metadata == {}


def test_list_with_prefix_delimiter_and_pages(container: ContainerClient) -> None:
    names = ["a/1", "a/2", "a/b/3", "b", "c/4", "cz"]
    for name in names:
        container.upload_blob(name, name.encode(), metadata={"n": name.replace("/", "_")})
    assert [b.name for b in container.list_blobs()] == names
    assert [b.name for b in container.list_blobs(name_starts_with="a/")] == ["a/1", "a/2", "a/b/3"]
    assert [b.name for b in container.walk_blobs()] == ["a/", "c/", "b", "cz"]  # prefixes first, per page
    assert [b.name for b in container.walk_blobs(name_starts_with="a/")] == ["a/b/", "a/1", "a/2"]
    paged = container.list_blobs(results_per_page=2, include=["metadata"]).by_page()
    pages = [[(b.name, b.metadata) for b in page] for page in paged]
    assert [len(p) for p in pages] == [2, 2, 2]
    assert [n for p in pages for n, _ in p] == names
    assert pages[0][0][1] == {"n": "a_1"}


def test_delete_and_not_found_errors(emulator: Emulator, container: ContainerClient) -> None:
    container.upload_blob("gone", b"x")
    container.delete_blob("gone")
    with pytest.raises(ResourceNotFoundError) as info:
        container.get_blob_client("gone").get_blob_properties()
    assert error_code(info.value) == "BlobNotFound"
    with pytest.raises(ResourceNotFoundError) as info:
        container.download_blob("gone").readall()
    assert error_code(info.value) == "BlobNotFound"
    missing = path_style(emulator).get_container_client(new_name("missing"))
    assert missing.exists() is False
    with pytest.raises(ResourceNotFoundError) as info:
        missing.upload_blob("x", b"x")
    assert error_code(info.value) == "ContainerNotFound"
    with pytest.raises(ResourceExistsError) as exists:
        container.create_container()
    assert error_code(exists.value) == "ContainerAlreadyExists"


def test_container_sas_upload_list_read(emulator: Emulator, container: ContainerClient) -> None:
    # What azure-ai-ml does with startPendingUpload's sasUri: HEAD (404), Put Blob, Set Blob Metadata.
    client = sas_container_client(emulator, container.container_name, "racwl")
    first = client.get_blob_client("code/main.py")
    with pytest.raises(ResourceNotFoundError):
        first.get_blob_properties()
    first.upload_blob(b"print('hi')\n", overwrite=False)
    first.set_blob_metadata({"upload_status": "completed"})
    assert [b.name for b in client.list_blobs(name_starts_with="code/")] == ["code/main.py"]
    assert first.download_blob().readall() == b"print('hi')\n"


def test_read_only_sas_cannot_write(emulator: Emulator, container: ContainerClient) -> None:
    container.upload_blob("r", b"x")
    client = sas_container_client(emulator, container.container_name, "rl")
    assert client.download_blob("r").readall() == b"x"
    with pytest.raises(HttpResponseError) as info:
        client.upload_blob("w", b"x")
    assert info.value.status_code == 403 and error_code(info.value) == "AuthorizationPermissionMismatch"
    create_only = sas_container_client(emulator, container.container_name, "c")
    create_only.upload_blob("new", b"x")
    with pytest.raises(HttpResponseError) as info:
        create_only.upload_blob("new", b"y", overwrite=True)
    assert error_code(info.value) == "AuthorizationPermissionMismatch"


def test_wrong_account_key_is_authentication_failed(emulator: Emulator, container: ContainerClient) -> None:
    bad = "A" * 86 + "=="
    wrong = service_client(f"{emulator.base_url}/{DEV_ACCOUNT}", DEV_ACCOUNT, bad)
    with pytest.raises(HttpResponseError) as info:
        wrong.get_container_client(container.container_name).upload_blob("x", b"x")
    assert info.value.status_code == 403 and error_code(info.value) == "AuthenticationFailed"
    assert bad not in str(info.value)
