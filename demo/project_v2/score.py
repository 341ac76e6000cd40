"""The demo's scoring script for a managed online deployment: init() loads model.json from AZUREML_MODEL_DIR
(where the service puts the registered model), run() answers bias + weights . x for each row of
{"data": [[x1, x2, x3, x4], ...]}."""

from __future__ import annotations

import json
import os
from typing import Any

model: Any = None


def init() -> None:
    global model
    root = os.environ["AZUREML_MODEL_DIR"]
    for folder, _dirs, files in os.walk(root):
        if "model.json" in files:
            with open(os.path.join(folder, "model.json")) as fh:
                model = json.load(fh)
            print("init: loaded", json.dumps(model), flush=True)
            return
    raise FileNotFoundError(f"no model.json below {root}")


def run(raw_data: str) -> list[float]:
    rows = json.loads(raw_data)["data"]
    return [model["bias"] + sum(model["weights"][k] * row[k] for k in range(len(row))) for row in rows]
