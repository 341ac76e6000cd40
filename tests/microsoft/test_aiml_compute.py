"""azure-ai-ml 1.35 against the emulator: AmlCompute create (long-running), get, list."""

from __future__ import annotations

import uuid
from typing import Any

from tests.microsoft import aiml_harness

pytestmark = list(aiml_harness.MARKS)


def test_compute_create_get_list(ml_client: Any) -> None:
    from azure.ai.ml.entities import AmlCompute

    name = "aiml-" + uuid.uuid4().hex[:8]
    wanted = AmlCompute(
        name=name, size="STANDARD_DS3_V2", min_instances=0, max_instances=2, idle_time_before_scale_down=120
    )
    created = ml_client.compute.begin_create_or_update(wanted).result()
    assert created.name == name
    assert created.provisioning_state == "Succeeded"

    got = ml_client.compute.get(name)
    assert got.type == "amlcompute"
    assert got.size.upper() == "STANDARD_DS3_V2"
    assert (got.min_instances, got.max_instances, got.idle_time_before_scale_down) == (0, 2, 120)

    listed = {c.name: c for c in ml_client.compute.list()}
    assert name in listed
    assert listed[name].max_instances == 2
