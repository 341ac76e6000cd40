"""Hostile input to the blob store: Storage's error shape and status, nothing outside the store touched, and the
emulator still serving afterwards."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import httpx
import pytest

from tests.emulator.blobstore.support import DEV_ACCOUNT, account_key, container_sas, new_name, path_style
from tests.emulator_fixture import Emulator

BLOCK = {"x-ms-blob-type": "BlockBlob"}


@pytest.fixture
def stored(make_emulator: Callable[..., Any], tmp_path: Path) -> tuple[Emulator, str, str, Path]:
    """A durable emulator in ``tmp_path/data``: (emulator, container URL, SAS with every permission, data dir)."""
    data = tmp_path / "data"
    emu: Emulator = make_emulator(data_dir=data)
    name = new_name("hostile")
    path_style(emu).get_container_client(name).create_container()
    sas = container_sas(DEV_ACCOUNT, account_key(emu), name, "racwdl")
    return emu, f"{emu.base_url}/{DEV_ACCOUNT}/{name}", sas, data


def _code(r: httpx.Response) -> tuple[int, str | None]:
    return r.status_code, r.headers.get("x-ms-error-code")


def _raw(base_url: str, request: bytes, *, answer: bool = True) -> bytes:
    """Send ``request`` as-is on a new connection (no client normalises its path) and read the answer's head
    (``answer=False``: hang up right after sending)."""
    parsed = urlparse(base_url)
    with socket.create_connection((parsed.hostname, parsed.port or 80), timeout=10) as s:
        s.sendall(request)
        if not answer:
            return b""
        answer_bytes = b""
        while b"\r\n\r\n" not in answer_bytes:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer_bytes += chunk
    return answer_bytes


def _wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_traversal_names_stay_blob_names(stored: tuple[Emulator, str, str, Path]) -> None:
    emu, url, sas, data = stored
    names = {
        "..%2F..%2Fescape": "../../escape",
        "%2e%2e/%2e%2e/etc/passwd": "../../etc/passwd",
        "a%5C..%5Cb": "a\\..\\b",
    }
    for encoded in names:
        r = httpx.put(f"{url}/{encoded}?{sas}", content=b"inside", headers=BLOCK)
        assert r.status_code == 201, r.text
    listing = httpx.get(f"{url}?restype=container&comp=list&{sas}").text
    for literal in names.values():
        assert f"<Name>{literal.replace('&', '&amp;')}</Name>" in listing
    assert httpx.get(f"{url}/..%2F..%2Fescape?{sas}").content == b"inside"
    everything = [p.relative_to(data).parts for p in data.rglob("*") if p.is_file()]
    assert all(parts[0] in ("blobs", "emulator.sqlite3", "emulator.sqlite3-wal", "emulator.sqlite3-shm")
               for parts in everything), everything
    assert not any(p.name in ("escape", "passwd") for p in data.parent.rglob("*"))
    path = urlparse(url).path
    unencoded = f"GET {path}/../../etc/shadow?{sas} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    head = _raw(emu.base_url, unencoded.encode())
    assert head.startswith(b"HTTP/1.1 404") and b"x-ms-error-code: BlobNotFound" in head


def test_bad_block_ids_and_block_lists(stored: tuple[Emulator, str, str, Path]) -> None:
    _, url, sas, _ = stored
    assert _code(httpx.put(f"{url}/b?comp=block&blockid=***&{sas}", content=b"x")) == (400, "InvalidBlockId")
    too_long = quote(base64.b64encode(b"x" * 65).decode(), safe="")
    r = httpx.put(f"{url}/b?comp=block&blockid={too_long}&{sas}", content=b"x")
    assert _code(r) == (400, "InvalidBlockId")
    assert httpx.put(f"{url}/b?comp=block&blockid=QUFB&{sas}", content=b"aaa").status_code == 201
    assert _code(httpx.put(f"{url}/b?comp=block&blockid=QUFBQQ%3D%3D&{sas}", content=b"x")) == (
        400,
        "InvalidBlobOrBlock",
    )
    bad_lists = {
        b"<BlockList><Latest>WFhY</Latest></BlockList>": "InvalidBlockList",
        b"<BlockList><Latest>***</Latest></BlockList>": "InvalidBlockList",
        b"<BlockList><Latest>QUFB": "InvalidXmlDocument",
        b"<Other/>": "InvalidXmlDocument",
        b"<BlockList><Mystery>QUFB</Mystery></BlockList>": "InvalidXmlDocument",
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "QUFB">]><BlockList><Latest>&a;</Latest></BlockList>':
            "InvalidXmlDocument",
    }
    for body, code in bad_lists.items():
        assert _code(httpx.put(f"{url}/b?comp=blocklist&{sas}", content=body)) == (400, code), body
    ok = httpx.put(f"{url}/b?comp=blocklist&{sas}", content=b"<BlockList><Uncommitted>QUFB</Uncommitted></BlockList>")
    assert ok.status_code == 201
    assert httpx.get(f"{url}/b?{sas}").content == b"aaa"
    again = httpx.put(f"{url}/b?comp=blocklist&{sas}", content=b"<BlockList><Committed>QUFB</Committed>"
                      b"<Committed>QUFB</Committed></BlockList>")
    assert again.status_code == 201 and httpx.get(f"{url}/b?{sas}").content == b"aaaaaa"


def test_oversize_and_missing_length_are_refused_before_reading(stored: tuple[Emulator, str, str, Path]) -> None:
    emu, url, sas, data = stored
    path = urlparse(url).path
    six_gib = 6 * 1024**3
    head = _raw(emu.base_url, f"PUT {path}/huge?{sas} HTTP/1.1\r\nHost: x\r\nx-ms-blob-type: BlockBlob\r\n"
                f"Content-Length: {six_gib}\r\n\r\n".encode())
    assert head.startswith(b"HTTP/1.1 413") and b"x-ms-error-code: RequestBodyTooLarge" in head
    head = _raw(emu.base_url, f"PUT {path}/huge?comp=block&blockid=QUFB&{sas} HTTP/1.1\r\nHost: x\r\n"
                f"Content-Length: {4001 * 1024**2}\r\n\r\n".encode())
    assert head.startswith(b"HTTP/1.1 413")

    def chunks() -> Any:
        yield b"abc"

    r = httpx.put(f"{url}/chunked?{sas}", content=chunks(), headers=BLOCK)
    assert _code(r) == (411, "MissingContentLengthHeader")
    cut = f"PUT {path}/cut?{sas} HTTP/1.1\r\nHost: x\r\nx-ms-blob-type: BlockBlob\r\nContent-Length: 1000\r\n\r\n"
    tmp = data / "blobs" / "blobstore" / DEV_ACCOUNT / urlparse(url).path.rsplit("/", 1)[1] / "tmp"
    parsed = urlparse(emu.base_url)
    with socket.create_connection((parsed.hostname, parsed.port or 80), timeout=10) as s:
        s.sendall(cut.encode() + b"only-some")
        _wait_until(lambda: tmp.is_dir() and any(tmp.iterdir()))  # the body is being received into tmp/
    _wait_until(lambda: not any(tmp.iterdir()))  # the cut connection is noticed asynchronously
    assert not any(tmp.iterdir())
    assert _code(httpx.head(f"{url}/cut?{sas}")) == (404, "BlobNotFound")


def test_malformed_headers_and_queries(stored: tuple[Emulator, str, str, Path]) -> None:
    _, url, sas, _ = stored
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x")) == (400, "MissingRequiredHeader")
    page = {"x-ms-blob-type": "PageBlob"}
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x", headers=page)) == (400, "InvalidHeaderValue")
    wrong_md5 = {**BLOCK, "Content-MD5": base64.b64encode(b"0" * 16).decode()}
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x", headers=wrong_md5)) == (400, "Md5Mismatch")
    not_md5 = {**BLOCK, "Content-MD5": "nope"}
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x", headers=not_md5)) == (400, "InvalidMd5")
    bad_meta = {**BLOCK, "x-ms-meta-bad-name": "v"}
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x", headers=bad_meta)) == (400, "InvalidMetadata")
    huge_meta = {**BLOCK, "x-ms-meta-big": "v" * 9000}
    assert _code(httpx.put(f"{url}/x?{sas}", content=b"x", headers=huge_meta)) == (400, "MetadataTooLarge")
    assert httpx.put(f"{url}/x?{sas}", content=b"12345", headers=BLOCK).status_code == 201
    r = httpx.get(f"{url}/x?{sas}", headers={"x-ms-range": "bytes=5-9"})
    assert _code(r) == (416, "InvalidRange") and r.headers["Content-Range"] == "bytes */5"
    assert _code(httpx.get(f"{url}/x?{sas}", headers={"x-ms-range": "lines=1"})) == (400, "InvalidHeaderValue")
    assert httpx.get(f"{url}/x?{sas}", headers={"Range": "bytes=1-2"}).content == b"23"
    for query, code in (
        ("maxresults=0", "OutOfRangeQueryParameterValue"),
        ("maxresults=x", "InvalidQueryParameterValue"),
        ("include=everything", "InvalidQueryParameterValue"),
    ):
        assert _code(httpx.get(f"{url}?restype=container&comp=list&{query}&{sas}")) == (400, code)
    assert _code(httpx.get(f"{url}/x?comp=tags&{sas}")) == (400, "InvalidQueryParameterValue")
    assert _code(httpx.post(f"{url}/x?{sas}")) == (405, "UnsupportedHttpVerb")
    base = url.rsplit("/", 1)[0]
    assert _code(httpx.put(f"{base}/Bad--Name?restype=container&{sas}")) == (400, "InvalidResourceName")
    assert _code(httpx.get(f"{url}/{'n' * 1025}?{sas}")) == (400, "OutOfRangeInput")


def test_conditions(stored: tuple[Emulator, str, str, Path]) -> None:
    _, url, sas, _ = stored
    first = httpx.put(f"{url}/c?{sas}", content=b"1", headers=BLOCK)
    etag = first.headers["ETag"]
    assert _code(httpx.put(f"{url}/c?{sas}", content=b"2", headers={**BLOCK, "If-None-Match": "*"})) == (
        409,
        "BlobAlreadyExists",
    )
    assert _code(httpx.put(f"{url}/c?{sas}", content=b"2", headers={**BLOCK, "If-Match": '"0x0"'})) == (
        412,
        "ConditionNotMet",
    )
    assert httpx.get(f"{url}/c?{sas}", headers={"If-None-Match": etag}).status_code == 304
    assert httpx.put(f"{url}/c?{sas}", content=b"2", headers={**BLOCK, "If-Match": etag}).status_code == 201


def test_still_serving_after_everything(stored: tuple[Emulator, str, str, Path]) -> None:
    emu, url, sas, _ = stored
    for junk in (b"\x00\xff GARBAGE\r\n\r\n", b"GET /devstoreaccount1/%ZZ/%%%? HTTP/1.1\r\nHost: x\r\n\r\n"):
        _raw(emu.base_url, junk)
    assert httpx.put(f"{url}/fine?{sas}", content=b"ok", headers=BLOCK).status_code == 201
    assert httpx.get(f"{url}/fine?{sas}").content == b"ok"
    assert httpx.get(emu.base_url + "/discovery").status_code == 200
