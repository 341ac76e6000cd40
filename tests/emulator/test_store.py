"""The emulator's document store: listing (served from a mirror of decoded documents) agrees with the database
in content and order through puts, replacements and deletes, in memory and on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from azureml_emulator.store import Store


def _names(store: Store, prefix: str = "") -> list[str]:
    return [str(d["n"]) for d in store.list("k", prefix)]


@pytest.mark.parametrize("durable", [False, True])
def test_list_keeps_insertion_order_through_writes(tmp_path: Path, durable: bool) -> None:
    store = Store(tmp_path / "d" if durable else None)
    try:
        store.put("k", "WS1/a", {"n": "a"})
        assert _names(store) == ["a"]  # the mirror is built here; later writes must keep it current
        store.put("k", "ws1/B", {"n": "b"})
        store.put("other", "ws1/x", {"n": "x"})
        store.put("k", "ws2/c", {"n": "c"})
        store.put("k", "ws1/a", {"n": "a2"})  # replaced in place
        assert _names(store) == ["a2", "b", "c"]
        assert _names(store, "WS1/") == ["a2", "b"]  # prefixes compare lower-cased
        assert store.keys("k", "ws1/") == ["ws1/a", "ws1/b"]
        assert store.delete("k", "WS1/b") is True
        assert store.delete("k", "ws1/b") is False
        store.put("k", "ws1/b", {"n": "b2"})  # back, now last
        assert _names(store) == ["a2", "c", "b2"]
    finally:
        store.close()
    if durable:  # what the mirror showed is what the database holds
        reopened = Store(tmp_path / "d")
        try:
            assert _names(reopened) == ["a2", "c", "b2"]
            assert reopened.keys("k") == ["ws1/a", "ws2/c", "ws1/b"]
        finally:
            reopened.close()


def test_listed_documents_are_not_the_callers_objects() -> None:
    store = Store()
    try:
        doc = {"n": "a", "tags": {"t": "1"}}
        store.list("k")
        store.put("k", "a", doc)
        doc["n"] = "changed after put"
        doc["tags"]["t"] = "changed after put"
        listed = store.list("k")[0]
        assert listed == {"n": "a", "tags": {"t": "1"}}
        listed["n"] = "changed in a listing"
        assert store.list("k")[0]["n"] == "a"
        assert store.get("k", "a") == {"n": "a", "tags": {"t": "1"}}
    finally:
        store.close()
