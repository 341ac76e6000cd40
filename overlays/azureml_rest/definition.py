"""Run definitions for ``startrun`` (``runDefinitionFile``; CONTRIBUTING.md, Runs_StartRun).

Two ways in:

- :func:`build_definition` makes one from typed arguments, in the camelCase form of Microsoft's spec
  (``RunDefinition`` / ``RunConfiguration`` of specs/execution.yaml), through the generated models, so a
  field name the spec does not know cannot slip in.
- :func:`load_definition` + :func:`apply_overrides` take a user's ``definition.json`` as written, in the
  article's PascalCase (``Configuration``/``Script``/``Target``) or the spec's camelCase (the service binds
  keys case-insensitively: specs/README.md, Execution, "RunDefinition casing"), keep every key and its
  casing, and let typed arguments override ``script``, ``target``, ``arguments`` and ``maxRunDurationSeconds``.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from azureml_execution_client.models.communicator import Communicator
from azureml_execution_client.models.conda_dependencies import CondaDependencies
from azureml_execution_client.models.environment_definition import EnvironmentDefinition
from azureml_execution_client.models.environment_variables import EnvironmentVariables
from azureml_execution_client.models.framework import Framework
from azureml_execution_client.models.history_configuration import HistoryConfiguration
from azureml_execution_client.models.python_section import PythonSection
from azureml_execution_client.models.run_configuration import RunConfiguration
from azureml_execution_client.models.run_definition import RunDefinition

from .errors import DefinitionError  # defined in errors.py, re-exported here

__all__ = [
    "DEFAULT_CONDA_DEPENDENCIES",
    "DefinitionError",
    "apply_overrides",
    "build_definition",
    "definition_bytes",
    "definition_script",
    "definition_target",
    "load_definition",
]

#: The conda environment the article's definition.json and the 2020 SDK's default RunConfiguration use.
DEFAULT_CONDA_DEPENDENCIES: dict[str, Any] = {
    "name": "project_environment",
    "dependencies": ["python=3.6.2", {"pip": ["azureml-defaults"]}],
}


def build_definition(
    *,
    script: str,
    target: str,
    arguments: Sequence[str | int | float] = (),
    framework: str = "Python",
    communicator: str = "None",
    max_run_duration_seconds: int | None = None,
    node_count: int = 1,
    interpreter_path: str = "python",
    user_managed_dependencies: bool = False,
    conda_dependencies: Mapping[str, Any] | None = None,
    environment_variables: Mapping[str, str] | None = None,
    output_collection: bool = True,
) -> dict[str, Any]:
    """A camelCase RunDefinition ``{"configuration": {...}}`` (spec form).

    Defaults: framework ``Python``, communicator ``None``, no run-duration limit, ``nodeCount`` 1, interpreter
    ``python``, ``userManagedDependencies`` False with :data:`DEFAULT_CONDA_DEPENDENCIES` (the article's
    environment), history output collection on. Arguments are sent as strings (the spec's type).
    """
    if not script or not script.strip():
        raise DefinitionError("a run definition needs a script")
    if not target or not target.strip():
        raise DefinitionError("a run definition needs a compute target (a compute name, or 'local')")
    if max_run_duration_seconds is not None and max_run_duration_seconds <= 0:
        raise DefinitionError("max_run_duration_seconds must be positive")
    if node_count < 1:
        raise DefinitionError("node_count must be at least 1")
    conda = None
    if not user_managed_dependencies:
        conda = CondaDependencies.from_dict(
            dict(conda_dependencies) if conda_dependencies is not None else copy.deepcopy(DEFAULT_CONDA_DEPENDENCIES)
        )
    python = PythonSection(interpreter_path=interpreter_path, user_managed_dependencies=user_managed_dependencies)
    if conda is not None:
        python.conda_dependencies = conda
    environment = EnvironmentDefinition(python=python)
    if environment_variables:
        environment.environment_variables = EnvironmentVariables.from_dict(
            {str(k): str(v) for k, v in environment_variables.items()}
        )
    configuration = RunConfiguration(
        script=script.strip(),
        arguments=[str(a) for a in arguments],
        framework=Framework(framework),
        communicator=Communicator(communicator),
        target=target.strip(),
        node_count=node_count,
        environment=environment,
        history=HistoryConfiguration(output_collection=output_collection),
    )
    if max_run_duration_seconds is not None:
        configuration.max_run_duration_seconds = int(max_run_duration_seconds)
    return RunDefinition(configuration=configuration).to_dict()


def load_definition(source: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
    """A definition document from a path to a JSON file, or a mapping (deep-copied).

    A bare RunConfiguration (a document with ``script``/``Script`` at the top and no ``configuration``)
    is wrapped as ``{"configuration": ...}`` in the document's own casing.
    """
    if isinstance(source, Mapping):
        doc: Any = copy.deepcopy(dict(source))
        origin = "the definition"
    else:
        path = Path(source)
        origin = str(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise DefinitionError(f"the run definition file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DefinitionError(f"cannot read the run definition file {path}: {exc}") from None
        except ValueError as exc:
            raise DefinitionError(f"the run definition file {path} is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise DefinitionError(f"{origin} must be a JSON object")
    if _key(doc, "configuration") is None and _key(doc, "script") is not None:
        doc = {("Configuration" if _is_pascal(doc) else "configuration"): doc}
    conf_key = _key(doc, "configuration")
    if conf_key is None:
        raise DefinitionError(f"{origin} has no 'configuration' (or 'Configuration') object")
    if not isinstance(doc[conf_key], dict):
        raise DefinitionError(f"{origin}: '{conf_key}' must be a JSON object")
    result: dict[str, Any] = doc
    return result


def _key(doc: Mapping[str, Any], name: str) -> str | None:
    """The key of ``doc`` equal to ``name`` ignoring case (exact spelling preferred)."""
    if name in doc:
        return name
    lower = name.lower()
    for key in doc:
        if isinstance(key, str) and key.lower() == lower:
            return key
    return None


def _is_pascal(doc: Mapping[str, Any]) -> bool:
    keys = [k for k in doc if isinstance(k, str) and k[:1].isalpha()]
    return bool(keys) and sum(k[0].isupper() for k in keys) * 2 >= len(keys)


def _set(doc: dict[str, Any], name: str, value: Any) -> None:
    """Set ``name`` on ``doc``: on the existing key whatever its case, else in the document's casing."""
    key = _key(doc, name)
    if key is None:
        key = name[0].upper() + name[1:] if _is_pascal(doc) else name
    doc[key] = value


def apply_overrides(
    doc: Mapping[str, Any],
    *,
    script: str | None = None,
    target: str | None = None,
    arguments: Sequence[str | int | float] | None = None,
    max_run_duration_seconds: int | None = None,
) -> dict[str, Any]:
    """A copy of ``doc`` (from :func:`load_definition`) with the given values replacing the user's."""
    out = copy.deepcopy(dict(doc))
    conf_key = _key(out, "configuration")
    if conf_key is None or not isinstance(out[conf_key], dict):
        raise DefinitionError("the run definition has no 'configuration' object")
    conf: dict[str, Any] = out[conf_key]
    if script is not None:
        _set(conf, "script", script.strip())
    if target is not None:
        _set(conf, "target", target.strip())
    if arguments is not None:
        _set(conf, "arguments", [str(a) for a in arguments])
    if max_run_duration_seconds is not None:
        _set(conf, "maxRunDurationSeconds", int(max_run_duration_seconds))
    return out


def _conf(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    key = _key(doc, "configuration")
    conf = doc.get(key) if key is not None else None
    if not isinstance(conf, Mapping):
        raise DefinitionError("the run definition has no 'configuration' object")
    return conf


def definition_script(doc: Mapping[str, Any]) -> str:
    """``configuration.script`` in any casing; DefinitionError when absent or not a string."""
    conf = _conf(doc)
    key = _key(conf, "script")
    value = conf.get(key) if key is not None else None
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError("the run definition names no script (configuration.script); pass script=...")
    return value.strip()


def definition_target(doc: Mapping[str, Any]) -> str | None:
    """``configuration.target`` in any casing, or None."""
    conf = _conf(doc)
    key = _key(conf, "target")
    value = conf.get(key) if key is not None else None
    return value if isinstance(value, str) and value.strip() else None


def definition_bytes(doc: Mapping[str, Any]) -> bytes:
    """The ``runDefinitionFile`` part: UTF-8 JSON."""
    try:
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"the run definition cannot be written as JSON: {exc}") from None
