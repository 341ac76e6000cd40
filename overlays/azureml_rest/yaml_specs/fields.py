"""The fields az ml's YAML schemas allow, per kind of file, as the unknown-field check reads them.

Field names are those of azure-ai-ml 1.35's marshmallow schemas (the schemas behind the ``$schema`` URLs
``https://azuremlschemas.azureedge.net/latest/<kind>.schema.json``): ``azure/ai/ml/_schema/job/command_job.py``
(``CommandJobSchema`` with ``job/base_job.py`` and ``job/input_output_entry.py``),
``_schema/_endpoint/online/online_endpoint.py`` (``ManagedOnlineEndpointSchema``),
``_schema/_deployment/online/online_deployment.py`` (``ManagedOnlineDeploymentSchema``),
``_schema/assets/model.py`` (``ModelSchema``), ``_schema/assets/environment.py`` (``EnvironmentSchema``),
``_schema/job_resource_configuration.py`` and ``_schema/_deployment/code_configuration_schema.py``.
Read-only fields the service fills (``id``, ``status``, ``creation_context``, ...) are accepted as az ml accepts
them, and ignored.

A field maps to :data:`ANY` (any value: free-form maps such as ``tags``, or values checked when the file is
built), to a mapping of its own fields, or to :class:`MapOf` (keys the user names, such as inputs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Union

__all__ = [
    "ANY",
    "COMMAND_JOB",
    "ENVIRONMENT",
    "FIELDS",
    "MODEL",
    "ONLINE_DEPLOYMENT",
    "ONLINE_ENDPOINT",
    "Field",
    "MapOf",
]

ANY: Final = "any"


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys the user names (``inputs``, ``outputs``); each value a scalar (a literal, a
    reference) or a mapping of ``fields``."""

    fields: Mapping[str, Field]


Field = Union[str, Mapping[str, "Field"], MapOf]  # noqa: UP007 (a recursive alias needs the string form)


def _any(*names: str) -> dict[str, Field]:
    return dict.fromkeys(names, ANY)


_COMMON = ("$schema", "name", "description", "tags", "properties", "id", "creation_context")

ENVIRONMENT: Final[Mapping[str, Field]] = {
    **_any(*_COMMON, "version", "image", "conda_file", "os_type", "build", "datastore", "inference_config",
           "latest_version", "auto_delete_setting", "intellectual_property", "stage"),
}

MODEL: Final[Mapping[str, Field]] = {
    **_any(*_COMMON, "version", "type", "path", "flavors", "job_name", "stage", "datastore", "latest_version",
           "utc_time_created", "system_metadata", "intellectual_property", "allowed_deployment_templates",
           "default_deployment_template"),
}

_INPUT: Mapping[str, Field] = _any("type", "path", "mode", "default", "optional", "description", "datastore",
                                   "value", "min", "max", "enum", "path_on_compute")
_OUTPUT: Mapping[str, Field] = _any("type", "path", "mode", "description", "name", "version", "datastore",
                                    "path_on_compute", "early_available")

COMMAND_JOB: Final[Mapping[str, Field]] = {
    **_any(*_COMMON, "type", "display_name", "experiment_name", "command", "code", "compute", "environment_variables",
           "distribution", "identity", "services", "queue_settings", "parameters", "status", "log_files",
           "parent_job_name"),
    "environment": ENVIRONMENT,
    "inputs": MapOf(_INPUT),
    "outputs": MapOf(_OUTPUT),
    "resources": _any("instance_count", "instance_type", "shm_size", "docker_args", "locations",
                      "max_instance_count", "properties"),
    "limits": _any("timeout"),
}

ONLINE_ENDPOINT: Final[Mapping[str, Field]] = {
    **_any(*_COMMON, "auth_mode", "traffic", "mirror_traffic", "identity", "kind", "location",
           "public_network_access", "scoring_uri", "openapi_uri", "provisioning_state"),
}

ONLINE_DEPLOYMENT: Final[Mapping[str, Field]] = {
    **_any(*_COMMON, "type", "endpoint_name", "instance_type", "instance_count", "environment_variables",
           "app_insights_enabled", "egress_public_network_access", "request_settings", "liveness_probe",
           "readiness_probe", "scale_settings", "data_collector", "model_mount_path", "private_network_connection",
           "provisioning_state"),
    "model": MODEL,
    "environment": ENVIRONMENT,
    "code_configuration": _any("$schema", "code", "scoring_script"),
}

#: Kind name (as in the ``$schema`` URL's file name) -> its fields.
FIELDS: Final[Mapping[str, Mapping[str, Field]]] = {
    "commandJob": COMMAND_JOB,
    "managedOnlineEndpoint": ONLINE_ENDPOINT,
    "managedOnlineDeployment": ONLINE_DEPLOYMENT,
    "model": MODEL,
    "environment": ENVIRONMENT,
}
