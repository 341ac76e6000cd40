"""The blob store's pure parts against Microsoft's client code: header order, SharedKey and SAS signatures."""

from __future__ import annotations

import base64
import datetime as dt

from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.pipeline.transport import HttpRequest
from azure.storage.blob import ContainerSasPermissions, generate_container_sas
from azure.storage.blob._shared.authentication import SharedKeyCredentialPolicy, _storage_header_sort
from azureml_emulator.blobstore import sas, sharedkey
from azureml_emulator.blobstore.addressing import Target, parse_query
from azureml_emulator.blobstore.call import Call

KEY = base64.b64encode(b"k" * 64).decode()


def test_header_order_is_the_services() -> None:
    names = ["x-ms-meta-ab", "x-ms-meta-a_b", "x-ms-meta-a-b", "x-ms-version", "x-ms-date", "x-ms-meta-a1",
             "x-ms-blob-type", "x-ms-meta-upload_status", "x-ms-meta-uploadstatus", "x-ms-client-request-id"]
    expected = [n for n, _ in _storage_header_sort([(n, "") for n in names])]
    got = sharedkey.canonical_headers({n: "" for n in names}).splitlines()
    assert [line.rstrip(":") for line in got] == expected


def test_shared_key_signature_matches_azure_storage_blob() -> None:
    url = "http://127.0.0.1:10000/devstoreaccount1/c/dir/a%20b.txt?comp=metadata&timeout=30"
    headers = {"x-ms-version": "2026-10-06", "x-ms-date": "Sat, 05 Dec 2026 19:36:06 GMT",
               "x-ms-meta-upload_status": "completed", "x-ms-meta-name": "n", "Content-Length": "0"}
    request = HttpRequest("PUT", url, headers=headers)
    policy = SharedKeyCredentialPolicy("devstoreaccount1", KEY)  # type: ignore[no-untyped-call]
    policy.on_request(PipelineRequest(request, PipelineContext(None)))  # type: ignore[no-untyped-call]
    target = Target("devstoreaccount1", "c", "dir/a b.txt", "/devstoreaccount1/c/dir/a%20b.txt",
                    "http://127.0.0.1:10000/devstoreaccount1", False, parse_query(b"comp=metadata&timeout=30"))
    lower = {k.lower(): v for k, v in request.headers.items()}
    now = dt.datetime(2026, 12, 5, 19, 36, 6, tzinfo=dt.UTC)
    sharedkey.verify(request.headers["Authorization"], "PUT", lower, target, base64.b64decode(KEY), now=now)


def test_container_sas_matches_azure_storage_blob_and_reprs_hide_secrets() -> None:
    expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(microsecond=0)
    token = generate_container_sas("acct", "c", account_key=KEY, permission=ContainerSasPermissions(read=True),
                                   expiry=expiry)
    target = Target("acct", "c", "x", "/acct/c/x", "http://h/acct", False, parse_query(token.encode()))
    grant = sas.verify(target, base64.b64decode(KEY))
    assert grant.kind == "service" and grant.permissions == {"r"}
    fields = dict(parse_query(token.encode()))
    ours = dict(parse_query(sas.service_sas("acct", base64.b64decode(KEY), "c", None, "r", expiry,
                                            version=fields["sv"]).encode()))
    assert ours["sig"] == fields["sig"]  # the emulator's own SAS URLs are signed as Microsoft's client signs
    signature = fields["sig"]
    call = Call(target, "GET", {"authorization": "SharedKey acct:SECRETSIG"}, None, None, None)  # type: ignore[arg-type]
    assert signature not in repr(target) and "SECRETSIG" not in repr(call)
