"""Generated models survive copy.copy, copy.deepcopy and pickle: ``UNSET`` stays the one marker the models compare
fields with (``types.py.jinja``), so a copy serialises exactly like the original, in every generated package."""

from __future__ import annotations

import copy
import importlib
import pickle
from typing import Any

import pytest
from azureml_rest._generated_types import PACKAGES


def _pickled(model: Any) -> Any:
    return pickle.loads(pickle.dumps(model))  # noqa: S301 (our own bytes)


@pytest.mark.parametrize("package", PACKAGES)
def test_unset_is_one_object_through_copies(package: str) -> None:
    types = importlib.import_module(f"{package}.types")
    for twin in (copy.copy(types.UNSET), copy.deepcopy(types.UNSET), _pickled(types.UNSET)):
        assert twin is types.UNSET


def _job() -> Any:
    from azureml_machinelearning_client.models import JobBase

    return JobBase.from_dict({"name": "j", "unknownTop": 2,
                              "properties": {"jobType": "Command", "command": "python -c pass", "environmentId": "e",
                                             "limits": {"jobLimitsType": "Command"}, "unknownInner": 1}})


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, _pickled], ids=["copy", "deepcopy", "pickle"])
def test_a_copied_model_serialises_like_the_original(clone: Any) -> None:
    job = _job()
    twin = clone(job)
    assert twin == job
    assert twin.to_dict() == job.to_dict() == {
        "name": "j", "unknownTop": 2,
        "properties": {"jobType": "Command", "command": "python -c pass", "environmentId": "e",
                       "limits": {"jobLimitsType": "Command"}, "unknownInner": 1}}
