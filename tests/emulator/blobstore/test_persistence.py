"""With ``--data-dir`` blobs, metadata, staged blocks and account keys survive a restart."""

from __future__ import annotations

from pathlib import Path

from azure.storage.blob import BlobBlock

from tests.emulator.blobstore.support import account_key, path_style
from tests.emulator.blobstore.test_addressing import _workspace_with_account
from tests.emulator_fixture import EmulatorFactory

DATA = bytes(range(256)) * 300


def test_blobs_survive_a_restart(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    first = emulator_factory(data_dir=tmp_path)
    _workspace_with_account(first, "persisted1")
    key = account_key(first, "persisted1")
    c = path_style(first, max_single_put_size=8192, max_block_size=4096).get_container_client("keep")
    c.create_container()
    c.upload_blob("big.bin", DATA, metadata={"upload_status": "completed"})
    c.get_blob_client("staged").stage_block("QUFB", b"staged")
    first.stop()
    assert (tmp_path / "blobs" / "blobstore" / "devstoreaccount1" / "keep").is_dir()

    second = emulator_factory(data_dir=tmp_path)
    assert account_key(second, "persisted1") == key
    c = path_style(second).get_container_client("keep")
    blob = c.get_blob_client("big.bin")
    assert blob.get_blob_properties().metadata == {"upload_status": "completed"}
    assert blob.download_blob().readall() == DATA
    staged = c.get_blob_client("staged")
    staged.commit_block_list([BlobBlock("QUFB")])
    assert staged.download_blob().readall() == b"staged"
    second.stop()


def test_in_memory_keys_differ_between_emulators(emulator_factory: EmulatorFactory) -> None:
    one, two = emulator_factory(), emulator_factory()
    _workspace_with_account(one, "sameaccount")
    _workspace_with_account(two, "sameaccount")
    assert account_key(one, "sameaccount") != account_key(two, "sameaccount")
    assert account_key(one) == account_key(two)  # devstoreaccount1: the well-known development key
