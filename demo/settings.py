"""What the walkthrough creates (and deletes) and where: :class:`DemoSettings`, from options and environment.

Against the emulator everything has a default (the four dependent resources get well-formed ids the emulator
checks by form only); against real Azure the resource group, region and dependent resources must be named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_LOCATION",
    "DEFAULT_RESOURCE_GROUP",
    "DEFAULT_WORKSPACE",
    "DemoSettings",
    "emulator_ids",
    "resolve_settings",
]

DEFAULT_RESOURCE_GROUP = "azureml-rest-demo"
DEFAULT_WORKSPACE = "azureml-rest-demo"
DEFAULT_LOCATION = "eastus"
DEPENDENT_RESOURCES = ("storage_account", "key_vault", "application_insights", "container_registry")
REQUIRED_ON_AZURE = ("storage_account", "key_vault", "application_insights")


@dataclass
class DemoSettings:
    """The resources the walkthrough creates (and deletes) and where."""

    azure: bool
    resource_group: str
    workspace: str
    location: str
    storage_account: str
    key_vault: str
    application_insights: str
    container_registry: str | None
    experiment: str
    compute: str
    lro_delay: float
    keep: bool
    debug: bool = False


def emulator_ids(subscription_id: str, rg: str) -> dict[str, str]:
    """Well-formed ids for the four dependent resources (the emulator checks their form, not their existence)."""
    base = f"/subscriptions/{subscription_id}/resourceGroups/{rg}/providers"
    return {
        "storage_account": f"{base}/Microsoft.Storage/storageAccounts/azuremlrestdemo",
        "key_vault": f"{base}/Microsoft.KeyVault/vaults/azureml-rest-demo-kv",
        "application_insights": f"{base}/Microsoft.Insights/components/azureml-rest-demo-ai",
        "container_registry": f"{base}/Microsoft.ContainerRegistry/registries/azuremlrestdemo",
    }


def resolve_settings(
    pick: Callable[[str, str], str | None],
    *,
    azure: bool,
    subscription_id: str | None,
    experiment: str,
    compute: str,
    lro_delay: float,
    keep: bool,
    debug: bool,
) -> tuple[DemoSettings | None, list[str]]:
    """The settings, or None and what is missing (``--azure`` only). ``pick(option, env)`` is an option's value,
    else the environment variable's."""
    rg = pick("resource_group", "AZUREML_RESOURCE_GROUP")
    ws = pick("workspace", "AZUREML_WORKSPACE")
    location = pick("location", "AZUREML_LOCATION")
    ids = {k: pick(k, f"AZUREML_{k.upper()}") for k in DEPENDENT_RESOURCES}
    missing: list[str] = []
    if azure:
        if not rg:
            missing.append("--resource-group/-g (or AZUREML_RESOURCE_GROUP)")
        if not location:
            missing.append("--location (or AZUREML_LOCATION)")
        missing += [f"--{k.replace('_', '-')} (or AZUREML_{k.upper()})" for k in REQUIRED_ON_AZURE if not ids[k]]
        if missing:
            return None, missing
    else:
        rg = rg or DEFAULT_RESOURCE_GROUP
        location = location or DEFAULT_LOCATION
        defaults = emulator_ids(str(subscription_id), rg)
        ids = {k: v or defaults[k] for k, v in ids.items()}
    assert rg and location
    return DemoSettings(
        azure=azure, resource_group=rg, workspace=ws or DEFAULT_WORKSPACE, location=location,
        storage_account=str(ids["storage_account"]), key_vault=str(ids["key_vault"]),
        application_insights=str(ids["application_insights"]), container_registry=ids["container_registry"],
        experiment=experiment, compute=compute, lro_delay=lro_delay, keep=keep, debug=debug,
    ), []
