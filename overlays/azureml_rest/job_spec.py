"""v2 command jobs without I/O: the job body (2025-12-01 ``CommandJob``), inputs and outputs, environment and
compute references, client-chosen names, statuses, the wait backoff and the log follower's bookkeeping.

Shapes from specs/machinelearning.yaml (``CommandJob``, ``JobInput``/``JobOutput``, ``JobResourceConfiguration``,
``CommandJobLimits``) and what azure-ai-ml 1.35 sends (``jobs.create_or_update``: ``computeId`` and
``environmentId`` as ARM ids built locally; ``azureml:<name>:<version>`` turned into an ARM id; an
``azureml://registries/...`` environment passed verbatim; an inline image as an anonymous environment version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ANONYMOUS_ENVIRONMENT",
    "FAILED",
    "TERMINAL",
    "Input",
    "LogCursor",
    "Output",
    "command_job_body",
    "environment_id",
    "environment_version_body",
    "new_job_name",
    "poll_interval",
]

#: JobStatus values that end a job (the others, Paused and NotResponding included, may still move).
TERMINAL = frozenset({"Completed", "Failed", "Canceled"})
FAILED = frozenset({"Failed", "Canceled"})
#: The container azure-ai-ml puts anonymous environments in.
ANONYMOUS_ENVIRONMENT = "CliV2AnonymousEnvironment"
_URI_TYPES = ("uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model")


@dataclass(frozen=True)
class Input:
    """A job input: ``Input(value=3)`` (literal), ``Input(path="data.csv")`` (a local file or folder, uploaded),
    or ``Input(uri="azureml://datastores/workspaceblobstore/paths/x.csv", type="uri_file")``. ``type`` defaults
    to ``uri_file``/``uri_folder`` from the path (or a URI's trailing ``/``); ``mode`` to the service's."""

    value: Any = None
    path: str | os.PathLike[str] | None = None
    uri: str | None = None
    type: str | None = None
    mode: str | None = None

    def __post_init__(self) -> None:
        given = [x is not None for x in (self.value, self.path, self.uri)]
        if sum(given) != 1:
            raise ValueError("an Input takes exactly one of value, path or uri")
        if self.type is not None and self.type not in _URI_TYPES:
            raise ValueError(f"input type {self.type!r} is not one of {_URI_TYPES}")

    def kind(self) -> str:
        """The ``jobInputType`` to send."""
        if self.value is not None:
            return "literal"
        if self.type:
            return self.type
        if self.path is not None:
            return "uri_folder" if Path(self.path).is_dir() else "uri_file"
        return "uri_folder" if str(self.uri).endswith("/") else "uri_file"


@dataclass(frozen=True)
class Output:
    """A job output (``uri_folder`` by default); ``uri`` None lets the service choose where it goes."""

    type: str = "uri_folder"
    uri: str | None = None
    mode: str | None = None


def as_input(v: Any) -> Input:
    """A plain value (str, int, float, bool) is a literal; ``Input`` as is."""
    if isinstance(v, Input):
        return v
    if isinstance(v, (str, int, float, bool)):
        return Input(value=v)
    raise TypeError(f"job input must be an Input or a literal, not {type(v).__name__}")


def input_body(inp: Input, resolved_uri: str | None = None) -> dict[str, Any]:
    """The ``JobInput`` JSON; ``resolved_uri`` is where a local ``path`` was uploaded."""
    kind = inp.kind()
    if kind == "literal":
        v = inp.value
        return {"jobInputType": "literal", "value": json.dumps(v) if isinstance(v, bool) else str(v)}
    uri = resolved_uri or inp.uri
    if not uri:
        raise ValueError("a local input must be uploaded before the job is sent")
    body: dict[str, Any] = {"jobInputType": kind, "uri": uri}
    if inp.mode:
        body["mode"] = inp.mode
    return body


def output_body(out: Output | str) -> dict[str, Any]:
    """The ``JobOutput`` JSON (a str is the output type)."""
    o = Output(type=out) if isinstance(out, str) else out
    body: dict[str, Any] = {"jobOutputType": o.type}
    if o.uri:
        body["uri"] = o.uri
    if o.mode:
        body["mode"] = o.mode
    return body


def workspace_id(ids: tuple[str, str, str]) -> str:
    sub, rg, ws = ids
    return (f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/"
            f"workspaces/{ws}")


def environment_id(ids: tuple[str, str, str], reference: str) -> str:
    """An environment reference as ``environmentId``: ``azureml:<name>:<version>`` -> the workspace's ARM id;
    ``azureml://...`` and ARM ids (``/subscriptions/...``) verbatim."""
    if reference.startswith(("azureml://", "/subscriptions/")):
        return reference
    if reference.startswith("azureml:"):
        name, sep, version = reference[len("azureml:"):].rpartition(":")
        if not sep or not name or not version:
            raise ValueError(f"environment reference {reference!r} is not azureml:<name>:<version>")
        return f"{workspace_id(ids)}/environments/{name}/versions/{version}"
    raise ValueError(f"environment reference {reference!r}: use azureml:<name>:<version>, azureml://... or an "
                     "ARM id (or image=... for an image)")


def environment_version_body(image: str) -> tuple[str, dict[str, Any]]:
    """``(version, body)`` of the anonymous environment for an image: the version is a hash of the body, so
    the same image always maps to the same version (a re-PUT changes nothing)."""
    body = {"properties": {"image": image, "isAnonymous": True, "isArchived": False}}
    version = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return version, body


def new_job_name(prefix: str = "job") -> str:
    """A fresh client-chosen job name (the run id): a retried PUT of the same name cannot make a second job."""
    return f"{prefix}_{os.urandom(6).hex()}"


def _duration(seconds: float) -> str:
    return f"PT{int(seconds)}S" if float(seconds).is_integer() else f"PT{seconds}S"


def command_job_body(*, command: str, environment_id: str, code_id: str | None = None,
                     compute_id: str | None = None, inputs: Mapping[str, dict[str, Any]] | None = None,
                     outputs: Mapping[str, dict[str, Any]] | None = None,
                     environment_variables: Mapping[str, str] | None = None, instance_count: int | None = None,
                     timeout: float | dt.timedelta | None = None, experiment_name: str | None = None,
                     display_name: str | None = None, tags: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``JobBase`` JSON of a command job (``jobType: Command``)."""
    props: dict[str, Any] = {"jobType": "Command", "command": command, "environmentId": environment_id,
                             "inputs": dict(inputs or {}), "outputs": dict(outputs or {}),
                             "environmentVariables": dict(environment_variables or {})}
    if code_id:
        props["codeId"] = code_id
    if compute_id:
        props["computeId"] = compute_id
    if instance_count is not None:
        props["resources"] = {"instanceCount": int(instance_count)}
    if timeout is not None:
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else float(timeout)
        props["limits"] = {"jobLimitsType": "Command", "timeout": _duration(seconds)}
    if experiment_name:
        props["experimentName"] = experiment_name
    if display_name:
        props["displayName"] = display_name
    if tags:
        props["tags"] = dict(tags)
    return {"properties": props}


def poll_interval(attempt: int, *, first: float = 1.0, maximum: float = 30.0) -> float:
    """Seconds to wait before status poll ``attempt`` (0-based): ``first`` doubling up to ``maximum``."""
    return float(min(maximum, first * float(2 ** min(attempt, 16))))


class LogCursor:
    """Where the log follower is in ``std_log.txt``: the next byte to ask for and the partial last line kept
    until its newline arrives (lines are handed out whole, decoded as UTF-8 with replacement)."""

    def __init__(self) -> None:
        self.offset = 0
        self._partial = b""

    def feed(self, data: bytes) -> list[str]:
        """Complete lines in ``data`` (which starts at :attr:`offset`)."""
        self.offset += len(data)
        buf = self._partial + data
        *lines, self._partial = buf.split(b"\n")
        return [line.decode("utf-8", errors="replace").rstrip("\r") for line in lines]

    def flush(self) -> list[str]:
        """The last line when the log has ended without a newline."""
        rest, self._partial = self._partial, b""
        return [rest.decode("utf-8", errors="replace")] if rest else []
