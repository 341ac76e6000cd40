"""azure-ai-ml 1.35 against the emulator: the workspace (the first call every scenario makes)."""

from __future__ import annotations

from typing import Any

from tests.microsoft import aiml_harness
from tests.microsoft.aiml_harness import World

pytestmark = list(aiml_harness.MARKS)


def test_workspaces_get(ml_client: Any, aiml_world: World) -> None:
    ws = ml_client.workspaces.get(aiml_world.workspace)
    assert ws.name == aiml_world.workspace
    assert ws.location == "eastus"
    assert ws.discovery_url.startswith(aiml_world.base_url)
    assert ws.storage_account.endswith("/" + aiml_world.storage_account)
