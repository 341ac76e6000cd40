"""Which ``api-version`` values the emulator accepts, per route group.

ARM requires the parameter; the data plane makes it optional (Microsoft's data-plane specs declare none,
the article sends ``2019-11-01``). ``--lax-api-version`` turns every check off.
"""

from __future__ import annotations

# Microsoft.MachineLearningServices: the article's version, the versions Microsoft's Python clients send
# (azure-mgmt-machinelearningservices 1.0.x defaults to 2020-08-01; 2.0 betas use 2022-10-01 / 2023-04-01),
# and the 2020-06-01 of the latest azureml-core.
ML_VERSIONS: tuple[str, ...] = (
    "2019-11-01",
    "2020-06-01",
    "2020-08-01",
    "2021-07-01",
    "2022-10-01",
    "2023-04-01",
)
# Microsoft.Resources: the article's 2019-11-01 (no resources.json has it; specs/README.md, management.yaml:
# "Resource-group api-version"), the newest 2019 contract 2019-10-01, and what azure-mgmt-resource sends
# (26.0.0: 2025-04-01).
RESOURCES_VERSIONS: tuple[str, ...] = ("2019-10-01", "2019-11-01", "2021-04-01", "2025-04-01")
# Data plane (optional): the article's value and what the 2019/2020 SDKs sent.
DATAPLANE_VERSIONS: tuple[str, ...] = ("2018-11-19", "2019-08-01", "2019-09-30", "2019-11-01")

LAX_HINT = " (start the emulator with --lax-api-version to accept any value)"


def check(value: str | None, supported: tuple[str, ...], *, required: bool) -> tuple[str, str] | None:
    """None when ``value`` is acceptable, else ``(error_code, message)`` in ARM's wording."""
    if value is None or value == "":
        if not required:
            return None
        return (
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests. "
            f"Supported api-versions are '{', '.join(supported)}'." + LAX_HINT,
        )
    if value in supported:
        return None
    return (
        "InvalidApiVersionParameter",
        f"The api-version '{value}' is invalid. The supported versions are '{','.join(supported)}'." + LAX_HINT,
    )
