"""Names the azureml-core tests share (the fixture itself is in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

REQUIRED_ENV = "AZUREML_CORE_REQUIRED"  # set: a missing azureml-core fails instead of skipping
CLOUD = "AzureMLEmulator"  # the cloud the emulator's metadata names (azureml_emulator/cloud_metadata.py)
RESOURCE_GROUP = "v1-rg"
WORKSPACE = "v1-ws"
PROJECT = Path(__file__).with_name("project")  # train.py (the run) and score.py (the service)


@dataclass
class V1World:
    """The emulator, the SDK's credential and workspace, and the project folder."""

    emulator: Any
    auth: Any
    workspace: Any
    project: Path
