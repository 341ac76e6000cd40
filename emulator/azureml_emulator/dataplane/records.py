"""Run history records in the store: experiments, runs, artifacts and project snapshots.

Kinds: ``dp:experiments`` (key ``ws/experiment``), ``dp:runs`` (``ws/runId``: run ids are unique per
workspace), ``dp:artifacts`` (``ws/runId/path``), ``dp:snapshots`` (``ws/snapshotId``), ``dp:counters``.
Fields starting with ``_`` are the emulator's own and are never sent to clients.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..context import Context
from .common import utc_now
from .workspace import Workspace

# One lock for read-modify-write of run documents (the runner threads and the HTTP handlers both update).
LOCK = threading.RLock()
TERMINAL = frozenset({"Completed", "Failed", "Canceled"})


class Conflict(Exception):
    """A document that must be new already exists."""


def public(doc: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` without the emulator's private fields."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def get_experiment(ctx: Context, ws: Workspace, name: str) -> dict[str, Any] | None:
    """The experiment called ``name`` (case-insensitive), or None."""
    return ctx.store.get("dp:experiments", ws.child(name))


def ensure_experiment(ctx: Context, ws: Workspace, name: str) -> dict[str, Any]:
    """The experiment called ``name``, created when missing (as startrun and run PATCH do)."""
    with LOCK:
        doc = get_experiment(ctx, ws, name)
        if doc is None:
            doc = {
                "experimentId": str(uuid.uuid4()),
                "name": name,
                "description": None,
                "createdUtc": utc_now(),
                "archivedTime": None,
                "latestCreatedRunCreatedUtc": None,
                "latestCreatedRunId": None,
                "tags": {},
            }
            ctx.store.put("dp:experiments", ws.child(name), doc)
        return doc


def list_experiments(ctx: Context, ws: Workspace) -> list[Mapping[str, Any]]:
    """Every experiment of the workspace, oldest first (read-only: the store's own documents)."""
    return ctx.store.scan("dp:experiments", ws.key + "/")


def _next_run_number(ctx: Context, ws: Workspace) -> int:
    key = ws.child("runNumber")
    doc = ctx.store.get("dp:counters", key) or {"value": 0}
    value = int(doc["value"]) + 1
    ctx.store.put("dp:counters", key, {"value": value})
    return value


def create_run(ctx: Context, ws: Workspace, experiment: str, run_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Create run ``run_id`` in ``experiment`` (created when missing); raises Conflict if the id is taken."""
    with LOCK:
        if ctx.store.get("dp:runs", ws.child(run_id)) is not None:
            raise Conflict(run_id)
        exp = ensure_experiment(ctx, ws, experiment)
        now = utc_now()
        doc: dict[str, Any] = {
            "runId": run_id,
            "runNumber": _next_run_number(ctx, ws),
            "rootRunId": run_id,
            "parentRunId": None,
            "experimentId": exp["experimentId"],
            "createdUtc": now,
            "createdBy": None,
            "userId": None,
            "status": "NotStarted",
            "startTimeUtc": None,
            "endTimeUtc": None,
            "heartbeatEnabled": False,
            "options": {"generateDataContainerIdIfNotSpecified": True},
            "name": None,
            "dataContainerId": f"dcid.{run_id}",
            "description": None,
            "hidden": False,
            "runType": None,
            "properties": {},
            "scriptName": None,
            "target": None,
            "tags": {},
            "runDefinition": None,
            "error": None,
            "warnings": None,
            "revision": 1,
            "_experiment": exp["name"],
            "_ws": ws.key,
        }
        doc.update(fields)
        ctx.store.put("dp:runs", ws.child(run_id), doc)
        exp["latestCreatedRunId"] = run_id
        exp["latestCreatedRunCreatedUtc"] = now
        ctx.store.put("dp:experiments", ws.child(exp["name"]), exp)
        return doc


def get_run(ctx: Context, ws: Workspace, run_id: str) -> dict[str, Any] | None:
    """Run ``run_id`` of the workspace, or None."""
    return ctx.store.get("dp:runs", ws.child(run_id))


def run_in_experiment(ctx: Context, ws: Workspace, experiment: str, run_id: str) -> dict[str, Any] | None:
    """Run ``run_id`` if it belongs to ``experiment`` (case-insensitive), else None."""
    doc = get_run(ctx, ws, run_id)
    if doc is None or str(doc.get("_experiment", "")).lower() != experiment.lower():
        return None
    return doc


def update_run(
    ctx: Context, ws_key: str, run_id: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, Any] | None:
    """Apply ``change`` to the stored run and persist it (revision + 1); None if the run is gone."""
    with LOCK:
        key = f"{ws_key}/{run_id}"
        doc = ctx.store.get("dp:runs", key)
        if doc is None:
            return None
        change(doc)
        doc["revision"] = int(doc.get("revision") or 0) + 1
        ctx.store.put("dp:runs", key, doc)
        return doc


def set_status(
    ctx: Context, ws_key: str, run_id: str, status: str, *, error: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Move a run to ``status`` (start/end times follow); a terminal run keeps its final status."""

    def change(doc: dict[str, Any]) -> None:
        current = doc.get("status")
        if current in TERMINAL or (current == "CancelRequested" and status not in TERMINAL):
            return
        doc["status"] = status
        now = utc_now()
        if status == "Running" and not doc.get("startTimeUtc"):
            doc["startTimeUtc"] = now
        if status in TERMINAL:
            doc["endTimeUtc"] = now
            if not doc.get("startTimeUtc"):
                doc["startTimeUtc"] = now
        if error is not None:
            doc["error"] = error

    return update_run(ctx, ws_key, run_id, change)


def list_runs(ctx: Context, ws: Workspace) -> list[Mapping[str, Any]]:
    """Every run of the workspace, oldest first (read-only: the store's own documents)."""
    return ctx.store.scan("dp:runs", ws.key + "/")


def run_error(code: str, message: str) -> dict[str, Any]:
    """A run's ``error`` field: an ErrorResponse (specs/history.yaml ``Run.error``, ``ErrorResponse``)."""
    return {
        "error": {"code": code, "message": message, "details": []},
        "correlation": {},
        "environment": None,
        "location": None,
        "time": utc_now(),
    }


# ---- artifacts -------------------------------------------------------------------------------------


def add_artifact(ctx: Context, ws_key: str, run_id: str, path: str, blob_key: str) -> dict[str, Any]:
    """Record ``path`` as an artifact of the run whose bytes live in blob ``blob_key``."""
    doc = {
        "artifactId": f"ExperimentRun/dcid.{run_id}/{path}",
        "origin": "ExperimentRun",
        "container": f"dcid.{run_id}",
        "path": path,
        "etag": uuid.uuid4().hex,
        "createdTime": utc_now(),
        "dataPath": None,
        "_blob": blob_key,
    }
    ctx.store.put("dp:artifacts", f"{ws_key}/{run_id}/{path}", doc)
    return doc


def list_artifacts(ctx: Context, ws_key: str, run_id: str) -> list[dict[str, Any]]:
    """The artifacts of a run, in creation order."""
    return ctx.store.list("dp:artifacts", f"{ws_key}/{run_id}/")


def get_artifact(ctx: Context, ws_key: str, run_id: str, path: str) -> dict[str, Any] | None:
    """The artifact at exactly ``path``, or None."""
    return ctx.store.get("dp:artifacts", f"{ws_key}/{run_id}/{path}")


def resolve_artifacts(ctx: Context, ws_key: str, run_id: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The artifacts named by ``path``: ``[(relative name, doc)]``.

    An exact artifact gives its file name; a folder prefix gives every artifact below it, named
    relative to the folder's parent (so ``outputs/model`` yields ``model/...``).
    """
    clean = path.strip("/")
    if not clean:
        return []
    exact = get_artifact(ctx, ws_key, run_id, clean)
    if exact is not None:
        return [(clean.rsplit("/", 1)[-1], exact)]
    parent = clean.rsplit("/", 1)[0] + "/" if "/" in clean else ""
    found = []
    for doc in list_artifacts(ctx, ws_key, run_id):
        p = str(doc["path"])
        if p.lower().startswith(clean.lower() + "/"):
            found.append((p[len(parent) :], doc))
    return found


# ---- snapshots -------------------------------------------------------------------------------------


def add_snapshot(ctx: Context, ws: Workspace, snapshot_id: str, blob_key: str, size: int) -> None:
    """Record a project zip as snapshot ``snapshot_id`` of the workspace."""
    ctx.store.put(
        "dp:snapshots",
        ws.child(snapshot_id),
        {"id": snapshot_id, "blob": blob_key, "size": size, "createdUtc": utc_now()},
    )


def get_snapshot(ctx: Context, ws: Workspace, snapshot_id: str) -> dict[str, Any] | None:
    """Snapshot ``snapshot_id`` of the workspace, or None."""
    return ctx.store.get("dp:snapshots", ws.child(snapshot_id))
