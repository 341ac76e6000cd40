"""One exception hierarchy for everything the package raises.

``AzureMLError`` is the base. HTTP error answers become :class:`ServiceError` subclasses chosen by status
(:func:`error_from_response`). No message ever carries an Authorization header, token, secret or key: URLs are
redacted by allow-list and free text goes through :func:`redact_text` (re-exported here for code that shows
service messages itself, such as the CLI).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from pathlib import PurePosixPath
from typing import Any

import httpx

from ._error_bodies import parse_error_body
from ._redact import redact_text, redact_url
from .retry import parse_retry_after

__all__ = [
    "AuthenticationError",
    "AzureMLError",
    "BadRequestError",
    "ConflictError",
    "ConnectionFailedError",
    "CredentialError",
    "DefinitionError",
    "DiscoveryError",
    "InsecureTransportError",
    "InvalidResponseError",
    "NotFoundError",
    "OperationFailedError",
    "OperationTimeoutError",
    "PermissionDeniedError",
    "RunFailedError",
    "ScriptNotFoundError",
    "ServerError",
    "ServiceError",
    "SnapshotError",
    "SnapshotTooLargeError",
    "ThrottledError",
    "UntrustedHostError",
    "UntrustedScoringHostError",
    "error_from_parts",
    "error_from_response",
    "redact_text",
]


class AzureMLError(Exception):
    """Base of every error raised by ``azureml_rest``."""


class ServiceError(AzureMLError):
    """An HTTP error answer from a service.

    Attributes: ``status_code``, ``error_code`` (service code such as ``ResourceNotFound``), ``message``,
    ``details`` (list of dicts as sent), ``target``, ``request_id`` (``x-ms-request-id``),
    ``client_request_id`` (``x-ms-client-request-id``), ``correlation_id``, ``method``, ``url`` (redacted),
    ``retry_after`` (seconds, if the answer said), ``excerpt`` (sanitized start of a body that was not a
    known error shape).
    """

    def __init__(
        self,
        status_code: int,
        *,
        error_code: str | None = None,
        message: str | None = None,
        details: list[Any] | None = None,
        target: str | None = None,
        request_id: str | None = None,
        client_request_id: str | None = None,
        correlation_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
        excerpt: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.error_code = error_code
        self.message = message
        self.details: list[Any] = details or []
        self.target = target
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.correlation_id = correlation_id
        self.method = method
        self.url = redact_url(url) if url else url
        self.retry_after = retry_after
        self.excerpt = excerpt
        super().__init__(self._render())

    @property
    def reason(self) -> str:
        """The HTTP reason phrase, or ``Unknown Status`` for codes outside ``HTTPStatus`` (e.g. 520)."""
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return "Unknown Status"

    def _render(self) -> str:
        head = f"{self.status_code} {self.reason}"
        if self.error_code:
            head += f" ({self.error_code})"
        if self.message:
            head += f": {self.message}"
        elif self.excerpt:
            head += f": body: {self.excerpt!r}"
        ctx = []
        if self.method or self.url:
            ctx.append(" ".join(p for p in (self.method, self.url) if p))
        if self.request_id:
            ctx.append(f"x-ms-request-id={self.request_id}")
        if self.client_request_id:
            ctx.append(f"x-ms-client-request-id={self.client_request_id}")
        return head + (f" [{'; '.join(ctx)}]" if ctx else "")


class BadRequestError(ServiceError):
    """400 Bad Request."""


class AuthenticationError(ServiceError):
    """401 Unauthorized (token missing, expired or for the wrong audience)."""


class PermissionDeniedError(ServiceError):
    """403 Forbidden."""


class NotFoundError(ServiceError):
    """404 Not Found."""


class ConflictError(ServiceError):
    """409 Conflict (e.g. ``RunIdAlreadyExists``)."""


class ThrottledError(ServiceError):
    """429 Too Many Requests; ``retry_after`` holds the server's hint in seconds when given."""


class ServerError(ServiceError):
    """Any 5xx, including codes outside ``HTTPStatus`` such as 520."""


