"""What the current-API (v2) commands share: reading an az ml YAML file (its errors as usage errors), the note on
fields az ml knows but this tool does not send, asset references as ARM ids, the next free version of an asset,
and creating the environment, model and code versions a job or deployment file describes inline.

Only the library's public API is used (``azureml_rest.yaml_specs``, ``azureml_rest.operations.*``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import UsageError

if TYPE_CHECKING:
    from azureml_rest.yaml_specs import EnvironmentSpec, ModelSpec

    from .context import Context

__all__ = [
    "asset_id",
    "create_environment",
    "create_model",
    "load_spec",
    "next_version",
    "note_ignored",
    "upload_code",
]

T = TypeVar("T")


def load_spec(loader: Callable[[str, Sequence[str]], T], file: str, overrides: Sequence[str] | None) -> T:
    """``loader(file, overrides)``; a bad file or ``--set`` is a usage error (exit 2) naming file and line."""
    from azureml_rest.errors import YamlSpecError

    try:
        return loader(file, tuple(overrides or ()))
    except YamlSpecError as exc:
        raise UsageError(str(exc)) from None


def note_ignored(ctx: Context, ignored: Iterable[str]) -> None:
    """A stderr note naming fields az ml would use that this tool does not send."""
    names = sorted(set(ignored))
    if names:
        ctx.progress.line(f"note: not sent (not supported here): {', '.join(names)}")


def _workspace_id(ctx: Context) -> str:
    from azureml_rest.job_spec import workspace_id

    return workspace_id(ctx.workspace().ids)


def _latest(ctx: Context, collection: str, name: str) -> str:
    """The highest version of a workspace model or environment (``azureml:<name>@latest``)."""
    handle = {"models": "model_versions", "environments": "environments"}.get(collection)
    if handle is None:
        raise UsageError(f"@latest is not supported for {collection}: name a version")
    versions = [str(v.to_dict().get("name", "")) for v in getattr(ctx.workspace(), handle).list(name)]
    if not versions:
        raise UsageError(f"azureml:{name}@latest: the workspace has no version of {name!r}")
    return max(versions, key=lambda v: (v.isdigit(), int(v) if v.isdigit() else 0, v))


def asset_id(ctx: Context, collection: str, reference: str) -> str:
    """``azureml:<name>:<version>`` (or ``azureml:<name>@latest``) -> the workspace's ARM id of that version
    (``collection``: models, environments, codes); ARM ids and ``azureml://`` URIs as given."""
    if reference.startswith(("/subscriptions/", "azureml://")):
        return reference
    body = reference.removeprefix("azureml:")
    if body.endswith("@latest") and ":" not in body:
        name = body.removesuffix("@latest")
        return f"{_workspace_id(ctx)}/{collection}/{name}/versions/{_latest(ctx, collection, name)}"
    name, sep, version = body.rpartition(":")
    if not sep or not name or not version or "@" in body:
        raise UsageError(f"asset reference {reference!r}: use azureml:<name>:<version>, azureml:<name>@latest or "
                         "an ARM id")
    return f"{_workspace_id(ctx)}/{collection}/{name}/versions/{version}"


def next_version(list_versions: Callable[[], Iterable[Any]]) -> str:
    """One more than the highest whole-number version listed (``"1"`` for a new asset), as az ml picks it."""
    from azureml_rest.errors import NotFoundError

    try:
        names = [str((v.to_dict() if hasattr(v, "to_dict") else v).get("name", "")) for v in list_versions()]
    except NotFoundError:
        return "1"
    numbers = [int(n) for n in names if n.isdigit()]
    return str(max(numbers) + 1) if numbers else "1"


def create_environment(ctx: Context, spec: EnvironmentSpec, *, name: str | None = None,
                       version: str | None = None) -> Any:
    """Create the environment version ``spec`` describes. Without a name it is anonymous (azure-ai-ml's
    container, its version a hash of image and conda file, so the same inline environment is created once)."""
    from azureml_rest.job_spec import ANONYMOUS_ENVIRONMENT

    ops = ctx.workspace().environments
    conda = spec.conda_file.read_text(encoding="utf-8") if spec.conda_file is not None else None
    env_name = name or spec.name
    if env_name is None:
        env_name = ANONYMOUS_ENVIRONMENT
        version = hashlib.sha256(f"{spec.image}\n{conda or ''}".encode()).hexdigest()[:32]
    version = version or spec.version or next_version(lambda: ops.list(str(env_name)))
    ctx.progress.line(f"environment: creating {env_name}:{version}")
    return ops.create(env_name, version, image=spec.image, conda_file=conda, os_type=spec.os_type,
                      description=spec.description, tags=spec.tags or None)


def create_model(ctx: Context, spec: ModelSpec, *, default_name: str | None = None, name: str | None = None,
                 version: str | None = None) -> Any:
    """Register the model version ``spec`` describes (a local path is uploaded first)."""
    model_name = name or spec.name or default_name
    if not model_name:
        raise UsageError("the model needs a name (name: in the file, or --name)")
    ops = ctx.workspace().model_versions
    version = version or spec.version or next_version(lambda: ops.list(str(model_name)))
    what = f"uploading {spec.path}" if isinstance(spec.path, Path) else f"from {spec.path}"
    ctx.progress.line(f"model: registering {model_name}:{version} ({what})")
    return ops.create(model_name, version, spec.path, model_type=spec.type, description=spec.description,
                      tags=spec.tags or None, properties=spec.properties or None,
                      on_progress=ctx.progress.job_upload)


def upload_code(ctx: Context, folder: Path) -> str:
    """The code version of ``folder`` (found by content hash, or uploaded and registered); its ARM id."""
    if not folder.is_dir():
        raise UsageError(f"code folder {str(folder)!r} does not exist")
    ctx.progress.line(f"code: uploading {folder} (skipped when already uploaded)")
    uploaded = ctx.workspace().jobs.code.upload(folder)
    ctx.progress.line(f"code: {'uploaded' if uploaded.uploaded else 'reused'} {uploaded.name}:{uploaded.version}")
    return str(uploaded.id)
