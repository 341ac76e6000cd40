"""The walkthrough's scoring script: init() reads the registered model file, run() echoes with it."""

import json
import os

MODEL = {}


def init():
    root = os.environ.get("AZUREML_MODEL_DIR", ".")
    for dirpath, _dirs, files in os.walk(root):
        if "model.txt" in files:
            with open(os.path.join(dirpath, "model.txt"), encoding="utf-8") as fh:
                MODEL["weights"] = fh.read()
            return
    raise FileNotFoundError("model.txt not found under " + root)


def run(raw_data):
    return {"echo": json.loads(raw_data)["data"], "model": MODEL["weights"]}
