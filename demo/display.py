"""What the demo prints while it runs: each step's HTTP calls, shortened paths, progress lines, one-line errors.

The calls come from the library's explicit hook, ``HttpConfig(on_event=...)``: one
:class:`azureml_rest.HttpEvent` per attempt (URL already redacted), from every client the connection builds,
the credential's included. Nothing here reads log records, so the display does not depend on logging levels.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from azureml_rest import HttpEvent

__all__ = ["INDENT", "Call", "HttpCalls", "PathNames", "StepProgress", "describe"]

#: Everything under a step header is indented this far.
INDENT = "      "


@dataclass
class Call:
    """Attempts with the same method, path and outcome (a status code, or the error of an unanswered attempt)."""

    method: str
    path: str
    outcome: str
    count: int = 1


class HttpCalls:
    """The ``on_event`` hook: collects attempts until :meth:`take`; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def record(self, event: HttpEvent) -> None:
        outcome = str(event.status_code) if event.status_code is not None else (event.error or "no answer")
        path = urlsplit(event.url).path
        with self._lock:
            for call in self._calls:
                if (call.method, call.path, call.outcome) == (event.method, path, outcome):
                    call.count += 1
                    return
            self._calls.append(Call(event.method, path, outcome))

    def take(self) -> list[Call]:
        """The calls since the last take, in first-seen order."""
        with self._lock:
            calls, self._calls = self._calls, []
        return calls


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_WORKSPACE = re.compile(r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                        r"Microsoft\.MachineLearningServices/workspaces/[^/]+", re.IGNORECASE)


def _short_segment(segment: str) -> str:
    if _UUID.match(segment):
        return segment[:8] + "…"
    return segment if len(segment) <= 48 else segment[:20] + "…"


class PathNames:
    """Shortens paths for display: the workspace prefix becomes ``{ws}``, ids become ``{sub}``/``{tenant}``."""

    def __init__(self, subscription_id: str, tenant_id: str | None) -> None:
        self._sub = subscription_id
        self._tenant = tenant_id

    def short(self, path: str) -> str:
        path = _WORKSPACE.sub("/{ws}", path)
        path = path.replace(self._sub, "{sub}")
        if self._tenant:
            path = path.replace(self._tenant, "{tenant}")
        return "/".join(_short_segment(p) for p in path.split("/"))


def _human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


class StepProgress:
    """Progress lines inside a step (indented): uploads, run status changes, long-running operations."""

    def __init__(self, out: TextIO, *, interval: float = 2.0) -> None:
        self.out = out
        self.interval = interval
        self._upload_start: float | None = None
        self._last_upload = 0.0

    def line(self, text: str) -> None:
        self.out.write(f"{INDENT}{text}\n")
        self.out.flush()

    def upload(self, sent: int, total: int | None) -> None:
        """``on_progress`` of run submission: a line at most every ``interval`` seconds, and at the end."""
        now = time.monotonic()
        if self._upload_start is None:
            self._upload_start = now
        if not (total is not None and sent >= total) and now - self._last_upload < self.interval:
            return
        self._last_upload = now
        elapsed = max(now - self._upload_start, 1e-6)
        of = f" of {_human_bytes(total)}" if total else ""
        self.line(f"upload: {_human_bytes(sent)}{of} ({_human_bytes(sent / elapsed)}/s, {elapsed:.1f} s)")

    def run_status(self, status: str, elapsed: float) -> None:
        """``on_status`` of a run wait."""
        self.line(f"run: {status} ({elapsed:.1f} s)")

    def wait_poller(self, poller: Any, label: str, timeout: float | None = None) -> Any:
        """``poller.result(timeout)`` while a ticker thread prints each status change, and the status again every
        ``10 * interval`` seconds as a heartbeat (the poller keeps its own cadence, the server's ``Retry-After``;
        the ticker only reads ``status()``)."""
        from azureml_rest.lro import result_with_status

        return result_with_status(poller, lambda status, seconds: self.line(f"{label}: {status} ({seconds:.1f} s)"),
                                  timeout, heartbeat=10 * self.interval)


def describe(exc: BaseException) -> str:
    """One line for a failure: the service's message with its code, HTTP status and request id when known."""
    from azureml_rest import ServiceError

    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, ServiceError):
        what = exc.message or (f"body: {exc.excerpt}" if exc.excerpt else exc.reason)
        if exc.method and exc.url:
            what = f"{what} [{exc.method} {exc.url.split('?', 1)[0]}]"
        request_id = exc.request_id or exc.client_request_id
        meta = "; ".join(p for p in (exc.error_code, f"HTTP {exc.status_code}",
                                     f"request id {request_id}" if request_id else None) if p)
        text = f"{what} ({meta})"
    elif type(exc).__module__.split(".")[0] == "azureml_rest":
        text = str(exc)  # the library's own errors read well as they are (and never carry a secret)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())
