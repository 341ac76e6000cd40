"""Models import the models they refer to once, on first use (``model.py.jinja``): serialising before anything
was parsed, in a fresh interpreter, still finds every referenced class, and a round trip gives back the JSON."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json
    from azureml_history_client.models.run import Run
    from azureml_history_client.models.created_by import CreatedBy
    from azureml_history_client.models.string_map import StringMap

    tags = StringMap()
    tags["k"] = "v"
    run = Run(run_id="r1", created_by=CreatedBy(user_name="u"), tags=tags, status="Running")
    first = run.to_dict()  # no from_dict yet: to_dict's isinstance checks need the referenced classes
    assert first == {"runId": "r1", "createdBy": {"userName": "u"}, "tags": {"k": "v"}, "status": "Running"}, first
    again = Run.from_dict(json.loads(json.dumps(first)))
    assert isinstance(again.created_by, CreatedBy) and again.to_dict() == first
    print("ok")
    """
)


def test_to_dict_first_in_a_fresh_process() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
