"""A small document store: in memory, or durable in SQLite under ``data_dir``.

Durability: WAL journal with ``synchronous=FULL``, so a ``put()`` that returned survives ``kill -9``.
Keys are compared lower-cased because ARM names are case-insensitive; documents keep their own casing.

Listing reads a per-kind mirror of the decoded documents, built from the database on the first ``list()`` or
``scan()`` of that kind and kept current by ``put()``/``delete()`` (this process is the store's only writer).
Decoding every document of a kind for each page made listing 10,000 runs take ~0.3 s a page; ``scan()`` now
hands out the mirrored documents themselves (read-only), so a page costs a pass over references.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import tempfile
import threading
from collections.abc import Mapping
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
        #: kind -> lower-cased key -> decoded document, in insertion order; only kinds listed so far
        self._mirror: dict[str, dict[str, dict[str, Any]]] = {}
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
            mirror = self._mirror.get(kind)
            if mirror is not None:  # a new key goes last, a replaced one keeps its place: as ORDER BY seq
                mirror[key.lower()] = json.loads(text)  # its own copy: the caller may go on changing ``doc``

    def delete(self, kind: str, key: str) -> bool:
        """Remove ``(kind, key)``; True if it existed."""
        with self._lock:
            cur = self._db.execute("DELETE FROM docs WHERE kind=? AND key=?", (kind, key.lower()))
            if self._db.in_transaction:
                self._db.commit()
            mirror = self._mirror.get(kind)
            if mirror is not None:
                mirror.pop(key.lower(), None)
            return cur.rowcount > 0

    def _mirrored(self, kind: str) -> dict[str, dict[str, Any]]:
        """The decoded documents of ``kind`` by key (call with the lock held)."""
        mirror = self._mirror.get(kind)
        if mirror is None:
            rows = self._db.execute("SELECT key, doc FROM docs WHERE kind=? ORDER BY seq", (kind,)).fetchall()
            mirror = self._mirror[kind] = {str(key): json.loads(doc) for key, doc in rows}
        return mirror

    def list(self, kind: str, prefix: str = "") -> list[dict[str, Any]]:
        """Documents of ``kind`` whose key starts with ``prefix`` (case-insensitive), in insertion order.

        Each is a shallow copy: its nested objects are the store's own, so change a listed document only at
        its top level (or ``get()`` it for a private copy) before ``put()`` ting it back.
        """
        return [dict(doc) for doc in self.scan(kind, prefix)]  # the mirror replaces documents, never edits them

    def scan(self, kind: str, prefix: str = "") -> builtins.list[Mapping[str, Any]]:
        """Like :meth:`list` without copying: the store's own documents, read-only (for listing pages,
        where copying every document of a kind for one page of them cost more than the rest)."""
        low = prefix.lower()
        with self._lock:
            return [doc for key, doc in self._mirrored(kind).items() if key.startswith(low)]

    def keys(self, kind: str, prefix: str = "") -> builtins.list[str]:
        """Stored (lower-cased) keys of ``kind`` starting with ``prefix``, in insertion order."""
        low = prefix.lower()
        with self._lock:  # from the database: asking for keys should not decode (and mirror) a kind's documents
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
