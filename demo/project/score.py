"""Scoring script of the demo's service: ``init()`` loads the tiny linear model, ``run(raw_data)`` scores.

The request is the article's form ``{"data": [[x1, x2, x3, x4], ...]}``; the answer is one number per row.
Written for old Pythons too (the article's environment pins python=3.6.2): no new syntax.
"""

import json
import os
from typing import Any

model = {}  # type: dict[str, Any]


def init() -> None:
    """Load ``model.json`` from the model folder (``AZUREML_MODEL_DIR``; it may sit in a subfolder)."""
    root = os.environ.get("AZUREML_MODEL_DIR", ".")
    for dirpath, _dirs, files in os.walk(root):
        if "model.json" in files:
            with open(os.path.join(dirpath, "model.json"), encoding="utf-8") as fh:
                model.update(json.load(fh))
            return
    raise FileNotFoundError(f"model.json not found under {root}")


def run(raw_data: str) -> Any:
    """Score each row: ``bias + sum(weight * x)``."""
    rows = json.loads(raw_data)["data"]
    weights = model["weights"]
    return [model["bias"] + sum(w * float(x) for w, x in zip(weights, row)) for row in rows]  # noqa: B905
