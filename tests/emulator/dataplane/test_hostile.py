"""Bad and hostile startrun uploads: each gets a clear 4xx in the history error shape, and the
emulator keeps serving."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from collections.abc import Sequence

import httpx
import pytest

from .conftest import ARTICLE_DEFINITION, HELLO, MAX_UPLOAD, E, P, definition, make_zip, start_run

API = {"api-version": "2019-11-01"}


def _raw_zip(entries: Sequence[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def _symlink_zip() -> bytes:
    info = zipfile.ZipInfo("link.py")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return _raw_zip([("hello.py", HELLO.encode()), (info, b"/etc/passwd")])


def _corrupt_zip() -> bytes:
    data = bytearray(make_zip({"hello.py": HELLO * 50}))
    data[60:80] = b"\xff" * 20  # damage the compressed data of the first member
    return bytes(data)


HOSTILE = {
    "zip slip": (_raw_zip([("hello.py", HELLO.encode()), ("../../evil.py", b"x")]), 400, "UnsafeProjectZip"),
    "absolute path": (_raw_zip([("hello.py", HELLO.encode()), ("/tmp/evil.py", b"x")]), 400, "UnsafeProjectZip"),
    "windows drive": (_raw_zip([("hello.py", HELLO.encode()), ("C:/evil.py", b"x")]), 400, "UnsafeProjectZip"),
    "symlink": (_symlink_zip(), 400, "UnsafeProjectZip"),
    "ratio bomb": (
        _raw_zip([("hello.py", HELLO.encode()), ("zeros.bin", bytes(1536 * 1024))]),
        400,
        "UnsafeProjectZip",
    ),
    "size bomb": (
        _raw_zip([("hello.py", HELLO.encode())] + [(f"z{i}.bin", bytes(900 * 1024)) for i in range(3)]),
        400,
        "UnsafeProjectZip",
    ),
    "too many files": (
        _raw_zip([("hello.py", HELLO.encode())] + [(f"f{i}", b"") for i in range(10_001)]),
        400,
        "UnsafeProjectZip",
    ),
    "not a zip": (b"this is not a zip file at all", 400, "InvalidProjectZip"),
    "corrupt": (_corrupt_zip(), 400, "InvalidProjectZip"),
    "too big": (make_zip({"hello.py": HELLO}) + bytes(MAX_UPLOAD + 2 * 1024 * 1024), 413, "ProjectTooLarge"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_zip_is_refused(client: httpx.Client, case: str) -> None:
    project, status, code = HOSTILE[case]
    resp = start_run(client, "hostile", ARTICLE_DEFINITION, project)
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"]["code"] == code, body
    assert body["error"]["message"] and {"correlation", "environment", "location", "time"} <= set(body)
    # still serving, and no run was created for the refused upload
    assert client.get(f"{P}/experiments", params=API).status_code == 200


def _post(client: httpx.Client, files: dict[str, tuple[str, bytes, str]]) -> httpx.Response:
    return client.post(f"{E}/experiments/bad-input/startrun", params=API, files=files)


def test_invalid_definitions_are_400(client: httpx.Client) -> None:
    project = make_zip({"hello.py": HELLO})
    cases = {
        "not json": b"{not json",
        "no script": json.dumps({"Configuration": {"Target": "cpu-compute"}}).encode(),
        "no configuration": json.dumps({"foo": 1}).encode(),
        "script missing from zip": json.dumps(definition("other.py")).encode(),
        "unknown compute": json.dumps(definition("hello.py", target="gpu-nowhere")).encode(),
        "bad duration": json.dumps(definition("hello.py", max_seconds=-1)).encode(),
        "array": b"[]",
    }
    codes = {}
    for name, doc in cases.items():
        resp = start_run(client, "bad-input", doc, project)
        assert resp.status_code == 400, (name, resp.text)
        codes[name] = resp.json()["error"]["code"]
    assert codes["script missing from zip"] == "ScriptNotFound"
    assert codes["unknown compute"] == "ComputeNotFound"
    assert codes["not json"] == "InvalidRunDefinition"


def test_missing_parts_and_wrong_content_type(client: httpx.Client) -> None:
    project = make_zip({"hello.py": HELLO})
    only_zip = _post(client, {"projectZipFile": ("train.zip", project, "application/zip")})
    assert only_zip.status_code == 400 and only_zip.json()["error"]["code"] == "MissingRunDefinition"
    only_def = _post(
        client, {"runDefinitionFile": ("d.json", json.dumps(ARTICLE_DEFINITION).encode(), "application/json")}
    )
    assert only_def.status_code == 400 and only_def.json()["error"]["code"] == "MissingProjectZip"
    as_json = client.post(f"{E}/experiments/bad-input/startrun", params=API, json=ARTICLE_DEFINITION)
    assert as_json.status_code == 415
    bad_run_id = start_run(client, "bad-input", ARTICLE_DEFINITION, project, run_id="-bad id")
    assert bad_run_id.status_code == 400


def test_plain_field_definition_and_local_target(client: httpx.Client) -> None:
    project = make_zip({"hello.py": HELLO})
    resp = client.post(
        f"{E}/experiments/plain-field/startrun",
        params=API,
        data={"runDefinitionFile": json.dumps(definition("hello.py", target="local"))},
        files={"projectZipFile": ("train.zip", project, "application/zip")},
    )
    assert resp.status_code == 200, resp.text
