"""2b. Import plus the first call of the current API, in fresh processes: a job GET through the overlay
(``AzureML.for_emulator(...).workspace(...).jobs.get(name)``: imports, credential, token request, the GET) vs
azure-ai-ml's path (``MLClient(ClientSecretCredential(...), ...).jobs.get(name)``), against one TLS emulator.

azure-ai-ml reaches the emulator through a custom cloud and trusts its CA through ``REQUESTS_CA_BUNDLE`` /
``SSL_CERT_FILE``, as tests/microsoft/aiml_harness.py sets it up (a job GET touches only ARM: no blob host to
resolve). Each command is run once to warm the bytecode caches, then N times interleaved (order rotated); the
median wall time of the whole process is compared (interpreter start included on both sides). The full run
uses the import rows' fresh venv (this repo and the references only); ``--quick`` the running interpreter.
"""

from __future__ import annotations

import json
from typing import Any

from azureml_machinelearning_client import API_VERSION

from ._aiml_world import AIML_MISSING, aiml_world, have_aiml, submit_v2_job
from ._context import Context
from ._install_env import clean_env
from ._paths import child_env
from ._processes import timed_processes
from ._results import Result, skipped
from ._stats import median

NAME = "firstcall"
GOAL = 0.10
JOB = "bench-firstcall-job"

OURS = (
    "import sys\n"
    "from azureml_rest import AzureML\n"
    "base, ca, rg, ws, job = sys.argv[1:]\n"
    "with AzureML.for_emulator(base, ca) as ml:\n"
    "    ml.workspace(rg, ws).jobs.get(job)\n"
)
AIML = (
    "import json, os, sys\n"
    "from azure.ai.ml import MLClient\n"
    "from azure.identity import ClientSecretCredential\n"
    "base, rg, ws, job, cloud, meta = sys.argv[1:]\n"
    "cred = ClientSecretCredential(os.environ['BENCH_TENANT'], os.environ['BENCH_CLIENT'], "
    "os.environ['BENCH_SECRET'], authority=base, disable_instance_discovery=True)\n"
    "MLClient(cred, os.environ['BENCH_SUB'], rg, ws, cloud=cloud, cloud_metadata=json.loads(meta), "
    "enable_telemetry=False).jobs.get(job)\n"
)


FLOOR = (
    "import os, ssl, sys\n"
    "import httpx\n"
    "base, ca, rg, ws, job = sys.argv[1:]\n"
    "ctx = ssl.create_default_context(cafile=ca)\n"
    "with httpx.Client(verify=ctx) as c:\n"
    "    form = {'grant_type': 'client_credentials', 'client_id': os.environ['BENCH_CLIENT'],\n"
    "            'client_secret': os.environ['BENCH_SECRET'], 'scope': base + '/.default'}\n"
    "    token = c.post(f\"{base}/{os.environ['BENCH_TENANT']}/oauth2/v2.0/token\", data=form).json()['access_token']\n"
    "with httpx.Client(verify=ctx, headers={'Authorization': 'Bearer ' + token}) as c:\n"
    "    r = c.get(f\"{base}/subscriptions/{os.environ['BENCH_SUB']}/resourceGroups/{rg}/providers/\"\n"
    "              f\"Microsoft.MachineLearningServices/workspaces/{ws}/jobs/{job}\",\n"
    f"              params={{'api-version': {API_VERSION!r}}})\n"
    "    r.raise_for_status()\n"
    "    from azureml_machinelearning_client.models import JobBase\n"
    "    JobBase.from_dict(r.json())\n"
)


def run(ctx: Context) -> list[Result]:
    name = "firstcall.import + first job GET (vs azure-ai-ml MLClient + jobs.get)"
    if not have_aiml():
        return [skipped(name, AIML_MISSING)]
    from tests.microsoft import aiml_harness as harness

    if ctx.quick:
        import sys

        python, env, where = sys.executable, child_env(), "the running interpreter (--quick)"
    else:
        from .imports import reference_venv

        python, env, where = reference_venv(ctx), clean_env(), "a new venv holding only this repo and the references"
    runs = 1 if ctx.quick else 11  # 7 gave medians 0.093x to 0.0996x on one tree (2-core VM noise)
    with aiml_world() as (emu, world):
        submit_v2_job(emu, world, JOB)
        cfg, ca = emu.config, str(emu.ca_file)
        env = {**env, "REQUESTS_CA_BUNDLE": ca, "SSL_CERT_FILE": ca, "BENCH_TENANT": cfg.tenant_id,
               "BENCH_CLIENT": cfg.client_id, "BENCH_SECRET": cfg.client_secret, "BENCH_SUB": cfg.subscription_id}
        env.pop("CURL_CA_BUNDLE", None)
        rg, ws = world.resource_group, world.workspace
        meta = json.dumps(harness.cloud_metadata(emu.base_url))
        cmds: dict[str, list[str]] = {
            "ours": [python, "-c", OURS, emu.base_url, ca, rg, ws, JOB],
            "aiml": [python, "-c", AIML, emu.base_url, rg, ws, JOB, harness.cloud_name(emu.base_url), meta],
            "floor": [python, "-c", FLOOR, emu.base_url, ca, rg, ws, JOB],
            "python": [python, "-c", "pass"],
        }
        ctx.log(f"firstcall: {runs} interleaved runs of {len(cmds)} commands")
        times = timed_processes(cmds, env, runs, warm=not ctx.quick, timeout=300)
    t: dict[str, Any] = {n: median(v) for n, v in times.items()}
    note = (f"median wall time of {runs} fresh processes each (interpreter start, imports, token, TLS, GET); "
            f"in {where}")
    return [
        Result(name, t["ours"], t["aiml"], "s", f"<= {GOAL:.2f}x", t["ours"] <= GOAL * t["aiml"], note=note),
        Result("firstcall.floor: raw httpx token + GET + generated JobBase.from_dict (vs azure-ai-ml)", t["floor"],
               t["aiml"], "s", note="no overlay: what any typed httpx client pays; ours minus this is the overlay's"),
        Result("firstcall.bare interpreter `python -c pass`", t["python"], None, "s",
               note="included in both figures above"),
    ]
