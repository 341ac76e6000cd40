"""Storage's error shape: ``<Error><Code/><Message/></Error>`` plus the ``x-ms-error-code`` header.

The codes, statuses and messages are the Blob service's (Microsoft Learn, "Blob Storage error codes" and
"Common REST API error codes"); the message ends in ``RequestId:`` and ``Time:`` lines as the service's do.
A HEAD answer carries no body: only the status and ``x-ms-error-code`` are visible, as with the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from xml.sax.saxutils import escape

from starlette.responses import Response

# code -> (status, the service's message)
CODES: dict[str, tuple[int, str]] = {
    "AuthenticationFailed": (
        403,
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed "
        "correctly including the signature.",
    ),
    "AuthorizationFailure": (403, "This request is not authorized to perform this operation."),
    "AuthorizationPermissionMismatch": (
        403,
        "This request is not authorized to perform this operation using this permission.",
    ),
    "AuthorizationResourceTypeMismatch": (
        403,
        "This request is not authorized to perform this operation using this resource type.",
    ),
    "AuthorizationServiceMismatch": (
        403,
        "This request is not authorized to perform this operation using this service.",
    ),
    "AuthorizationProtocolMismatch": (
        403,
        "This request is not authorized to perform this operation using this protocol.",
    ),
    "AuthorizationSourceIPMismatch": (
        403,
        "This request is not authorized to perform this operation using this source IP.",
    ),
    "BlobNotFound": (404, "The specified blob does not exist."),
    "ContainerNotFound": (404, "The specified container does not exist."),
    "ResourceNotFound": (404, "The specified resource does not exist."),
    "BlobAlreadyExists": (409, "The specified blob already exists."),
    "ContainerAlreadyExists": (409, "The specified container already exists."),
    "PublicAccessNotPermitted": (409, "Public access is not permitted on this storage account."),
    "BlockCountExceedsLimit": (409, "The uncommitted block count cannot exceed the maximum limit of 100,000 blocks."),
    "ConditionNotMet": (412, "The condition specified using HTTP conditional header(s) is not met."),
    "InvalidRange": (416, "The range specified is invalid for the current size of the resource."),
    "MissingContentLengthHeader": (411, "Content-Length HTTP header is missing."),
    "RequestBodyTooLarge": (413, "The request body is too large and exceeds the maximum permissible limit."),
    "InvalidBlockList": (400, "The specified block list is invalid."),
    "InvalidBlockId": (400, "The specified block ID is invalid. The block ID must be Base64-encoded."),
    "InvalidBlobOrBlock": (400, "The specified blob or block content is invalid."),
    "Md5Mismatch": (
        400,
        "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
    ),
    "InvalidMd5": (
        400,
        "The MD5 value specified in the request is invalid. The MD5 value must be 128 bits and Base64-encoded.",
    ),
    "InvalidMetadata": (400, "The metadata specified is invalid. It has characters that are not permitted."),
    "MetadataTooLarge": (400, "The size of the specified metadata exceeds the maximum size permitted."),
    "InvalidHeaderValue": (400, "The value for one of the HTTP headers is not in the correct format."),
    "MissingRequiredHeader": (400, "An HTTP header that's mandatory for this request is not specified."),
    "InvalidQueryParameterValue": (
        400,
        "Value for one of the query parameters specified in the request URI is invalid.",
    ),
    "OutOfRangeQueryParameterValue": (
        400,
        "One of the query parameters specified in the request URI is outside the permissible range.",
    ),
    "UnsupportedHeader": (400, "One of the HTTP headers specified in the request is not supported."),
    "InvalidResourceName": (400, "The specifed resource name contains invalid characters."),
    "OutOfRangeInput": (400, "One of the request inputs is out of range."),
    "InvalidUri": (400, "The requested URI does not represent any resource on the server."),
    "InvalidXmlDocument": (400, "XML specified is not syntactically valid."),
    "UnsupportedHttpVerb": (405, "The resource doesn't support the specified HTTP verb."),
    "ServerBusy": (503, "The server is currently unable to receive requests. Please retry your request."),
    "InternalError": (500, "The server encountered an internal error. Please retry the request."),
}


class StorageError(Exception):
    """A refused request: ``code`` from :data:`CODES`; ``detail`` adds a sentence (never a secret)."""

    def __init__(
        self, code: str, detail: str = "", headers: Mapping[str, str] | None = None, *, status: int | None = None
    ) -> None:
        default_status, message = CODES[code]
        self.code = code
        self.status = status or default_status
        self.message = message + (" " + detail if detail else "")
        self.headers = dict(headers or {})
        super().__init__(f"{code}: {self.message}")


def error_body(code: str, message: str, request_id: str, now: dt.datetime | None = None) -> bytes:
    """The XML error document, message followed by the request id and time as the service writes them."""
    when = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    text = f"{message}\nRequestId:{request_id}\nTime:{when}"
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(text)}</Message></Error>"
    ).encode()


def error_response(err: StorageError, request_id: str, *, head: bool = False) -> Response:
    """The service's answer for ``err`` (no body for HEAD)."""
    headers = {"x-ms-error-code": err.code, **err.headers}
    if head or err.status == 304:
        return Response(b"", status_code=err.status, headers=headers)
    return Response(
        error_body(err.code, err.message, request_id),
        status_code=err.status,
        headers=headers,
        media_type="application/xml",
    )
