"""Models import the models they refer to once, on first use (``model.py.jinja``): serialising before anything
was parsed, in a fresh interpreter, still finds every referenced class, and a round trip gives back the JSON.
And the generated packages and the overlay need neither attrs nor python-dateutil (pyproject lists neither)."""

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


NO_ATTRS = textwrap.dedent(
    """
    import sys
    sys.modules["attrs"] = sys.modules["attr"] = sys.modules["dateutil"] = None  # importing them now fails
    import importlib, pkgutil
    from azureml_rest._registry import GROUPS
    packages = sorted({p for g in GROUPS.values() for p in g.versions.values()})
    for package in packages:
        client = importlib.import_module(package + ".client")
        assert "base_url='https://x'" in repr(client.Client(base_url="https://x"))
        authed = client.AuthenticatedClient("https://x", "tok-SECRET", headers={"Authorization": "Bearer tok-SECRET"})
        assert "SECRET" not in repr(authed) and authed.with_headers({"a": "b"}).token == "tok-SECRET"
        types = importlib.import_module(package + ".types")
        answer = types.Response(200, b'{"key": "SECRET"}', {"Authorization": "Bearer SECRET"}, None)
        assert "SECRET" not in repr(answer) and "Authorization" in repr(answer), repr(answer)
        models = importlib.import_module(package + ".models")
        for name in models.__all__:
            getattr(models, name)
    from azureml_machinelearning_client.models import JobBase
    job = JobBase.from_dict({"properties": {"jobType": "Command", "command": "python -c pass", "environmentId": "e",
                                            "limits": {"jobLimitsType": "Command", "timeout": "PT1H"}, "x": 1}})
    assert JobBase.from_dict(job.to_dict()) == job and job != JobBase.from_dict({"properties": {"jobType": "Sweep"}})
    # format: uuid fields: uuid is bound on first use (model.py.jinja), to_dict before any from_dict included
    from azureml_machinelearning_client.models import IdentityConfiguration, IdentityConfigurationType
    import uuid
    cid = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
    ident = IdentityConfiguration(IdentityConfigurationType.MANAGED, client_id=cid)
    assert ident.to_dict() == {"identityType": "Managed", "clientId": str(cid)}, ident.to_dict()
    assert IdentityConfiguration.from_dict(ident.to_dict()).client_id == cid
    from azureml_rest import AzureML, Workspace
    print(len(packages))
    """
)


def test_no_attrs_or_dateutil_needed() -> None:
    done = subprocess.run([sys.executable, "-c", NO_ATTRS], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) >= 9  # every group, and the side-by-side api-versions


ERROR_MODEL_ON_ERROR = textwrap.dedent(
    """
    import sys
    import httpx
    from azureml_machinelearning_client.api.jobs import jobs_get
    from azureml_machinelearning_client.client import Client
    from azureml_machinelearning_client.models.job_base import JobBase

    error_module = "azureml_machinelearning_client.models.error_response"
    assert error_module not in sys.modules, "the error model loaded with the operation"
    client = Client(base_url="https://management.azure.com")
    ok = httpx.Response(200, json={"properties": {"jobType": "Command", "command": "echo"}})
    assert isinstance(jobs_get._build_response(client=client, response=ok).parsed, JobBase)
    assert error_module not in sys.modules, "a success loaded the error model"
    failed = httpx.Response(404, json={"error": {"code": "NotFound", "message": "no such job"}})
    parsed = jobs_get._build_response(client=client, response=failed).parsed
    from azureml_machinelearning_client.models.error_response import ErrorResponse
    assert isinstance(parsed, ErrorResponse) and parsed.error.code == "NotFound", parsed
    print("ok")
    """
)


def test_error_model_loads_with_the_first_error() -> None:
    """endpoint_module.py.jinja: the default (error) response's model is imported when an error is parsed, so an
    operation's first successful call does not load it (and the models it refers to)."""
    done = subprocess.run([sys.executable, "-c", ERROR_MODEL_ON_ERROR], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