_BY_STATUS: dict[int, type[ServiceError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: ThrottledError,
}


class InvalidResponseError(AzureMLError):
    """A success answer whose body could not be understood (names the operation and what was wrong)."""

    def __init__(self, operation: str, problem: str, *, status_code: int | None = None, request_id: str | None = None):
        self.operation = operation
        self.problem = redact_text(problem)
        self.status_code = status_code
        self.request_id = request_id
        msg = f"{operation}: invalid response: {self.problem}"
        if status_code is not None:
            msg += f" (status {status_code})"
        if request_id:
            msg += f" [x-ms-request-id={request_id}]"
        super().__init__(msg)


class CredentialError(AzureMLError):
    """A token could not be obtained.

    ``error`` is Azure AD's error (``invalid_client``), ``error_code`` its ``AADSTS`` code
    (``AADSTS7000215`` for a wrong secret), ``description`` its sanitized description. Never holds the secret.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        error_code: str | None = None,
        description: str | None = None,
        status_code: int | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.error = error
        self.error_code = error_code
        self.description = redact_text(description, secrets) if description else description
        self.status_code = status_code
        text = redact_text(message, secrets)
        if error_code and error_code not in text:
            text += f" ({error_code})"
        if self.description and self.description not in text:
            text += f": {self.description}"
        super().__init__(text)


class InsecureTransportError(AzureMLError):
    """Refused to send a credential over plain http to a non-loopback host."""

    def __init__(self, url: str) -> None:
        self.url = redact_url(url)
        super().__init__(
            f"refusing to send credentials over plain http to {self.url}; use https "
            "(plain http is only allowed to loopback hosts: 127.0.0.0/8, ::1, localhost)"
        )


class UntrustedHostError(AzureMLError):
    """Refused to send a token to a host that does not belong to the cloud in use."""

    def __init__(self, host: str, cloud_name: str) -> None:
        self.host = host
        self.cloud_name = cloud_name
        super().__init__(
            f"refusing to send a {cloud_name} token to {host!r}: the host is not an ARM, login or Azure ML host "
            f"of that cloud. If you trust it, add it to trusted_hosts (HttpConfig(trusted_hosts=[{host!r}]), "
            f"BearerTokenAuth(..., trusted_hosts=[{host!r}]) or cloud.with_trusted_hosts({host!r}))"
        )


#: Raised before any byte of the request left: retrying cannot duplicate a side effect.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class ConnectionFailedError(AzureMLError, httpx.TransportError):
    """No answer: the connection failed (refused, reset, dropped, timed out) and the request is not retried
    (any more). Also an ``httpx.TransportError``, so code catching httpx's errors keeps working.

    Attributes: ``method``, ``url`` (redacted), ``attempts``, ``cause`` (the httpx error's type name) and
    ``may_have_been_applied``: True when the request may have reached the service (it was sent, and it is not
    retry-safe, so it was not repeated): check before repeating it by hand.
    """

    def __init__(self, request: httpx.Request, exc: httpx.TransportError, attempts: int) -> None:
        self.method = request.method
        self.url = redact_url(str(request.url))
        self.attempts = attempts
        self.cause = type(exc).__name__
        self.may_have_been_applied = not isinstance(exc, NOT_SENT_ERRORS)
        note = (
            "; not repeated: the request may have reached the service and is not safe to send twice"
            if self.may_have_been_applied and attempts == 1
            else ""
        )
        super().__init__(f"{self.method} {self.url}: {self.cause} after {attempts} attempt(s){note}")
        httpx.TransportError.__init__(self, str(self), request=request)


class DiscoveryError(AzureMLError):
    """The discovery document could not be used (no usable entry, not a JSON object, no discoveryUrl)."""


class OperationFailedError(AzureMLError):
    """A long-running operation ended in a failed state (Failed, Canceled/Cancelled, TimedOut...)."""

    def __init__(
        self,
        operation: str,
        status: str,
        *,
        error_code: str | None = None,
        message: str | None = None,
        details: list[Any] | None = None,
    ) -> None:
        self.operation = operation
        self.status = status
        self.error_code = error_code
        self.message = redact_text(message) if message else message
        self.details: list[Any] = details or []
        text = f"{operation} ended with status {status}"
        if error_code:
            text += f" ({error_code})"
        if self.message:
            text += f": {self.message}"
        super().__init__(text)


class OperationTimeoutError(AzureMLError):
    """A poller gave up waiting; ``last_status`` is the last state seen (the operation may still finish)."""

    def __init__(self, operation: str, timeout: float, last_status: str | None = None) -> None:
        self.operation = operation
        self.timeout = timeout
        self.last_status = last_status
        text = f"{operation} did not finish within {timeout:g} s"
        if last_status:
            text += f" (last status: {last_status})"
        super().__init__(text)


def error_from_parts(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    method: str | None = None,
    url: str | None = None,
) -> ServiceError:
    """Build the typed error from a status, headers (case-insensitive mapping advised) and body bytes.

    Works with the generated clients' ``Response`` (``status_code``, ``headers``, ``content``) too.
    """
    fields = parse_error_body(content)
    if status_code in _BY_STATUS:
        cls = _BY_STATUS[status_code]
    elif 500 <= status_code <= 599:
        cls = ServerError
    else:
        cls = ServiceError
    return cls(
        status_code,
        error_code=fields.get("aadsts") or fields.get("error_code"),
        message=fields.get("message"),
        details=fields.get("details"),
        target=fields.get("target"),
        request_id=headers.get("x-ms-request-id"),
        client_request_id=headers.get("x-ms-client-request-id"),
        correlation_id=headers.get("x-ms-correlation-request-id"),
        method=method,
        url=url,
        retry_after=parse_retry_after(headers),
        excerpt=fields.get("excerpt"),
    )


def error_from_response(response: httpx.Response) -> ServiceError:
    """The typed :class:`ServiceError` for an httpx error response (status chosen subclass).

    The body must have been read (``response.read()`` / ``await response.aread()``); an unread streamed body
    is treated as empty. The client request id is taken from the response or, failing that, the request.
    """
    try:
        content = response.content
    except httpx.ResponseNotRead:
        content = b""
    method: str | None = None
    url: str | None = None
    headers: dict[str, str] = {k.lower(): v for k, v in response.headers.items()}
    try:
        request = response.request
    except RuntimeError:
        request = None
    if request is not None:
        method = request.method
        url = str(request.url)
        if "x-ms-client-request-id" not in headers and "x-ms-client-request-id" in request.headers:
            headers["x-ms-client-request-id"] = request.headers["x-ms-client-request-id"]
    return error_from_parts(response.status_code, headers, content, method=method, url=url)


# --- run submission and monitoring (runs, snapshot, definition) -----------------------------------------------


class RunFailedError(OperationFailedError):
    """A run ended Failed or Canceled. ``run_id``, ``experiment``, ``status``, ``error_code`` and ``message``
    (the service's, from ``Run.error.error``), and ``run`` (the final generated ``Run``)."""

    def __init__(self, experiment: str, run_id: str, status: str, run: Any) -> None:
        root = getattr(getattr(run, "error", None), "error", None)
        code, message = getattr(root, "code", None), getattr(root, "message", None)
        self.run_id = run_id
        self.experiment = experiment
        self.run = run
        super().__init__(f"run {run_id} (experiment {experiment})", status,
                         error_code=code if isinstance(code, str) and code else None,
                         message=message if isinstance(message, str) and message else None)


class DefinitionError(AzureMLError):
    """A run definition that cannot be used (not JSON, no configuration, no script...)."""


class SnapshotError(AzureMLError):
    """The project folder cannot be snapshotted (missing folder, script not in it, over the limits)."""


class ScriptNotFoundError(SnapshotError):
    """The entry script is not in the project folder, or an ignore file leaves it out."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


class SnapshotTooLargeError(SnapshotError):
    """The snapshot exceeds the service's limits; raised before anything is uploaded.

    Attributes: ``total_bytes``, ``file_count``, ``max_bytes``, ``max_files``, ``largest`` (the biggest files,
    ``[(arcname, size)]``), ``busiest`` (folders holding the most files, ``[(folder, count)]``). ``files`` are
    :class:`~azureml_rest.snapshot.ProjectFile` (anything with ``arcname`` and ``size``).
    """

    #: How many offenders the message names.
    SHOW = 5

    def __init__(self, source: Any, files: Sequence[Any], max_bytes: int, max_files: int) -> None:
        self.source = source
        self.total_bytes = sum(f.size for f in files)
        self.file_count = len(files)
        self.max_bytes = max_bytes
        self.max_files = max_files
        biggest = sorted(files, key=lambda f: (-f.size, f.arcname))[: self.SHOW]
        self.largest: list[tuple[str, int]] = [(f.arcname, f.size) for f in biggest]
        folders = Counter(str(PurePosixPath(f.arcname).parent) for f in files)
        self.busiest = sorted(folders.items(), key=lambda kv: (-kv[1], kv[0]))[: self.SHOW]
        problems = []
        if self.total_bytes > max_bytes:
            largest = ", ".join(f"{name} ({_mb(size)})" for name, size in self.largest)
            problems.append(
                f"its files total {_mb(self.total_bytes)} ({self.total_bytes} bytes), over the limit of "
                f"{_mb(max_bytes)} ({max_bytes} bytes); largest files: {largest}"
            )
        if self.file_count > max_files:
            busiest = ", ".join(f"{'(root)' if d == '.' else d + '/'} ({n} files)" for d, n in self.busiest)
            problems.append(f"it has {self.file_count} files, over the limit of {max_files}; most files in: {busiest}")
        super().__init__(
            f"the snapshot of {source} is too large for Azure ML (limits: {_mb(max_bytes)}, {max_files} files): "
            + "; ".join(problems)
            + ". Nothing was uploaded. Leave files out with an .amlignore (gitignore syntax) in the project "
            "folder, or keep large data in a datastore."
        )


# --- blob storage and v2 jobs (blob_protocol, _async/blob.py, _async/jobs.py) ----------------------------------


class BlobError(ServiceError):
    """An error answer of the Blob service: ``error_code`` from ``x-ms-error-code`` (or the XML ``<Code>``), e.g.
    ``AuthenticationFailed``, ``InvalidBlockList``, ``ConditionNotMet``; ``message`` the XML ``<Message>``'s first
    line. The URL is redacted (no SAS signature)."""

    @classmethod
    def from_service_error(cls, base: ServiceError, *, error_code: str | None, message: str | None) -> BlobError:
        """This class with ``base``'s status, ids and URL, and Storage's code and message."""
        return cls(base.status_code, error_code=error_code or base.error_code, message=message or base.message,
                   request_id=base.request_id, client_request_id=base.client_request_id, method=base.method,
                   url=base.url, retry_after=base.retry_after)


class BlobNotFoundError(BlobError, NotFoundError):
    """404 from the Blob service (``BlobNotFound``, ``ContainerNotFound``)."""


class JobFailedError(OperationFailedError):
    """A v2 job ended Failed or Canceled: ``job_name``, ``status``, ``error_code`` and ``message`` (the
    service's, from the run details' ``error.error``)."""

    def __init__(self, job_name: str, status: str, *, error_code: str | None = None,
                 message: str | None = None) -> None:
        self.job_name = job_name
        super().__init__(f"job {job_name}", status, error_code=error_code, message=message)


# --- online endpoints (_async/online_scoring.py, operations/_v2.py check_scoring_target) ----------------------


class UntrustedScoringHostError(UntrustedHostError):
    """An online endpoint's ``scoringUri`` is on a host its token must not go to (``auth="token"`` sends the
    endpoint's token only to hosts the session trusts; a key goes to the URI ARM returned for its endpoint).
    Raised before the token is even asked for. Attributes: ``endpoint``, ``host``, ``cloud_name``."""

    def __init__(self, endpoint: str, host: str, cloud_name: str) -> None:
        self.endpoint = endpoint
        self.host = host
        self.cloud_name = cloud_name
        AzureMLError.__init__(  # not UntrustedHostError's message: this one names the endpoint and auth='key'
            self,
            f"refusing to send endpoint {endpoint!r}'s token to its scoringUri host {host!r}: the host is not one "
            f"the {cloud_name} session trusts (an Azure ML host of the cloud or trusted_hosts). Use auth='key' "
            f"(the key may go to the scoringUri ARM returned), or add the host to HttpConfig(trusted_hosts=...) "
            f"if you trust it",
        )


# --- az ml YAML files (yaml_specs/) ----------------------------------------------------------------------------


class YamlSpecError(AzureMLError, ValueError):
    """An az ml YAML file (or a ``--set`` override) that cannot be used: not YAML, an unknown or misspelled
    field, a missing or mistyped value. Attributes: ``file`` (the path as given), ``line`` (1-based, None when
    the problem is not on one line), ``field`` (the dotted field name, None when the file as a whole is wrong)."""

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None) -> None:
        self.file = file
        self.line = line
        self.field = field
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {message}")
