"""What both facades (:class:`~azureml_rest.client.AzureML`, :class:`~azureml_rest.client.AsyncAzureML`) read
besides the session: the emulator's development account, the cloud named by the environment, and argument
checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .clouds import Cloud, get_cloud
from .config import HttpConfig

__all__ = ["EMULATOR_ACCOUNT", "cloud_from_env", "emulator_config", "required_subscription"]

#: The emulator's development account (CONTRIBUTING.md), like Azurite's well-known key.
EMULATOR_ACCOUNT: dict[str, str] = {
    "tenant_id": "00000000-0000-4000-8000-00000000e001",
    "client_id": "00000000-0000-4000-8000-00000000c11e",
    "client_secret": "emulator-dev-secret",
    "subscription_id": "00000000-0000-4000-8000-0000000005b5",
}


def cloud_from_env(environ: Mapping[str, str]) -> Cloud:
    """``AZUREML_CLOUD`` (or ``AZURE_CLOUD``), default ``AzureCloud``."""
    return get_cloud(environ.get("AZUREML_CLOUD") or environ.get("AZURE_CLOUD") or "AzureCloud")


def emulator_config(http: HttpConfig | None, ca_file: str | None) -> HttpConfig:
    """``http`` (default ``HttpConfig()``) verifying TLS with the emulator's CA file when one is given."""
    cfg = http or HttpConfig()
    return replace(cfg, verify=ca_file) if ca_file else cfg


def required_subscription(subscription_id: str) -> str:
    if not subscription_id:
        raise ValueError("subscription_id is required")
    return subscription_id
