"""What an online deployment runs, fetched from the blob store: its code version's files and its model's files.

- ``properties.codeConfiguration.codeId``: a code version's ARM id (``{WS}/codes/{name}/versions/{version}``);
  its ``codeUri`` (a blob URL of the workspace's storage, as azure-ai-ml's upload leaves it) is copied into the
  app folder, and ``scoringScript`` is a path inside it.
- ``properties.model``: a model version's ARM id (``{WS}/models/{name}/versions/{version}``); its ``modelUri``
  is a datastore URI (``azureml://datastores/...``, the long ``azureml://subscriptions/...`` form) or a job
  output (``azureml://jobs/{job}/outputs/{output}/paths/{path}``). The files land where the service puts them:
  ``AZUREML_MODEL_DIR`` is ``azureml-models/{model}/{version}`` and holds the URI's last segment, a file as
  ``$AZUREML_MODEL_DIR/{file}``, a folder as ``$AZUREML_MODEL_DIR/{folder}/...`` (Microsoft Learn, "Deploy and
  score a machine learning model by using an online endpoint": the scoring script joins AZUREML_MODEL_DIR
  with the model's folder name).

Reading URIs and copying blobs is ``v2/job_data.py``'s (the jobs' inputs use it too): names never become paths
unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .. import blobstore
from ..context import Context
from . import job_data
from .job_data import DataProblem

# Store kinds of the asset module (v2/assets.py: ``v2:{collection}:versions``, keys ``sub/rg/ws/name/version``)
# and of the jobs module (v2/jobs.py, keys ``sub/rg/ws/name``).
CODE_VERSIONS = "v2:codes:versions"
MODEL_VERSIONS = "v2:models:versions"
JOBS = "v2:jobs"
_ASSET_ID = re.compile(
    r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.MachineLearningServices/"
    r"workspaces/([^/]+)/(codes|models)/([^/]+)/versions/([^/]+)$",
    re.IGNORECASE,
)
_JOB_OUTPUT = re.compile(r"^azureml://jobs/([^/]+)/outputs/([^/]+)(?:/paths/(.*))?$", re.IGNORECASE)
Log = Callable[[str], None]


def _asset(ctx: Context, ws_key: str, asset_id: str, collection: str) -> tuple[str, str, Mapping[str, Any]]:
    """``(name, version, properties)`` of a code or model version of this workspace, else DataProblem."""
    m = _ASSET_ID.match(asset_id.strip())
    if m is None or m.group(4).lower() != collection:
        raise DataProblem(
            f"'{asset_id[:300]}' is not a {collection[:-1]} version id "
            f"(/subscriptions/.../workspaces/{{ws}}/{collection}/{{name}}/versions/{{version}})."
        )
    if "/".join(m.group(1, 2, 3)).lower() != ws_key.lower():
        raise DataProblem(f"'{asset_id[:300]}' belongs to another workspace.")
    name, version = m.group(5), m.group(6)
    kind = CODE_VERSIONS if collection == "codes" else MODEL_VERSIONS
    doc = ctx.store.get(kind, f"{ws_key}/{name}/{version}")
    if doc is None:
        raise DataProblem(f"The {collection[:-1]} version '{name}:{version}' was not found in the workspace.")
    return name, version, doc.get("properties") or {}


def fetch_code(ctx: Context, ws_key: str, ws_doc: Mapping[str, Any], code_id: str, app: Path, log: Log) -> None:
    """Copy the files of code version ``code_id`` into ``app``."""
    name, version, props = _asset(ctx, ws_key, code_id, "codes")
    uri = props.get("codeUri")
    if not isinstance(uri, str) or not uri:
        raise DataProblem(f"The code version '{name}:{version}' has no codeUri.")
    where = job_data.resolve(ctx, ws_key, ws_doc, uri)
    log(f"Downloading code {name}:{version} from {where.account}/{where.container}/{where.path}")
    job_data.download(ctx, where, app)
    count = sum(1 for p in app.rglob("*") if p.is_file())
    log(f"Code {name}:{version}: {count} file(s)")


def _model_location(ctx: Context, ws_key: str, ws_doc: Mapping[str, Any], uri: str) -> job_data.Location:
    m = _JOB_OUTPUT.match(uri)
    if m is None:
        return job_data.resolve(ctx, ws_key, ws_doc, uri)
    job, output, path = m.group(1), m.group(2), m.group(3) or ""
    if output.lower() in ("artifacts", "default"):
        base = f"azureml://datastores/{job_data.ARTIFACT_STORE}/paths/ExperimentRun/dcid.{job}"
    else:
        outputs = ((ctx.store.get(JOBS, f"{ws_key}/{job}") or {}).get("properties") or {}).get("outputs") or {}
        base = str((outputs.get(output) or {}).get("uri") or "")
        if not base:
            raise DataProblem(f"Job '{job[:100]}' has no output '{output[:100]}'.")
    where = job_data.resolve(ctx, ws_key, ws_doc, base)
    return where.child(path.strip("/")) if path.strip("/") else where


def fetch_model(
    ctx: Context, ws_key: str, ws_doc: Mapping[str, Any], model_id: str, models_root: Path, log: Log
) -> Path:
    """Copy model version ``model_id`` under ``models_root``; the folder ``AZUREML_MODEL_DIR`` names."""
    name, version, props = _asset(ctx, ws_key, model_id, "models")
    uri = props.get("modelUri")
    if not isinstance(uri, str) or not uri:
        raise DataProblem(f"The model version '{name}:{version}' has no modelUri.")
    model_dir = models_root / (job_data.safe_relative(name) or Path("model")).name / version.replace("/", "_")
    where = _model_location(ctx, ws_key, ws_doc, uri)
    log(f"Downloading model {name}:{version} from {where.account}/{where.container}/{where.path}")
    storage = blobstore.for_context(ctx).storage
    path = where.path.strip("/")
    try:
        single = bool(path) and storage.blob(where.account, where.container, path) is not None
    except blobstore.StorageError:
        single = False
    if single:
        job_data.download(ctx, job_data.Location(where.account, where.container, path), model_dir, single=True)
    else:
        leaf = job_data.safe_relative(path.rsplit("/", 1)[-1]) if path else None
        target = model_dir / leaf.name if leaf is not None else model_dir
        job_data.download(ctx, where, target)
        if not any(p.is_file() for p in target.rglob("*")):
            raise DataProblem(f"The model version '{name}:{version}' has no files at '{uri[:300]}'.")
    log(f"Model {name}:{version} is in {model_dir.relative_to(models_root.parent).as_posix()}")
    return model_dir
