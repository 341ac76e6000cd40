"""The walkthrough's training script: reads its run context, logs metrics, writes outputs, ships score.py."""

import os
import shutil

from azureml.core import Run

run = Run.get_context()
print(f"hello from run {run.id} of experiment {run.experiment.name}")
print(f"interpreter mark: {os.environ.get('V1_INTERPRETER_MARK', 'none')}")
run.log("accuracy", 0.91)
run.log("loss", 0.25)
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.txt", "w", encoding="utf-8") as fh:
    fh.write("weights-v1")
shutil.copyfile("score.py", "outputs/score.py")
