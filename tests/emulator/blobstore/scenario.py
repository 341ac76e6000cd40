"""One azure-storage-blob scenario over the operations the blob store serves, returning what a client sees.

Run against the emulator and against Azurite by test_azurite_parity.py; every observation is plain data
(statuses, error codes, names, sizes, metadata, contents' hashes) so the two runs compare with ``==``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from azure.core.exceptions import HttpResponseError
from azure.storage.blob import (
    BlobBlock,
    BlobClient,
    BlobServiceClient,
    ContainerClient,
    ContentSettings,
)

from tests.emulator.blobstore.support import container_sas, error_code, service_client

DATA = bytes(range(251)) * 1200  # 301,200 bytes: 19 blocks of 16 KiB


def _outcome(action: Callable[[], Any]) -> Any:
    """The action's result, or ``{"status", "code"}`` of the error it raised."""
    try:
        return action()
    except HttpResponseError as exc:
        return {"status": exc.status_code, "code": error_code(exc)}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _props(blob: BlobClient) -> dict[str, Any]:
    p = blob.get_blob_properties()
    cs = p.content_settings
    return {
        "size": p.size,
        "type": str(p.blob_type),
        "metadata": p.metadata,
        "content_type": cs.content_type,
        "content_language": cs.content_language,
        "cache_control": cs.cache_control,
        "md5": bytes(cs.content_md5).hex() if cs.content_md5 else None,
        "lease": (str(p.lease.state), str(p.lease.status)),
        "etag_quoted": p.etag.startswith('"'),
    }


def run(account_url: str, account: str, key: str) -> dict[str, Any]:
    """The scenario against the account at ``account_url`` (path-style, http)."""
    seen: dict[str, Any] = {}
    svc = service_client(account_url, account, key)
    small = service_client(account_url, account, key, max_single_put_size=32 * 1024, max_block_size=16 * 1024)
    c: ContainerClient = svc.get_container_client("parity")
    seen["exists_before"] = c.exists()
    c.create_container(metadata={"purpose": "parity"})
    seen["exists_after"] = c.exists()
    seen["create_again"] = _outcome(lambda: c.create_container())

    settings = ContentSettings(content_type="text/plain", content_language="en", cache_control="no-cache")
    c.upload_blob("dir/hello.txt", b"hello", content_settings=settings, metadata={"upload_status": "completed"})
    hello = c.get_blob_client("dir/hello.txt")
    seen["single_props"] = _props(hello)
    seen["download"] = hello.download_blob().readall()
    seen["range"] = hello.download_blob(offset=1, length=3).readall()
    seen["range_past_end"] = _outcome(lambda: hello.download_blob(offset=10, length=2).readall())
    seen["overwrite_false"] = _outcome(lambda: c.upload_blob("dir/hello.txt", b"x", overwrite=False))

    big = small.get_blob_client("parity", "dir/big.bin")
    big.upload_blob(DATA, max_concurrency=3)
    seen["chunked_size"] = big.get_blob_properties().size
    seen["chunked_download"] = _digest(big.download_blob().readall())
    seen["chunked_range"] = _digest(big.download_blob(offset=20_000, length=40_000).readall())

    c.upload_blob("empty", b"")
    seen["empty"] = c.download_blob("empty").readall()

    hello.set_blob_metadata({"name": "code", "version": "1"})
    seen["metadata_replaced"] = hello.get_blob_properties().metadata

    for name in ("a/1", "a/2", "a/b/3", "b"):
        c.upload_blob(name, name.encode())
    seen["list"] = [b.name for b in c.list_blobs()]
    seen["list_prefix"] = [b.name for b in c.list_blobs(name_starts_with="a/")]
    seen["list_metadata"] = {b.name: b.metadata for b in c.list_blobs(name_starts_with="dir/", include=["metadata"])}
    seen["walk"] = [b.name for b in c.walk_blobs(delimiter="/")]
    seen["walk_prefix"] = [b.name for b in c.walk_blobs(name_starts_with="a/", delimiter="/")]
    seen["pages"] = [[b.name for b in page] for page in c.list_blobs(results_per_page=3).by_page()]

    blocks = c.get_blob_client("blocks")
    blocks.stage_block("QUFB", b"aaa")
    blocks.stage_block("QkJC", b"bbb")
    seen["unknown_block"] = _outcome(lambda: blocks.commit_block_list([BlobBlock("QUFB"), BlobBlock("WFhY")]))
    seen["other_id_length"] = _outcome(lambda: blocks.stage_block("Q0NDQw==", b"c"))
    blocks.commit_block_list([BlobBlock("QkJC"), BlobBlock("QUFB")])
    seen["committed"] = blocks.download_blob().readall()

    expiry = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    read_sas = container_sas(account, key, "parity", "rl")
    read_only = ContainerClient.from_container_url(f"{account_url}/parity?{read_sas}")
    seen["sas_read"] = read_only.download_blob("a/1").readall()
    seen["sas_write_refused"] = _outcome(lambda: read_only.upload_blob("nope", b"x"))
    writer_sas = container_sas(account, key, "parity", "racwl", expiry=expiry)
    writer = ContainerClient.from_container_url(f"{account_url}/parity?{writer_sas}")
    writer.upload_blob("sas/file", b"sas")
    seen["sas_metadata"] = _outcome(lambda: writer.get_blob_client("sas/file").set_blob_metadata({"k": "v"}) and None)
    seen["sas_list"] = [b.name for b in writer.list_blobs(name_starts_with="sas/")]
    seen["sas_delete_refused"] = _outcome(lambda: writer.delete_blob("sas/file"))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    expired = container_sas(account, key, "parity", "rl", expiry=past, start=past - dt.timedelta(hours=1))
    expired_client = ContainerClient.from_container_url(f"{account_url}/parity?{expired}")
    seen["sas_expired"] = _outcome(lambda: expired_client.download_blob("a/1").readall())
    anonymous = BlobClient.from_blob_url(f"{account_url}/parity/a/1")
    seen["anonymous"] = _outcome(lambda: anonymous.download_blob().readall())
    wrong = service_client(account_url, account, "A" * 86 + "==").get_container_client("parity")
    seen["wrong_key"] = _outcome(lambda: wrong.download_blob("a/1").readall())

    c.delete_blob("a/1")
    seen["deleted"] = _outcome(lambda: c.get_blob_client("a/1").get_blob_properties())
    seen["deleted_download"] = _outcome(lambda: c.download_blob("a/1").readall())
    missing = svc.get_container_client("missing-container")
    seen["missing_container_exists"] = missing.exists()
    seen["missing_container_upload"] = _outcome(lambda: missing.upload_blob("x", b"x"))
    c.delete_container()
    seen["container_deleted"] = c.exists()
    svc.close()
    small.close()
    return seen


def only_statuses(seen: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """``seen`` with the error codes of ``keys`` dropped (statuses kept)."""
    out = dict(seen)
    for key in keys:
        if isinstance(out.get(key), dict):
            out[key] = {"status": out[key]["status"]}
    return out


__all__ = ["BlobServiceClient", "only_statuses", "run"]
