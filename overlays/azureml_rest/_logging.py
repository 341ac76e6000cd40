"""The ``azureml_rest`` loggers and the one place requests and responses are logged.

Everything is logged at DEBUG under ``azureml_rest.<module>``; retries at INFO. URLs keep only allow-listed
query values, headers only allow-listed values (see :mod:`azureml_rest._redact`). Bodies are never logged,
so neither token requests nor their answers can leak.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ._redact import redact_headers, redact_url

if TYPE_CHECKING:
    import httpx

__all__ = ["ROOT_LOGGER_NAME", "get_logger", "log_request", "log_response", "log_transport_error"]

ROOT_LOGGER_NAME = "azureml_rest"

# A library adds no handlers beyond the no-op one; applications configure logging.
logging.getLogger(ROOT_LOGGER_NAME).addHandler(logging.NullHandler())


class RedactUrlArgs(logging.Filter):
    """Redacts URL arguments of another library's log records. httpx logs every request at INFO as
    ``HTTP Request: GET <full URL> ...``, and a run-log URL carries a SAS-style ``sig=``; applying our
    allow-list (:func:`~azureml_rest._redact.redact_url`) keeps it out of application logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                redact_url(str(arg)) if str(arg).startswith(("http://", "https://")) else arg for arg in record.args
            )
        return True


def _install_httpx_redaction() -> None:
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactUrlArgs) for f in httpx_logger.filters):
        httpx_logger.addFilter(RedactUrlArgs())


_install_httpx_redaction()  # this module is imported whenever the overlay builds an httpx client


def get_logger(name: str) -> logging.Logger:
    """The child logger for a module: ``azureml_rest.transport`` for ``get_logger("transport")``."""
    if name.startswith(ROOT_LOGGER_NAME):
        return logging.getLogger(name)
    return logging.getLogger(f"{ROOT_LOGGER_NAME}.{name}")


def _fmt_headers(headers: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(headers.items()))


def log_request(logger: logging.Logger, request: httpx.Request, attempt: int) -> None:
    """DEBUG line for one attempt of a request: method, redacted URL, allow-listed headers."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "request %s %s attempt=%d headers={%s}",
        request.method,
        redact_url(str(request.url)),
        attempt,
        _fmt_headers(redact_headers(request.headers.multi_items())),
    )


def log_response(
    logger: logging.Logger, request: httpx.Request, response: httpx.Response, elapsed_ms: float, attempt: int
) -> None:
    """DEBUG line for one response: status, elapsed ms, allow-listed headers (no body)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "response %s %s status=%d elapsed_ms=%.1f attempt=%d headers={%s}",
        request.method,
        redact_url(str(request.url)),
        response.status_code,
        elapsed_ms,
        attempt,
        _fmt_headers(redact_headers(response.headers.multi_items())),
    )


def log_transport_error(
    logger: logging.Logger, request: httpx.Request, exc: BaseException, elapsed_ms: float, attempt: int
) -> None:
    """DEBUG line for a connection-level failure (exception type only; its text may hold a URL)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "error %s %s %s elapsed_ms=%.1f attempt=%d",
        request.method,
        redact_url(str(request.url)),
        type(exc).__name__,
        elapsed_ms,
        attempt,
    )
