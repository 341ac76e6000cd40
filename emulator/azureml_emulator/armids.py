"""Validation of the ARM resource ids a workspace depends on (storage, key vault, insights, registry)."""

from __future__ import annotations

import re
from typing import Any

from .errors import arm_error_body

# property -> the provider resource type its id must name
DEPENDENTS: dict[str, str] = {
    "storageAccount": "Microsoft.Storage/storageAccounts",
    "keyVault": "Microsoft.KeyVault/vaults",
    "applicationInsights": "Microsoft.Insights/components",
    "containerRegistry": "Microsoft.ContainerRegistry/registries",
}
REQUIRED = ("storageAccount", "keyVault", "applicationInsights")

_ID = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/"
    r"(?P<ns>[^/]+)/(?P<type>[^/]+)/(?P<name>[^/]+)$",
    re.IGNORECASE,
)


def normalise_id(value: str) -> str:
    """``value`` with a leading ``/`` added when missing.

    The article's workspace body gives ``applicationInsights`` as ``subscriptions/...`` (no leading ``/``;
    specs/README.md, management.yaml: "Article create-workspace JSON"). ARM resolves such ids relative to the
    root, and Azure ML is known to accept them, so the emulator tolerates the form and stores the normalised id
    rather than failing the deployment.
    """
    v = value.strip()
    if v.lower().startswith("subscriptions/"):
        v = "/" + v
    return v


def problem(prop: str, value: Any) -> str | None:
    """What is wrong with dependent-resource property ``prop`` (None when it is well-formed)."""
    wanted = DEPENDENTS[prop]
    if value is None or (isinstance(value, str) and not value.strip()):
        if prop in REQUIRED:
            return f"The workspace property '{prop}' is required: give the ARM id of a {wanted} resource."
        return None
    if not isinstance(value, str):
        return f"The workspace property '{prop}' must be a string ARM resource id of a {wanted} resource."
    m = _ID.match(normalise_id(value))
    shape = f"/subscriptions/{{subscriptionId}}/resourceGroups/{{resourceGroupName}}/providers/{wanted}/{{name}}"
    if m is None:
        return (
            f"The workspace property '{prop}' has the value '{value}', which is not a valid ARM resource id; "
            f"expected the form '{shape}'."
        )
    got = f"{m.group('ns')}/{m.group('type')}"
    if got.lower() != wanted.lower():
        return (
            f"The workspace property '{prop}' has the value '{value}', which names a resource of type "
            f"'{got}'; it must name a '{wanted}' resource ('{shape}')."
        )
    return None


def validate(props: dict[str, Any]) -> dict[str, Any] | None:
    """An ARM error body ``DependentResourceInvalid`` listing every problem, or None."""
    details = []
    for prop in DEPENDENTS:
        msg = problem(prop, props.get(prop))
        if msg is not None:
            details.append({"code": "DependentResourceInvalid", "target": prop, "message": msg})
    if not details:
        return None
    summary = "The workspace deployment failed: " + " ".join(d["message"] for d in details)
    return arm_error_body("DependentResourceInvalid", summary, target="properties", details=details)
