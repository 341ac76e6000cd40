"""A small document store: in memory, or durable in SQLite under ``data_dir``.

Durability: WAL journal with ``synchronous=FULL``, so a ``put()`` that returned survives ``kill -9``.
Keys are compared lower-cased because ARM names are case-insensitive; documents keep their own casing.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any


class Store:
    """Thread-safe document store keyed by ``(kind, key)``; lists keep insertion order.

    ``data_dir=None`` (the default) keeps everything in memory and puts blobs in a temp dir.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self._lock = threading.RLock()
        self._data_dir = data_dir
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="azureml-emulator-")
            self._blob_root = Path(self._tmp.name) / "blobs"
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._blob_root = data_dir / "blobs"
            self._db = sqlite3.connect(
                str(data_dir / "emulator.sqlite3"), check_same_thread=False, isolation_level=None
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS docs ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kind TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,"
            " UNIQUE(kind, key))"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        if self._db.in_transaction:
            self._db.commit()
        self._blob_root.mkdir(parents=True, exist_ok=True)

    @property
    def durable(self) -> bool:
        """True when writes go to disk (``data_dir`` set)."""
        return self._data_dir is not None

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The document stored under ``(kind, key)``, or None."""
        with self._lock:
            row = self._db.execute("SELECT doc FROM docs WHERE kind=? AND key=?", (kind, key.lower())).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, key: str, doc: dict[str, Any]) -> None:
        """Store ``doc``; replacing keeps the original insertion position."""
        text = json.dumps(doc, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT INTO docs(kind, key, doc) VALUES(?,?,?) ON CONFLICT(kind, key) DO UPDATE SET doc=excluded.doc",
                (kind, key.lower(), text),
            )
            if self._db.in_transaction:
                self._db.commit()

    def delete(self, kind: str, key: str) -> bool:
        """Remove ``(kind, key)``; True if it existed."""
        with self._lock:
            cur = self._db.execute("DELETE FROM docs WHERE kind=? AND key=?", (kind, key.lower()))
            if self._db.in_transaction:
                self._db.commit()
            return cur.rowcount > 0

    def list(self, kind: str, prefix: str = "") -> list[dict[str, Any]]:
        """Documents of ``kind`` whose key starts with ``prefix`` (case-insensitive), in insertion order."""
        low = prefix.lower()
        with self._lock:
            rows = self._db.execute("SELECT key, doc FROM docs WHERE kind=? ORDER BY seq", (kind,)).fetchall()
        return [dict(json.loads(doc)) for key, doc in rows if str(key).startswith(low)]

    def keys(self, kind: str, prefix: str = "") -> builtins.list[str]:
        """Stored (lower-cased) keys of ``kind`` starting with ``prefix``, in insertion order."""
        low = prefix.lower()
        with self._lock:
            rows = self._db.execute("SELECT key FROM docs WHERE kind=? ORDER BY seq", (kind,)).fetchall()
        return [str(k) for (k,) in rows if str(k).startswith(low)]

    def get_meta(self, name: str) -> str | None:
        """A small persisted setting (e.g. the token signing key), or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        """Persist a small setting."""
        with self._lock:
            self._db.execute(
                "INSERT INTO meta(name, value) VALUES(?,?) ON CONFLICT(name) DO UPDATE SET value=excluded.value",
                (name, value),
            )
            if self._db.in_transaction:
                self._db.commit()

    def blob_path(self, key: str) -> Path:
        """A file path for large bytes under ``data_dir/blobs`` (or a temp dir); parent dirs created.

        ``key`` may contain ``/``; ``..`` and absolute parts are refused so a key cannot escape the root.
        """
        parts = [p for p in key.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or any(p == ".." for p in parts):
            raise ValueError("invalid blob key")
        path = self._blob_root.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def close(self) -> None:
        """Close the database and drop the temp dir of an in-memory store."""
        with self._lock:
            self._db.close()
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None
