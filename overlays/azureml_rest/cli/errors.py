"""Exit statuses and what a failure prints: the ``EXIT_*`` constants, :class:`UsageError`, :func:`describe_error`.

Every failure becomes one line on stderr (``error: what (code; HTTP status; request id). Hint: ...``) and an
exit status a script can act on; ``--debug`` adds the traceback and the service's error details.
"""

from __future__ import annotations

import json
import re
from typing import TextIO

__all__ = [
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "UsageError",
    "describe_error",
    "print_debug_detail",
]

EXIT_OK = 0
EXIT_ERROR = 1  # any other failure (service error, conflict, bad response, connection refused...)
EXIT_USAGE = 2  # bad or missing arguments (argparse's own code)
EXIT_AUTH = 3  # no token (wrong secret, unknown client) or 401/403 from a service
EXIT_NOT_FOUND = 4  # 404, or a service code ending in NotFound (e.g. ComputeNotFound)
EXIT_FAILED = 5  # a run or long-running operation ended Failed / Canceled
EXIT_TIMEOUT = 6  # gave up waiting (--timeout)
EXIT_INTERRUPTED = 130  # Ctrl-C


class UsageError(Exception):
    """A missing or inconsistent argument found after parsing (exit status 2)."""


def _hint(code: str | None, status: int | None, text: str) -> str | None:
    c = (code or "").lower()
    if c in ("aadsts7000215", "invalid_client") or "aadsts7000215" in text.lower():
        return "check the client secret (--client-secret or AZURE_CLIENT_SECRET)"
    if not c and "failed:" in text and ("Error" in text or "Timeout" in text):
        return "cannot reach the login endpoint: check --endpoint/--cloud, the network and --ca-file"
    if c.startswith("aadsts700016") or "unauthorized_client" in c:
        return "check the client id and tenant id"
    if c in ("invalidapiversionparameter", "missingapiversionparameter", "noregisteredproviderfound"):
        return "use an api-version the service lists as supported"
    if c == "computenotfound":
        return "create it first: azureml-rest compute create NAME (or use target 'local')"
    if c in ("resourcegroupnotfound",):
        return "list them with: azureml-rest group list"
    if c in ("resourcenotfound", "workspacenotfound") or (status == 404 and "workspace" in text.lower()):
        return "check --resource-group/--workspace (azureml-rest workspace list)"
    if status == 403:
        return "the service principal lacks a role on this scope (e.g. Contributor)"
    if status == 401:
        return "the token was refused: check the tenant, the cloud (--cloud) and the credentials"
    return None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _has_request(exc: BaseException) -> bool:
    try:
        return getattr(exc, "request", None) is not None
    except RuntimeError:  # httpx raises when the request is not set
        return False


def describe_error(exc: BaseException) -> tuple[int, str]:
    """(exit status, one line for stderr) for anything a command may raise."""
    from azureml_rest import errors as e

    code: str | None = None
    status: int | None = None
    request_id: str | None = None
    exit_code = EXIT_ERROR
    if isinstance(exc, UsageError):
        return EXIT_USAGE, f"error: {_one_line(str(exc))}"
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "error: interrupted"
    if isinstance(exc, e.CredentialError):
        # Azure AD appends "Trace ID: ... Correlation ID: ... Timestamp: ..."; useful only with --debug.
        desc = re.split(r"\s+Trace ID:", str(exc.description or exc), maxsplit=1)[0]
        what = f"authentication failed: {desc.removeprefix(f'{exc.error_code}: ')}"
        code = exc.error_code or exc.error
        # No answer from Azure AD (connection, TLS) is not a rejected credential.
        exit_code = EXIT_AUTH if (exc.status_code is not None or code) else EXIT_ERROR
    elif isinstance(exc, e.ServiceError):
        status = exc.status_code
        code = exc.error_code
        request_id = exc.request_id or exc.client_request_id
        what = exc.message or (f"body: {exc.excerpt}" if exc.excerpt else exc.reason)
        if exc.method and exc.url:
            what = f"{what} [{exc.method} {exc.url.split('?', 1)[0]}]"
        if isinstance(exc, (e.AuthenticationError, e.PermissionDeniedError)):
            exit_code = EXIT_AUTH
        elif isinstance(exc, e.NotFoundError) or (code or "").lower().endswith("notfound"):
            exit_code = EXIT_NOT_FOUND
    elif isinstance(exc, e.OperationTimeoutError):
        what = str(exc)
        exit_code = EXIT_TIMEOUT
    elif isinstance(exc, e.OperationFailedError):
        what = f"{exc.operation} ended with status {exc.status}" + (f": {exc.message}" if exc.message else "")
        code = exc.error_code
        exit_code = EXIT_FAILED
    elif isinstance(exc, e.AzureMLError):
        what = str(exc)
        code = getattr(exc, "error_code", None)
    elif type(exc).__module__.split(".")[0] in ("httpx", "httpcore"):
        url = getattr(getattr(exc, "request", None), "url", None) if _has_request(exc) else None
        where = f" {url.scheme}://{url.netloc.decode()}" if url is not None else ""
        what = f"cannot reach{where}: {type(exc).__name__}"
        return EXIT_ERROR, f"error: {what}. Hint: check the network, --endpoint/--cloud and that the service is up"
    elif isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError)):
        return EXIT_USAGE, f"error: {_one_line(str(exc))}"
    else:
        what = f"{type(exc).__name__}: {exc}"
    # Service messages are the server's free text: they may echo a SAS URL or a key. The library's redaction has
    # no public name yet (reported to the coordinator); this is the CLI's only import of a private module.
    from azureml_rest.errors import redact_text

    what = redact_text(_one_line(str(what))).rstrip(".")
    meta = "; ".join(p for p in (code, f"HTTP {status}" if status else None,
                                 f"request id {request_id}" if request_id else None) if p)
    line = f"error: {what}" + (f" ({meta})" if meta else "")
    hint = _hint(code, status, what)
    if hint:
        line += f". Hint: {hint}"
    return exit_code, line


def print_debug_detail(exc: BaseException, err: TextIO) -> None:
    """``--debug``: the traceback, then the service's error details and a response excerpt when known."""
    import traceback

    traceback.print_exception(exc, file=err)
    details = getattr(exc, "details", None)
    excerpt = getattr(exc, "excerpt", None)
    if details:
        err.write("details: " + json.dumps(details, default=str)[:2000] + "\n")
    if excerpt:
        err.write(f"response excerpt: {excerpt}\n")
