"""az ml YAML files as typed objects the library's operations take: :func:`load_job`, :func:`load_environment`,
:func:`load_model`, :func:`load_online_endpoint`, :func:`load_online_deployment` (like azure-ai-ml's ``load_*``).

Each reads one file (:mod:`.document`: unknown fields refused with file and line), applies ``--set`` overrides
(``overrides=["inputs.n=3"]``), resolves local paths against the file's folder and checks the values. Fields az
ml knows but this library does not send (``distribution``, ``request_settings``, ...) are listed in ``ignored``
so a caller can say so. No I/O beyond reading the file: uploading and creating is the operations' work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..job_spec import Input, Output
from .document import Document, read_document
from .fields import FIELDS

__all__ = [
    "CommandJobSpec",
    "EnvironmentSpec",
    "ModelSpec",
    "OnlineDeploymentSpec",
    "OnlineEndpointSpec",
    "load_environment",
    "load_job",
    "load_model",
    "load_online_deployment",
    "load_online_endpoint",
]

Source = str | os.PathLike[str]
#: az ml's auth_mode spellings -> the service's AuthMode.
AUTH_MODES = {"key": "Key", "aml_token": "AMLToken", "aad_token": "AADToken"}
_SENT = {"$schema", "id", "creation_context", "status", "log_files", "provisioning_state", "scoring_uri",
         "openapi_uri", "latest_version", "utc_time_created", "system_metadata", "type", "properties"}


@dataclass(frozen=True)
class EnvironmentSpec:
    """An environment version: ``image`` with an optional conda file (a resolved path)."""

    name: str | None
    version: str | None
    image: str
    conda_file: Path | None = None
    os_type: str = "Linux"
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    """A model version: ``path`` a resolved local file/folder or a URI (``azureml://jobs/.../outputs/...``)."""

    name: str | None
    version: str | None
    path: Path | str
    type: str = "custom_model"
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandJobSpec:
    """A command job. The environment is a reference (``environment``), an image (``image``) or an inline
    environment with a conda file (``inline_environment``, to create first); :meth:`submit_kwargs` is what
    ``JobOperations.submit`` takes (with ``environment=`` filled in for an inline environment)."""

    command: str
    code: Path | None = None
    environment: str | None = None
    image: str | None = None
    inline_environment: EnvironmentSpec | None = None
    compute: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    environment_variables: dict[str, str] = field(default_factory=dict)
    instance_count: int | None = None
    timeout: float | None = None
    name: str | None = None
    display_name: str | None = None
    experiment_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def submit_kwargs(self, *, environment: str | None = None) -> dict[str, Any]:
        """Keyword arguments of ``JobOperations.submit``; ``environment`` the reference of the inline
        environment once created (required when :attr:`inline_environment` is set)."""
        env = environment or self.environment
        if self.inline_environment is not None and env is None:
            raise ValueError("create the inline environment first and pass its reference as environment=")
        kw: dict[str, Any] = {
            "command": self.command, "code": self.code, "inputs": dict(self.inputs), "outputs": dict(self.outputs),
            "compute": self.compute, "instance_count": self.instance_count, "timeout": self.timeout,
            "environment_variables": dict(self.environment_variables) or None,
            "experiment_name": self.experiment_name, "display_name": self.display_name,
            "tags": dict(self.tags) or None, "name": self.name,
        }
        kw.update({"environment": env} if env is not None else {"image": self.image})
        return kw


@dataclass(frozen=True)
class OnlineEndpointSpec:
    """A managed online endpoint (``begin_create_or_update`` keywords: :meth:`create_kwargs`)."""

    name: str
    auth_mode: str = "Key"
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    traffic: dict[str, int] = field(default_factory=dict)
    identity: str | None = None
    location: str | None = None
    ignored: tuple[str, ...] = ()

    def create_kwargs(self) -> dict[str, Any]:
        return {"auth_mode": self.auth_mode, "description": self.description, "tags": dict(self.tags) or None,
                "traffic": dict(self.traffic) or None, "identity": self.identity, "location": self.location}


@dataclass(frozen=True)
class OnlineDeploymentSpec:
    """A managed online deployment. ``model``/``environment``: a reference (``azureml:name:version``, an ARM id)
    or an inline spec to create first; ``code``: a resolved folder (uploaded as a code version) or a reference."""

    name: str
    endpoint_name: str
    model: str | ModelSpec
    environment: str | EnvironmentSpec | None = None
    code: Path | str | None = None
    scoring_script: str | None = None
    instance_type: str = "Standard_DS3_v2"
    instance_count: int = 1
    environment_variables: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


# --- building ---------------------------------------------------------------------------------------------------


def _read(source: Source, kind: str, overrides: Sequence[str]) -> Document:
    doc = read_document(source, kind)
    doc.override(overrides, FIELDS[kind])
    return doc


def _str(doc: Document, key: str, data: Mapping[str, Any], *, required: bool = False,
         prefix: str = "") -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise doc.error(prefix + key if prefix + key in doc.lines else None, f"{prefix + key!r} is required")
        return None
    if isinstance(value, (dict, list)):
        raise doc.error(prefix + key, f"{prefix + key!r} must be a single value, not {type(value).__name__}")
    return str(value)


def _int(doc: Document, key: str, data: Mapping[str, Any], prefix: str = "") -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise doc.error(prefix + key, f"{prefix + key!r} must be a whole number, not {value!r}")
    return int(value)


def _map(doc: Document, key: str, data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise doc.error(prefix + key, f"{prefix + key!r} must be a mapping, not {value!r}")
    return {str(k): "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()}


def _ignored(data: Mapping[str, Any], used: set[str], prefix: str = "") -> tuple[str, ...]:
    return tuple(prefix + k for k, v in data.items() if k not in used and k not in _SENT and v is not None)


def _environment(doc: Document, data: Mapping[str, Any], prefix: str = "") -> EnvironmentSpec:
    image = _str(doc, "image", data, prefix=prefix)
    if image is None:
        where = prefix + "build" if "build" in data else (prefix.rstrip(".") or None)
        raise doc.error(where, "an environment needs 'image' (Docker build contexts are not supported here)")
    conda = data.get("conda_file")
    conda_path = doc.path(prefix + "conda_file", conda) if conda is not None else None
    if isinstance(conda_path, str):
        raise doc.error(prefix + "conda_file", "'conda_file' must be a local file")
    used = {"name", "version", "image", "conda_file", "os_type", "description", "tags"}
    return EnvironmentSpec(name=_str(doc, "name", data, prefix=prefix),
                           version=_str(doc, "version", data, prefix=prefix), image=image, conda_file=conda_path,
                           os_type=_str(doc, "os_type", data, prefix=prefix) or "Linux",
                           description=_str(doc, "description", data, prefix=prefix),
                           tags=_map(doc, "tags", data, prefix), ignored=_ignored(data, used, prefix))


def _model(doc: Document, data: Mapping[str, Any], prefix: str = "") -> ModelSpec:
    if data.get("path") is None:
        raise doc.error(prefix.rstrip(".") or None, f"{prefix + 'path'!r} is required")
    used = {"name", "version", "path", "type", "description", "tags", "properties"}
    return ModelSpec(name=_str(doc, "name", data, prefix=prefix), version=_str(doc, "version", data, prefix=prefix),
                     path=doc.path(prefix + "path", data["path"]),
                     type=_str(doc, "type", data, prefix=prefix) or "custom_model",
                     description=_str(doc, "description", data, prefix=prefix), tags=_map(doc, "tags", data, prefix),
                     properties=_map(doc, "properties", data, prefix), ignored=_ignored(data, used, prefix))


def load_environment(source: Source, overrides: Sequence[str] = ()) -> EnvironmentSpec:
    """An environment file (``environment.schema.json``)."""
    doc = _read(source, "environment", overrides)
    return _environment(doc, doc.data)


def load_model(source: Source, overrides: Sequence[str] = ()) -> ModelSpec:
    """A model file (``model.schema.json``)."""
    doc = _read(source, "model", overrides)
    return _model(doc, doc.data)


def _job_input(doc: Document, key: str, value: Any) -> Any:
    dotted = f"inputs.{key}"
    if not isinstance(value, dict):
        if isinstance(value, (str, int, float, bool)):
            return value
        raise doc.error(dotted, f"{dotted!r} must be a literal or a mapping with type/path")
    if "value" in value or "default" in value:
        return value.get("value", value.get("default"))
    kind, mode = value.get("type"), value.get("mode")
    if value.get("path") is None:
        raise doc.error(dotted, f"{dotted!r} needs 'path' (a local file or folder, or a URI)")
    where = doc.path(dotted + ".path", value["path"])
    try:
        if isinstance(where, Path):
            return Input(path=where, type=kind, mode=mode)
        return Input(uri=where, type=kind, mode=mode)
    except ValueError as exc:
        raise doc.error(dotted + ".type", str(exc)) from None


def _job_output(doc: Document, key: str, value: Any) -> Output:
    if value is None:
        return Output()
    if not isinstance(value, dict):
        raise doc.error(f"outputs.{key}", f"'outputs.{key}' must be a mapping (type, path, mode)")
    path = value.get("path")
    return Output(type=str(value.get("type") or "uri_folder"), uri=str(path) if path else None,
                  mode=str(value["mode"]) if value.get("mode") else None)


def load_job(source: Source, overrides: Sequence[str] = ()) -> CommandJobSpec:
    """A command job file (``commandJob.schema.json``; ``type: command`` or no type)."""
    doc = _read(source, "commandJob", overrides)
    d = doc.data
    if d.get("type") not in (None, "command"):
        raise doc.error("type", f"only command jobs are supported here, not type {d.get('type')!r}")
    env = d.get("environment")
    environment = image = None
    inline = None
    if isinstance(env, str) and env:
        environment = env
    elif isinstance(env, dict):
        spec = _environment(doc, env, "environment.")
        if spec.conda_file is None and spec.name is None:
            image = spec.image
        else:
            inline = spec
    else:
        raise doc.error("environment" if "environment" in d else None, "'environment' is required (a reference "
                        "such as azureml:my-env:1 or a mapping with image)")
    code = d.get("code")
    code_path = doc.path("code", code) if code is not None else None
    if isinstance(code_path, str):
        raise doc.error("code", "'code' must be a local folder (git and registered code are not supported here)")
    compute = _str(doc, "compute", d)
    resources: dict[str, Any] = d["resources"] if isinstance(d.get("resources"), dict) else {}
    limits: dict[str, Any] = d["limits"] if isinstance(d.get("limits"), dict) else {}
    timeout = _int(doc, "timeout", limits, "limits.")
    used = {"command", "code", "environment", "compute", "inputs", "outputs", "environment_variables", "name",
            "display_name", "experiment_name", "tags", "resources", "limits"}  # description: submit takes none
    ignored = _ignored(d, used) + _ignored(resources, {"instance_count"}, "resources.")
    return CommandJobSpec(
        command=str(_str(doc, "command", d, required=True)), code=code_path, environment=environment, image=image,
        inline_environment=inline, compute=compute.removeprefix("azureml:") if compute else None,
        inputs={str(k): _job_input(doc, str(k), v) for k, v in (d.get("inputs") or {}).items()},
        outputs={str(k): _job_output(doc, str(k), v) for k, v in (d.get("outputs") or {}).items()},
        environment_variables=_map(doc, "environment_variables", d),
        instance_count=_int(doc, "instance_count", resources, "resources."),
        timeout=float(timeout) if timeout is not None else None, name=_str(doc, "name", d),
        display_name=_str(doc, "display_name", d), experiment_name=_str(doc, "experiment_name", d),
        description=_str(doc, "description", d), tags=_map(doc, "tags", d), ignored=ignored)


def load_online_endpoint(source: Source, overrides: Sequence[str] = ()) -> OnlineEndpointSpec:
    """A managed online endpoint file (``managedOnlineEndpoint.schema.json``)."""
    doc = _read(source, "managedOnlineEndpoint", overrides)
    d = doc.data
    mode = (_str(doc, "auth_mode", d) or "key").lower()
    if mode not in AUTH_MODES:
        raise doc.error("auth_mode", f"auth_mode {mode!r} is not one of {', '.join(AUTH_MODES)}")
    identity = d.get("identity")
    identity_type = str(identity.get("type")) if isinstance(identity, dict) and identity.get("type") else None
    traffic = {k: int(v) for k, v in _map(doc, "traffic", d).items() if v.isdigit()}
    used = {"name", "auth_mode", "description", "tags", "traffic", "identity", "location"}
    return OnlineEndpointSpec(name=str(_str(doc, "name", d, required=True)), auth_mode=AUTH_MODES[mode],
                              description=_str(doc, "description", d), tags=_map(doc, "tags", d), traffic=traffic,
                              identity=identity_type, location=_str(doc, "location", d),
                              ignored=_ignored(d, used))


def load_online_deployment(source: Source, overrides: Sequence[str] = ()) -> OnlineDeploymentSpec:
    """A managed online deployment file (``managedOnlineDeployment.schema.json``)."""
    doc = _read(source, "managedOnlineDeployment", overrides)
    d = doc.data
    raw_model = d.get("model")
    if isinstance(raw_model, dict):
        model: str | ModelSpec = _model(doc, raw_model, "model.")
    elif isinstance(raw_model, str) and raw_model:
        model = raw_model
    else:
        raise doc.error("model" if "model" in d else None, "'model' is required (a reference or a mapping with path)")
    raw_env = d.get("environment")
    environment: str | EnvironmentSpec | None = None
    if isinstance(raw_env, dict):
        environment = _environment(doc, raw_env, "environment.")
    elif isinstance(raw_env, str) and raw_env:
        environment = raw_env
    code: Path | str | None = None
    script = None
    cc = d.get("code_configuration")
    if isinstance(cc, dict):
        if cc.get("code") is None or not cc.get("scoring_script"):
            raise doc.error("code_configuration", "'code_configuration' needs both 'code' and 'scoring_script'")
        code = doc.path("code_configuration.code", cc["code"])
        script = str(cc["scoring_script"])
    used = {"name", "endpoint_name", "model", "environment", "code_configuration", "instance_type",
            "instance_count", "environment_variables", "description", "tags"}
    return OnlineDeploymentSpec(
        name=str(_str(doc, "name", d, required=True)), endpoint_name=str(_str(doc, "endpoint_name", d, required=True)),
        model=model, environment=environment, code=code, scoring_script=script,
        instance_type=_str(doc, "instance_type", d) or "Standard_DS3_v2",
        instance_count=_int(doc, "instance_count", d) or 1,
        environment_variables=_map(doc, "environment_variables", d), description=_str(doc, "description", d),
        tags=_map(doc, "tags", d), ignored=_ignored(d, used))

