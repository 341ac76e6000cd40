"""Reading a Jobs_CreateOrUpdate body (``JobBase``, api-version 2025-12-01) into the properties the emulator stores.

What is checked follows Microsoft's 2025-12-01 spec (``JobBaseProperties``, ``CommandJob``, ``JobInput``,
``JobOutput``, ``JobLimits``, ``DistributionConfiguration``, ``IdentityConfiguration`` in
specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01):
discriminators must name a known subtype (``jobType``, ``jobInputType``, ``jobOutputType``, ``jobLimitsType``,
``distributionType``, ``identityType``), required strings must hold a letter, digit or ``_`` (the spec's
``[Required]`` pattern), and a command may only reference inputs and outputs the job declares (as the service
validates on submission). Every problem is a :class:`BadJob` (400, ARM error shape). Job types other than
``Command`` are stored as sent (they are readable, not run).
"""

from __future__ import annotations

import re
from typing import Any

JOB_TYPES = ("Command", "AutoML", "Sweep", "Pipeline", "Spark")
INPUT_TYPES = ("literal", "uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model")
OUTPUT_TYPES = ("uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model")
INPUT_MODES = ("ReadOnlyMount", "ReadWriteMount", "Download", "Direct", "EvalMount", "EvalDownload")
OUTPUT_MODES = ("ReadWriteMount", "Upload", "Direct")
DISTRIBUTIONS = ("PyTorch", "TensorFlow", "Mpi")
IDENTITIES = ("AMLToken", "Managed", "UserIdentity")
#: Command-job properties the emulator keeps (create-only ones included); anything else is dropped.
COMMAND_FIELDS = (
    "codeId", "command", "distribution", "environmentId", "environmentVariables", "inputs", "limits", "outputs",
    "queueSettings", "resources",
)  # fmt: skip
BASE_FIELDS = (
    "componentId", "computeId", "description", "displayName", "experimentName", "identity", "isArchived",
    "notificationSetting", "properties", "services", "tags",
)  # fmt: skip
MAX_COMMAND = 64 * 1024
MAX_IO = 200
# Input and output names are identifiers (azure-ai-ml validates them as such; the service uses them in paths).
IO_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")
# ${{inputs.name}} / ${{outputs.name}}; $[[ ... ]] is an optional part, dropped when an input in it is missing.
REFERENCE = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
OPTIONAL = re.compile(r"\$\[\[(.*?)\]\]", re.DOTALL)
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class BadJob(Exception):
    """A body the service refuses: 400 with ``code`` and ``message`` (ARM error shape)."""

    def __init__(self, message: str, code: str = "UserError", target: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.target = target


def _required_string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value or not re.search(r"[a-zA-Z0-9_]", value):
        raise BadJob(f"'{where}' is required: a string with at least one letter, digit or '_'.", target=where)
    if "\x00" in value:
        raise BadJob(f"'{where}' must not contain NUL characters.", target=where)
    return value


def _environment(value: Any) -> dict[str, str]:
    """``environmentVariables``: names without ``=`` or NUL, values without NUL (a process could not get them)."""
    env = _string_map(value, "properties.environmentVariables")
    for name, text in env.items():
        if not name or "=" in name or "\x00" in name or "\x00" in text:
            raise BadJob(
                f"Environment variable {name[:60]!r} is invalid: a name without '=' and no NUL characters.",
                target="properties.environmentVariables",
            )
    return env


def _optional_string(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadJob(f"'{where}' must be a string.", target=where)
    return value


def _string_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadJob(f"'{where}' must be a map of strings to strings.", target=where)
    return {str(k): v for k, v in value.items()}


def _object(value: Any, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadJob(f"'{where}' must be an object.", target=where)
    return dict(value)


def _discriminated(value: Any, where: str, field: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
    obj = _object(value, where)
    if obj is None:
        return None
    kind = obj.get(field)
    if kind not in allowed:
        raise BadJob(
            f"'{where}.{field}' is {str(kind)[:60]!r}; it must be one of {', '.join(allowed)}.",
            target=f"{where}.{field}",
        )
    return obj


def duration_seconds(value: str, where: str) -> float:
    """Seconds of an ISO-8601 duration such as ``PT1H30M`` or ``P1DT2S``; BadJob when malformed."""
    match = _DURATION.match(value.strip()) if isinstance(value, str) else None
    if match is None or value.strip() in ("P", "PT"):
        raise BadJob(f"'{where}' must be an ISO-8601 duration such as 'PT30M'.", target=where)
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def _inputs(value: Any) -> dict[str, dict[str, Any]]:
    raw = _object(value, "properties.inputs") or {}
    if len(raw) > MAX_IO:
        raise BadJob(f"A job has at most {MAX_IO} inputs.", target="properties.inputs")
    out: dict[str, dict[str, Any]] = {}
    for name, spec in raw.items():
        where = f"properties.inputs.{str(name)[:60]}"
        if not IO_NAME.match(str(name)):
            raise BadJob(f"Input name {str(name)[:60]!r} is invalid: use letters, digits and '_'.", target=where)
        item = _discriminated(spec, where, "jobInputType", INPUT_TYPES)
        if item is None:
            raise BadJob(f"'{where}' must be an object.", target=where)
        _optional_string(item.get("description"), where + ".description")
        if item["jobInputType"] == "literal":
            _required_string(item.get("value"), where + ".value")
        else:
            _required_string(item.get("uri"), where + ".uri")
            mode = item.get("mode")
            if mode is not None and mode not in INPUT_MODES:
                raise BadJob(f"'{where}.mode' must be one of {', '.join(INPUT_MODES)}.", target=where + ".mode")
        out[str(name)] = item
    return out


def _outputs(value: Any) -> dict[str, dict[str, Any]]:
    raw = _object(value, "properties.outputs") or {}
    if len(raw) > MAX_IO:
        raise BadJob(f"A job has at most {MAX_IO} outputs.", target="properties.outputs")
    out: dict[str, dict[str, Any]] = {}
    for name, spec in raw.items():
        where = f"properties.outputs.{str(name)[:60]}"
        if not IO_NAME.match(str(name)):
            raise BadJob(f"Output name {str(name)[:60]!r} is invalid: use letters, digits and '_'.", target=where)
        item = _discriminated(spec, where, "jobOutputType", OUTPUT_TYPES)
        if item is None:
            raise BadJob(f"'{where}' must be an object.", target=where)
        _optional_string(item.get("uri"), where + ".uri")
        _optional_string(item.get("assetName"), where + ".assetName")
        mode = item.get("mode")
        if mode is not None and mode not in OUTPUT_MODES:
            raise BadJob(f"'{where}.mode' must be one of {', '.join(OUTPUT_MODES)}.", target=where + ".mode")
        out[str(name)] = item
    return out


def references(command: str) -> list[tuple[str, str]]:
    """Every ``(inputs|outputs, name)`` the command references, optional parts included."""
    return [(m.group(1), m.group(2)) for m in REFERENCE.finditer(command)]


def _check_references(command: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
    required = OPTIONAL.sub("", command)
    for group, name in references(required):
        declared = inputs if group == "inputs" else outputs
        if name not in declared:
            raise BadJob(
                f"The command references '${{{{{group}.{name}}}}}', which the job does not declare in '{group}'.",
                target="properties.command",
            )
    for group, name in references(command):
        if group == "outputs" and name not in outputs:
            raise BadJob(f"The command references undeclared output '{name}'.", target="properties.command")


def _command(props: dict[str, Any]) -> dict[str, Any]:
    command = _required_string(props.get("command"), "properties.command")
    if len(command) > MAX_COMMAND:
        raise BadJob(f"'properties.command' is longer than {MAX_COMMAND} characters.", target="properties.command")
    _required_string(props.get("environmentId"), "properties.environmentId")
    _optional_string(props.get("codeId"), "properties.codeId")
    inputs = _inputs(props.get("inputs"))
    outputs = _outputs(props.get("outputs"))
    _check_references(command, inputs, outputs)
    limits = _discriminated(props.get("limits"), "properties.limits", "jobLimitsType", ("Command",))
    if limits is not None and limits.get("timeout") is not None:
        duration_seconds(limits["timeout"], "properties.limits.timeout")
    _discriminated(props.get("distribution"), "properties.distribution", "distributionType", DISTRIBUTIONS)
    resources = _object(props.get("resources"), "properties.resources") or {}
    count = resources.get("instanceCount", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise BadJob("'properties.resources.instanceCount' must be a positive integer.", target="properties.resources")
    return {
        "codeId": props.get("codeId"),
        "command": command,
        "distribution": props.get("distribution"),
        "environmentId": props["environmentId"],
        "environmentVariables": _environment(props.get("environmentVariables")),
        "inputs": inputs,
        "limits": limits,
        "outputs": outputs,
        "parameters": {},
        "queueSettings": _object(props.get("queueSettings"), "properties.queueSettings"),
        "resources": {"instanceCount": 1, "shmSize": "2g", **resources},
    }


def read(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The stored ``properties`` of job ``name`` from a request body (status and services are added later)."""
    props = body.get("properties")
    if not isinstance(props, dict):
        raise BadJob("The request body must have a 'properties' object (JobBaseProperties).", target="properties")
    job_type = props.get("jobType")
    if job_type not in JOB_TYPES:
        raise BadJob(
            f"'properties.jobType' is {str(job_type)[:60]!r}; it must be one of {', '.join(JOB_TYPES)}.",
            target="properties.jobType",
        )
    for key in ("componentId", "computeId", "description", "displayName"):
        _optional_string(props.get(key), f"properties.{key}")
    experiment = props.get("experimentName") or "Default"
    if not isinstance(experiment, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,255}$", experiment):
        raise BadJob("'properties.experimentName' must be letters, digits, '_' and '-'.", target="experimentName")
    archived = props.get("isArchived", False)
    if not isinstance(archived, bool):
        raise BadJob("'properties.isArchived' must be a boolean.", target="properties.isArchived")
    _discriminated(props.get("identity"), "properties.identity", "identityType", IDENTITIES)
    stored: dict[str, Any] = {
        "jobType": job_type,
        "componentId": props.get("componentId"),
        "computeId": props.get("computeId"),
        "description": props.get("description"),
        "displayName": props.get("displayName") or name,
        "experimentName": experiment,
        "identity": props.get("identity"),
        "isArchived": archived,
        "notificationSetting": _object(props.get("notificationSetting"), "properties.notificationSetting"),
        "properties": _string_map(props.get("properties"), "properties.properties"),
        "tags": _string_map(props.get("tags"), "properties.tags"),
    }
    if job_type == "Command":
        stored.update(_command(props))
    else:  # stored as sent, readable; not run by the emulator
        stored.update({k: v for k, v in props.items() if k not in stored and k not in ("status", "services")})
    return stored


MUTABLE = ("tags", "isArchived", "notificationSetting", "description", "properties")


def immutable_change(first: dict[str, Any], stored: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The first create-only property a repeated PUT changes, or None (then the PUT updates the mutable ones).

    ``first`` is what the job's first PUT asked for and ``new`` what this one asks (both :func:`read` results);
    ``stored`` the job's properties as answered (output URIs the service filled in, the ``default`` output). A
    value equal to either is no change: azure-ai-ml's ``jobs.archive`` PUTs back the job it read.
    """
    for key in sorted(set(first) | set(new)):
        if key not in MUTABLE and new.get(key) not in (first.get(key), stored.get(key)):
            return key
    return None
