"""A populated emulator for the security tests: workspace, compute, a finished run, a model and a service.

Built through the overlay (the same calls as the demo walkthrough), with the demo's project files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
from azureml_emulator.server import RunningEmulator
from azureml_rest.client import AzureML

from demo import PROJECT_DIR

RG, WS, EXP, COMPUTE = "sec-rg", "sec-ws", "sec-exp", "cpu-compute"
ML = "Microsoft.MachineLearningServices"


@dataclass
class Populated:
    """Ids and secrets of what :func:`populate` created (tests use them to aim hostile requests)."""

    emu: RunningEmulator
    arm_token: str
    run_id: str
    model_id: str
    service_id: str
    scoring_uri: str
    primary_key: str
    log_url: str

    @property
    def sub(self) -> str:
        return self.emu.config.subscription_id

    @property
    def arm_ws(self) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{RG}/providers/{ML}/workspaces/{WS}"

    @property
    def history(self) -> str:
        return f"/history/v1.0{self.arm_ws}"

    @property
    def execution(self) -> str:
        return f"/execution/v1.0{self.arm_ws}"

    @property
    def mms(self) -> str:
        return f"/modelmanagement/v1.0{self.arm_ws}"


def token(emu: RunningEmulator, resource: str = "https://management.azure.com/") -> str:
    """A v1 client-credentials token from ``emu`` for ``resource``."""
    c = emu.config
    r = httpx.post(f"{emu.base_url}/{c.tenant_id}/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": c.client_id, "client_secret": c.client_secret,
        "resource": resource})
    r.raise_for_status()
    return str(r.json()["access_token"])


def demo_project(dest: Path) -> Path:
    """A copy of the demo's project folder (hello.py writes outputs/model.json and outputs/score.py)."""
    src = PROJECT_DIR
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("hello.py", "score.py", "definition.json"):
        dest.joinpath(name).write_bytes(src.joinpath(name).read_bytes())
    return dest


def populate(emu: RunningEmulator, tmp: Path) -> Populated:
    """Resource group, workspace, compute, a completed run, a registered model and a Healthy service."""
    ids = f"/subscriptions/{emu.config.subscription_id}/resourceGroups/{RG}/providers"
    with AzureML.for_emulator(emu.base_url) as ml:
        ml.resource_groups.create_or_update(RG, "eastus")
        ml.workspaces.begin_create_or_update(
            RG, WS, location="eastus", storage_account=f"{ids}/Microsoft.Storage/storageAccounts/secsa",
            key_vault=f"{ids}/Microsoft.KeyVault/vaults/seckv",
            application_insights=f"{ids}/Microsoft.Insights/components/secai").result(timeout=60)
        ws = ml.workspace(RG, WS)
        ws.computes.begin_create_or_update(COMPUTE, vm_size="Standard_D1", min_nodes=0, max_nodes=2).result(timeout=60)
        project = demo_project(tmp / "project")
        run_id = ws.v1.runs.submit(EXP, project, definition=project / "definition.json", target=COMPUTE)
        ws.v1.runs.wait(EXP, run_id, timeout=120)
        model = ws.v1.models.register("sec-model", f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/model.json",
                                   run_id=run_id, experiment_name=EXP)
        svc = ws.v1.services.begin_create(
            "sec-service", model_ids=[str(model.id)], driver_program="score.py",
            assets=[f"aml://artifact/ExperimentRun/dcid.{run_id}/outputs/score.py"]).result(timeout=120)
        keys = ws.v1.services.keys(str(svc.id))
        log_files = ws.v1.runs.details(EXP, run_id).log_files
        log_url = str(next(iter(getattr(log_files, "additional_properties", {}).values())))  # may be Unset/None
    shutil.rmtree(project, ignore_errors=True)
    return Populated(emu, token(emu), run_id, str(model.id), str(svc.id), str(svc.scoring_uri),
                     str(keys.primary_key), log_url)
