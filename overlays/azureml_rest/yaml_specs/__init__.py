"""az ml (v2) YAML files for the library: ``load_job``, ``load_environment``, ``load_model``,
``load_online_endpoint``, ``load_online_deployment`` read the files the ``az ml`` CLI reads (commandJob,
environment, model, managedOnlineEndpoint, managedOnlineDeployment schemas) into typed objects the operations
take. Unknown or misspelled fields raise :class:`~azureml_rest.errors.YamlSpecError` naming the field, the file
and the line; ``overrides`` are ``--set K=V`` assignments by dotted path; paths resolve against the file's
folder, as az ml resolves them.

    >>> from azureml_rest.yaml_specs import load_job
    >>> spec = load_job("jobs/hello-world.yml", overrides=["compute=azureml:cpu-cluster"])
    >>> job = JobOperations(ws).submit(**spec.submit_kwargs())
"""

from __future__ import annotations

from ..errors import YamlSpecError
from .specs import (
    CommandJobSpec,
    EnvironmentSpec,
    ModelSpec,
    OnlineDeploymentSpec,
    OnlineEndpointSpec,
    load_environment,
    load_job,
    load_model,
    load_online_deployment,
    load_online_endpoint,
)

__all__ = [
    "CommandJobSpec",
    "EnvironmentSpec",
    "ModelSpec",
    "OnlineDeploymentSpec",
    "OnlineEndpointSpec",
    "YamlSpecError",
    "load_environment",
    "load_job",
    "load_model",
    "load_online_deployment",
    "load_online_endpoint",
]
