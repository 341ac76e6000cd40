"""2a. Import cost in fresh processes: ``import azureml_rest``, everything a first authenticated call needs, and
``azureml-rest --help``, vs azure-ai-ml's ``MLClient`` + azure-identity and azure-mgmt-machinelearningservices +
azure-identity.

Each command is run once to warm the bytecode caches, then N times interleaved (order rotated); the median wall
time of ``python -c ...`` is compared (interpreter start-up included on both sides; shown separately).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ._context import Context
from ._install_env import clean_env, make_venv, pip_install
from ._paths import ROOT, child_env
from ._processes import timed_processes
from ._results import Result, skipped
from ._stats import median

NAME = "import"
GOAL_AIML = 0.10
GOAL_MGMT = 0.50

IMPORT_ONLY = "import azureml_rest"
# What the first ws.get() needs: the facade, a credential, the workspace operations (generated workspaces_get
# and models) and httpx. No client is built and nothing is sent.
FIRST_CALL = (
    "from azureml_rest import AzureML, ServicePrincipalCredential\n"
    "from azureml_rest.clouds import Cloud\n"
    "import httpx, azureml_rest.operations.workspaces\n"
    "import azureml_management_client.api.workspaces.workspaces_get\n"
    "cloud = Cloud.emulator('http://127.0.0.1:9')\n"
    "cred = ServicePrincipalCredential('00000000-0000-4000-8000-00000000e001', "
    "'00000000-0000-4000-8000-00000000c11e', 'emulator-dev-secret', cloud=cloud)\n"
    "ws = AzureML(cred, '00000000-0000-4000-8000-0000000005b5', cloud=cloud).workspace('rg', 'ws')\n"
)
AIML = "from azure.ai.ml import MLClient; import azure.identity"
MGMT = "import azure.mgmt.machinelearningservices, azure.identity"


REFERENCES = ("azure-ai-ml", "azure-mgmt-machinelearningservices", "azure-identity")


def _cli_command(python: str) -> list[str]:
    script = Path(python).with_name("azureml-rest")
    if script.exists():
        return [str(script), "--help"]
    return [python, "-m", "azureml_rest.cli", "--help"]


def _have(python: str, env: dict[str, str], module: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({module!r}) else 1)"
    try:
        return subprocess.run([python, "-c", code], env=env, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def run(ctx: Context) -> list[Result]:
    if ctx.quick:
        return _measure(ctx, sys.executable, child_env(), "the running interpreter (--quick)")
    python = reference_venv(ctx)
    return _measure(ctx, python, clean_env(), f"a new venv holding only this repo and {', '.join(REFERENCES)}")


def reference_venv(ctx: Context) -> str:
    """The python of a new venv holding only this repo and :data:`REFERENCES`, made once per run (the
    ``firstcall`` rows use it too); removed when the run ends."""
    if "reference_venv" not in ctx.shared:
        tmp = tempfile.TemporaryDirectory(prefix="bench-import-")
        ctx.log(f"import: a new venv with this repo + {', '.join(REFERENCES)}")
        python = make_venv(Path(tmp.name) / "venv")
        pip_install(python, str(ROOT), *REFERENCES)
        ctx.shared["reference_venv"] = (tmp, python)
    return str(ctx.shared["reference_venv"][1])


def _measure(ctx: Context, python: str, env: dict[str, str], where: str) -> list[Result]:
    runs = 3 if ctx.quick else 7
    py = [python, "-c"]
    cmds: dict[str, list[str]] = {
        "python": [*py, "pass"],
        "import": [*py, IMPORT_ONLY],
        "first_call": [*py, FIRST_CALL],
        "cli_help": _cli_command(python),
    }
    if not ctx.quick and _have(python, env, "azure.ai.ml"):
        cmds["aiml"] = [*py, AIML]
    if _have(python, env, "azure.mgmt.machinelearningservices") and _have(python, env, "azure.identity"):
        cmds["mgmt"] = [*py, MGMT]
    ctx.log(f"import: {runs} interleaved runs of {len(cmds)} commands")
    times = timed_processes(cmds, env, runs, warm=True, timeout=120)
    t = {n: median(v) for n, v in times.items()}
    note = f"median wall time of {runs} fresh processes each, interpreter start included; in {where}"
    out: list[Result] = []
    if "aiml" in t:
        out.append(Result("import.first_call (vs azure-ai-ml MLClient + identity)", t["first_call"], t["aiml"], "s",
                          f"<= {GOAL_AIML:.2f}x", t["first_call"] <= GOAL_AIML * t["aiml"], note=note))
    else:
        why = "--quick (about 3 s a run)" if ctx.quick else "azure-ai-ml not installed"
        out.append(skipped("import.first_call (vs azure-ai-ml MLClient + identity)", why))
    if "mgmt" in t:
        out.append(Result("import.first_call (vs azure-mgmt-machinelearningservices + identity)", t["first_call"],
                          t["mgmt"], "s", f"<= {GOAL_MGMT:.2f}x", t["first_call"] <= GOAL_MGMT * t["mgmt"]))
        out.append(Result("import.azureml_rest (vs azure-mgmt-machinelearningservices + identity)", t["import"],
                          t["mgmt"], "s"))
        out.append(Result("import.cli_help `azureml-rest --help` (vs mgmt + identity)", t["cli_help"], t["mgmt"],
                          "s", note=" ".join(Path(c).name if os.sep in c else c for c in cmds["cli_help"])))
    else:
        out.append(skipped("import.first_call (vs azure-mgmt-machinelearningservices + identity)",
                           "azure-mgmt-machinelearningservices / azure-identity not installed"))
    out.append(Result("import.bare interpreter `python -c pass`", t["python"], None, "s",
                      note="included in every figure above"))
    return out
