"""The Blob REST protocol without I/O: block ids and plans, XML bodies, SharedKey signing, Storage errors."""

from __future__ import annotations

import base64
from xml.etree import ElementTree

import pytest
from azureml_rest import blob_protocol as bp
from azureml_rest.errors import BlobError, BlobNotFoundError, NotFoundError


def test_block_ids_have_one_length_and_decode_to_their_index() -> None:
    ids = [bp.block_id(i) for i in (0, 7, 12_345, bp.MAX_BLOCKS - 1)]
    assert len({len(i) for i in ids}) == 1
    assert [int(base64.b64decode(i)) for i in ids] == [0, 7, 12_345, bp.MAX_BLOCKS - 1]
    with pytest.raises(ValueError):
        bp.block_id(bp.MAX_BLOCKS)
    with pytest.raises(ValueError):
        bp.block_id(-1)


def test_plan_covers_the_file_once_with_a_short_last_block() -> None:
    plan = bp.plan_blocks(10, 4)
    assert [(off, n) for _, off, n in plan] == [(0, 4), (4, 4), (8, 2)]
    assert [i for i, _, _ in plan] == [bp.block_id(0), bp.block_id(1), bp.block_id(2)]
    assert bp.plan_blocks(0, 4) == []
    assert [(o, n) for _, o, n in bp.plan_blocks(8, 4)] == [(0, 4), (4, 4)]
    with pytest.raises(ValueError):
        bp.plan_blocks(1, 0)


def test_plan_grows_the_block_size_to_stay_under_the_block_limit() -> None:
    size = bp.MAX_BLOCKS * 2 + 1
    plan = bp.plan_blocks(size, 1)
    assert len(plan) <= bp.MAX_BLOCKS
    assert sum(n for _, _, n in plan) == size
    assert all(off == i * plan[0][2] for i, (_, off, _) in enumerate(plan))


def test_block_list_body_lists_latest_ids_in_order() -> None:
    body = bp.block_list_xml(["b", "a"])
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(body)  # noqa: S314  # our own bytes
    assert root.tag == "BlockList" and [(e.tag, e.text) for e in root] == [("Latest", "b"), ("Latest", "a")]


LISTING = b"""<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/" ContainerName="c">
  <Prefix>run/</Prefix><Marker/><MaxResults>2</MaxResults>
  <Blobs>
    <Blob><Name>run/a.txt</Name><Properties><Etag>0x1</Etag><Content-Length>12</Content-Length>
      <Content-Type>text/plain</Content-Type><BlobType>BlockBlob</BlobType></Properties>
      <Metadata><upload_status>completed</upload_status></Metadata></Blob>
    <Blob><Name Encoded="true">run/b%20c.txt</Name><Properties><Etag>0x2</Etag><Content-Length>0</Content-Length>
      </Properties></Blob>
    <BlobPrefix><Name>run/logs/</Name></BlobPrefix>
  </Blobs>
  <NextMarker>token2</NextMarker>
</EnumerationResults>"""


def test_list_blobs_answer_parsed_with_metadata_prefixes_and_marker() -> None:
    items, marker = bp.parse_list_blobs(LISTING)
    assert marker == "token2"
    assert items[0] == bp.BlobItem("run/a.txt", 12, "0x1", "text/plain", {"upload_status": "completed"})
    assert items[1].name == "run/b c.txt" and items[1].size == 0
    assert items[2] == bp.BlobItem("run/logs/", is_prefix=True)
    last, end = bp.parse_list_blobs(LISTING.replace(b"<NextMarker>token2</NextMarker>", b"<NextMarker/>"))
    assert end is None and len(last) == 3


@pytest.mark.parametrize("body", [b"not xml", b"<Error><Code>X</Code></Error>"])
def test_list_blobs_refuses_other_bodies(body: bytes) -> None:
    with pytest.raises(ValueError):
        bp.parse_list_blobs(body)


def test_storage_errors_are_typed_with_code_and_message_and_no_signature() -> None:
    body = (b"<?xml version='1.0'?><Error><Code>BlobNotFound</Code>"
            b"<Message>The blob does not exist.\nRequestId:1\nTime:x</Message></Error>")
    url = "https://acct.blob.core.windows.net/c/b?sv=2026-10-06&sig=SECRETSIG"
    err = bp.blob_error(404, {"x-ms-error-code": "BlobNotFound", "x-ms-request-id": "r1"}, body, method="GET", url=url)
    assert isinstance(err, BlobNotFoundError) and isinstance(err, NotFoundError)
    assert err.error_code == "BlobNotFound" and err.message == "The blob does not exist."
    assert err.request_id == "r1"
    assert "SECRETSIG" not in str(err) and "SECRETSIG" not in repr(err) and "SECRETSIG" not in (err.url or "")
    head = bp.blob_error(403, {"x-ms-error-code": "AuthenticationFailed"}, b"")  # HEAD: no body, only the header
    assert type(head) is BlobError and head.error_code == "AuthenticationFailed" and head.status_code == 403


def test_properties_from_headers_take_the_total_of_a_range_and_the_metadata() -> None:
    props = bp.properties_from_headers({"Content-Length": "4", "Content-Range": "bytes 0-3/10", "ETag": "e",
                                        "x-ms-meta-Name": "code", "Content-Type": "text/plain"})
    assert props == bp.BlobProperties(10, "e", "text/plain", None, {"name": "code"})
    assert bp.range_header(0, 3) == "bytes=0-3" and bp.range_header(5) == "bytes=5-"
    with pytest.raises(ValueError):
        bp.range_header(4, 3)


def test_container_url_keeps_the_sas_out_of_repr_and_encodes_names() -> None:
    c = bp.ContainerUrl.from_sas_url("http://127.0.0.1:9/acct/cont/LocalUpload/x?sv=1&sig=S%2B")
    assert c.base == "http://127.0.0.1:9/acct/cont/LocalUpload/x"
    assert c.blob_url("src/a b.py") == "http://127.0.0.1:9/acct/cont/LocalUpload/x/src/a%20b.py?sv=1&sig=S%2B"
    assert c.container_url({"comp": "list", "prefix": "a/b"}) == (
        "http://127.0.0.1:9/acct/cont/LocalUpload/x?sv=1&sig=S%2B&comp=list&prefix=a%2Fb")
    assert "sig" not in repr(c)


def test_shared_key_signature_is_azure_storage_blobs() -> None:
    auth = pytest.importorskip("azure.storage.blob._shared.authentication")
    from azure.core.pipeline import PipelineContext, PipelineRequest
    from azure.core.pipeline.transport import HttpRequest

    key = base64.b64encode(b"k" * 32).decode()
    url = "http://127.0.0.1:1000/acct/cont/dir/a%20b.txt?comp=block&blockid=QUJD"
    headers = {"x-ms-version": bp.STORAGE_VERSION, "x-ms-date": "Sat, 05 Dec 2026 20:00:00 GMT",
               "x-ms-client-request-id": "id1", "Content-Length": "5", "x-ms-meta-b_c": "1", "x-ms-meta-bc": "2",
               "Content-MD5": "xx"}
    request = HttpRequest("PUT", url, headers=dict(headers))
    auth.SharedKeyCredentialPolicy("acct", key).on_request(PipelineRequest(request, PipelineContext(None)))
    assert bp.shared_key_authorization("PUT", url, headers, "acct", key) == request.headers["Authorization"]
    assert key not in bp.shared_key_authorization("PUT", url, headers, "acct", key)
