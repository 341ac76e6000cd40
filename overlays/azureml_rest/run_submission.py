"""Submitting a run, the I/O-free part: run ids, the definition, the multipart body and the upload file.

The request itself is :mod:`azureml_rest._async.run_submission` and its generated sync twin.

- the run definition comes from typed arguments or the user's ``definition.json`` (:mod:`.definition`);
- the project folder is checked (script present, Azure ML's 300 MB / 2000-file limits) and zipped to a
  temporary file (:mod:`.snapshot`) before any request is made;
- the ``runId`` is chosen here (``{experiment}_{unix ms}_{8 hex}``, the article's form plus randomness), so the
  retry transport may repeat ``startrun`` (``retry.is_retry_safe``: startrun WITH runId) without starting two
  runs; when a repeat is answered 409 ``RunIdAlreadyExists`` the run is read back and its id returned (the
  first attempt landed; CONTRIBUTING.md, "A duplicate client-chosen runId");
- the zip is handed to the generated ``Runs_StartRun`` as an open file, so httpx streams it from disk.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.jobs.submit(...)``.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from azureml_execution_client.models.start_run_request import StartRunRequest
from azureml_execution_client.types import File

from .definition import apply_overrides, build_definition, definition_bytes, definition_script, load_definition
from .errors import ConflictError
from .run_waiting import seconds

__all__ = ["RUN_ID_RE", "UploadFile", "check_run_id", "new_run_id", "prepare_definition", "progress_printer"]

#: The spec's runId pattern (specs/execution.yaml, ``runId``): a letter or digit, then up to 255 word
#: characters or dashes.
RUN_ID_RE = re.compile(r"^[A-Za-z0-9][\w-]{0,255}$", re.ASCII)


def new_run_id(experiment: str) -> str:
    """``{experiment}_{unix ms}_{8 hex}``: the article's ``{experiment}_{ms}`` plus 32 random bits, so two
    clients submitting in the same millisecond cannot collide. At most 256 characters (spec pattern)."""
    suffix = f"_{int(time.time() * 1000)}_{secrets.token_hex(4)}"
    prefix = experiment[: 256 - len(suffix)]
    candidate = prefix + suffix
    return candidate if RUN_ID_RE.match(candidate) else "run" + suffix


def check_run_id(run_id: str) -> str:
    """``run_id`` if it matches :data:`RUN_ID_RE`, else ValueError."""
    if not RUN_ID_RE.match(run_id):
        raise ValueError(
            f"run_id {run_id!r} is invalid: it must start with a letter or digit and hold only letters, digits, "
            "'_' and '-' (at most 256 characters)"
        )
    return run_id


def progress_printer(stream: TextIO | None = None, *, min_interval: float = 0.5) -> Callable[[int, int], None]:
    """An ``on_progress`` callback printing ``uploaded 12.0 of 40.0 MB (30%), 8.1 MB/s`` at most every
    ``min_interval`` seconds (default 0.5) and at the end, to ``stream`` (default ``sys.stderr``)."""
    out = stream or sys.stderr
    state = {"start": time.monotonic(), "last": 0.0}

    def report(sent: int, total: int) -> None:
        now = time.monotonic()
        if sent == 0 or sent < state.get("sent", 0):  # a new attempt (retry) starts the clock again
            state["start"] = now
        state["sent"] = sent
        if sent < total and now - state["last"] < min_interval:
            return
        state["last"] = now
        rate = sent / max(now - state["start"], 1e-6)
        pct = 100.0 * sent / total if total else 100.0
        mb = 1024 * 1024
        out.write(f"uploaded {sent / mb:.1f} of {total / mb:.1f} MB ({pct:.0f}%), {rate / mb:.1f} MB/s\n")
        out.flush()

    return report


class UploadFile(io.FileIO):
    """The zip as the multipart part's file object: counts bytes read (= handed to httpx to send) for
    ``on_progress``, and counts attempts (every send reads the file again from offset 0, after httpx's
    ``seek(0)``)."""

    def __init__(self, path: Path, total: int, on_progress: Callable[[int, int], object] | None) -> None:
        super().__init__(path, "rb")
        self.total = total
        self.sent = 0
        self.attempts = 0
        self._on_progress = on_progress

    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() == 0:
            self.attempts += 1
            self.sent = 0
        data = super().read(size)
        if data:
            self.sent += len(data)
            if self._on_progress is not None:
                self._on_progress(self.sent, self.total)
        return data

    def landed_earlier(self, exc: ConflictError) -> bool:
        """A 409 RunIdAlreadyExists after the body was sent more than once: our own earlier attempt landed."""
        return exc.error_code == "RunIdAlreadyExists" and self.attempts > 1


def prepare_definition(
    definition: str | os.PathLike[str] | Mapping[str, Any] | None,
    script: str | None,
    target: str | None,
    arguments: Sequence[str | int | float] | None,
    max_run_duration: float | timedelta | None,
) -> dict[str, Any]:
    """The definition document ``submit`` sends: built from the typed arguments, or the user's with them
    applied over it. Fails early (ValueError, DefinitionError) when no script or target is known."""
    secs = seconds(max_run_duration)
    duration = int(secs) if secs is not None else None
    if duration is not None and duration <= 0:
        raise ValueError("max_run_duration must be at least one second")
    if definition is None:
        if not script:
            raise ValueError("submit needs script=... (or a definition naming one)")
        if not target:
            raise ValueError("submit needs target=... (a compute name, or 'local'), or a definition naming one")
        return build_definition(
            script=script, target=target, arguments=tuple(arguments or ()), max_run_duration_seconds=duration
        )
    doc = apply_overrides(
        load_definition(definition),
        script=script,
        target=target,
        arguments=arguments,
        max_run_duration_seconds=duration,
    )
    definition_script(doc)  # fails early with a clear message when no script is named
    return doc


def start_body(doc: Mapping[str, Any], payload: UploadFile) -> StartRunRequest:
    """The ``Runs_StartRun`` multipart body: ``runDefinitionFile`` (JSON) and ``projectZipFile`` (the zip)."""
    return StartRunRequest(
        run_definition_file=File(
            payload=io.BytesIO(definition_bytes(doc)), file_name="definition.json", mime_type="application/json"
        ),
        project_zip_file=File(payload=payload, file_name="project.zip", mime_type="application/zip"),
    )
