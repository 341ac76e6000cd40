"""The v2 lists' time order (assets' ``$orderBy``, endpoints' ``orderBy``, deployments' ``$orderBy``) compares
parsed times: ``iso`` drops a zero fraction, so the strings alone would put ``...:05Z`` after ``...:05.5Z``."""

from __future__ import annotations

from typing import Any

from azureml_emulator.timeutil import iso
from azureml_emulator.v2.common import by_stamp


def _doc(name: str, created: float) -> dict[str, Any]:
    return {"name": name, "systemData": {"createdAt": iso(created), "lastModifiedAt": iso(created)}}


def test_a_whole_second_sorts_before_the_same_second_with_a_fraction() -> None:
    whole, later, tie = _doc("whole", 1_700_000_005.0), _doc("later", 1_700_000_005.5), _doc("tie", 1_700_000_005.0)
    assert whole["systemData"]["createdAt"] > later["systemData"]["createdAt"]  # the string order is wrong
    docs = [later, whole, tie]
    assert [d["name"] for d in by_stamp(docs, "createdAt", descending=False)] == ["whole", "tie", "later"]
    assert [d["name"] for d in by_stamp(docs, "lastModifiedAt", descending=True)] == ["later", "tie", "whole"]
