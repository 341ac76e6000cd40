"""Parse a RunDefinition in camelCase (Microsoft's spec) or PascalCase (the article, the SDK).

The schema is specs/execution.yaml ``RunDefinition``; why both casings: specs/README.md, Execution:
"RunDefinition casing".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .common import BadRequest, ci_get
from .safezip import ZipProblem, safe_name

# seconds; a larger MaxRunDurationSeconds is refused. 30 days: azureml-core's ScriptRunConfig sends that by
# default (azureml/core/script_run_config.py line 319, MAX_DURATION_SECONDS_DEFAULT = 2592000).
MAX_DURATION = 30 * 24 * 3600


@dataclass
class RunSpec:
    """What the runner needs from a run definition. ``max_duration`` None = no limit."""

    script: str
    arguments: list[str]
    target: str
    max_duration: float | None
    environment_variables: dict[str, str] = field(default_factory=dict)
    snapshot_id: str | None = None
    parent_run_id: str | None = None
    run_type: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    #: ``environment.python.interpreterPath`` when ``userManagedDependencies`` is true (the run uses that
    #: interpreter as it is, as Azure ML does); None = the emulator's own interpreter.
    interpreter: str | None = None


def parse_bytes(data: bytes) -> dict[str, Any]:
    """The definition document from the bytes of the ``runDefinitionFile`` part."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"runDefinitionFile is not valid JSON: {exc}", "InvalidRunDefinition") from None
    if not isinstance(doc, dict):
        raise BadRequest("runDefinitionFile must hold a JSON object", "InvalidRunDefinition")
    return doc


def _str_or_none(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string", "InvalidRunDefinition")
    return value


def parse(doc: dict[str, Any], *, need_snapshot: bool = False) -> RunSpec:
    """Validate a definition document; raises BadRequest with a clear message."""
    conf = ci_get(doc, "configuration")
    if conf is None:
        raise BadRequest("the run definition has no 'configuration'", "InvalidRunDefinition")
    if not isinstance(conf, dict):
        raise BadRequest("'configuration' must be a JSON object", "InvalidRunDefinition")
    script = ci_get(conf, "script")
    if not isinstance(script, str) or not script.strip():
        raise BadRequest("the run definition names no 'script' (configuration.script)", "InvalidRunDefinition")
    try:
        script_name = safe_name(script.strip())
    except ZipProblem as exc:
        raise BadRequest(
            f"configuration.script is not a safe relative path: {exc.message}", "InvalidRunDefinition"
        ) from None
    if script_name is None:
        raise BadRequest("configuration.script must name a file", "InvalidRunDefinition")
    args_raw = ci_get(conf, "arguments")
    if args_raw is None:
        args_raw = []
    if not isinstance(args_raw, list):
        raise BadRequest("configuration.arguments must be an array", "InvalidRunDefinition")
    arguments: list[str] = []
    for arg in args_raw:
        if isinstance(arg, bool) or not isinstance(arg, (str, int, float)):
            raise BadRequest("configuration.arguments must hold strings or numbers", "InvalidRunDefinition")
        arguments.append(arg if isinstance(arg, str) else json.dumps(arg))
    target = ci_get(conf, "target")
    if target is None:
        target = "local"
    if not isinstance(target, str) or not target.strip():
        raise BadRequest("configuration.target must be a compute name", "InvalidRunDefinition")
    duration = ci_get(conf, "maxRunDurationSeconds")
    max_duration: float | None = None
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, (int, float)):
            raise BadRequest("configuration.maxRunDurationSeconds must be a number", "InvalidRunDefinition")
        if not 0 < duration <= MAX_DURATION:
            raise BadRequest(
                f"configuration.maxRunDurationSeconds must be between 1 and {MAX_DURATION}", "InvalidRunDefinition"
            )
        max_duration = float(duration)
    env_vars: dict[str, str] = {}
    env = ci_get(conf, "environment")
    if env is not None and not isinstance(env, dict):
        raise BadRequest("configuration.environment must be an object", "InvalidRunDefinition")
    variables = ci_get(env, "environmentVariables") if env else None
    if variables is not None:
        if not isinstance(variables, dict):
            raise BadRequest("environment.environmentVariables must be an object", "InvalidRunDefinition")
        for key, value in variables.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool) or "\x00" in str(key):
                raise BadRequest("environment variables must be strings", "InvalidRunDefinition")
            env_vars[str(key)] = str(value)
    interpreter = _interpreter(ci_get(env, "python") if env else None)
    snapshot = _str_or_none(ci_get(doc, "snapshotId"), "snapshotId")
    if need_snapshot and not snapshot:
        raise BadRequest("a snapshot run needs 'snapshotId'", "InvalidRunDefinition")
    return RunSpec(
        script=script_name,
        arguments=arguments,
        target=target.strip(),
        max_duration=max_duration,
        environment_variables=env_vars,
        snapshot_id=snapshot,
        parent_run_id=_str_or_none(ci_get(doc, "parentRunId"), "parentRunId"),
        run_type=_str_or_none(ci_get(doc, "runType"), "runType"),
        raw=doc,
        interpreter=interpreter,
    )


def _interpreter(python: Any) -> str | None:
    """The ``interpreterPath`` of a user-managed Python section (azureml-core's ``PythonSection``:
    ``userManagedDependencies`` + ``interpreterPath``, azureml/core/environment.py), else None."""
    if not isinstance(python, dict) or ci_get(python, "userManagedDependencies") is not True:
        return None
    path = _str_or_none(ci_get(python, "interpreterPath"), "interpreterPath")
    if path is None or not path.strip() or "\x00" in path:
        return None
    return path.strip()
