# hello.py
# Entry file for run
print("Hello, REST!")

# ---------------------------------------------------------------------------------------------------------------
# Added for the azureml-rest demo (not in the article): the walkthrough goes on to register a model and deploy it,
# so the run also writes a tiny model and the scoring script into ./outputs, which become the run's artifacts
# (aml://artifact/ExperimentRun/dcid.{runId}/outputs/...).
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402

os.makedirs("outputs", exist_ok=True)
with open(os.path.join("outputs", "model.json"), "w", encoding="utf-8") as model_file:
    json.dump({"weights": [0.5, -1.0, 2.0, 0.25], "bias": 1.0}, model_file)
shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "score.py"),
                os.path.join("outputs", "score.py"))
print("arguments:", sys.argv[1:])
print("wrote outputs/model.json and outputs/score.py")
