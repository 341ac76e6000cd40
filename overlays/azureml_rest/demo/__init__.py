"""The article's walkthrough, end to end through the library: ``azureml-rest demo`` / ``python -m azureml_rest.demo``.

By default it starts the emulator in-process on a free loopback port (``--endpoint URL`` uses an emulator that
is already running); ``--azure`` runs the same steps against real Azure with credentials from the environment.
The article's project files ship here as package data (``project/hello.py``, ``project/definition.json``, plus
the scoring script the deployment needs).

This module stays import-light (argparse only): the CLI registers the demo's options from here.
"""

from __future__ import annotations

import argparse

__all__ = ["register_arguments"]


def register_arguments(p: argparse.ArgumentParser) -> None:
    """The demo's own options (the global ones -g/-w, credentials, --cloud... come from the CLI)."""
    p.add_argument("--azure", action="store_true",
                   help="run against real Azure: credentials from AZURE_TENANT_ID/AZURE_CLIENT_ID/"
                        "AZURE_CLIENT_SECRET/AZURE_SUBSCRIPTION_ID (or the global options), plus -g, --location "
                        "and the dependent resource ids")
    p.add_argument("--location", "-l", help="region (env AZUREML_LOCATION; default eastus with the emulator)")
    p.add_argument("--storage-account", metavar="ARM_ID", help="storage account id (env AZUREML_STORAGE_ACCOUNT)")
    p.add_argument("--key-vault", metavar="ARM_ID", help="key vault id (env AZUREML_KEY_VAULT)")
    p.add_argument("--application-insights", metavar="ARM_ID",
                   help="Application Insights id (env AZUREML_APPLICATION_INSIGHTS)")
    p.add_argument("--container-registry", metavar="ARM_ID",
                   help="container registry id, optional (env AZUREML_CONTAINER_REGISTRY)")
    p.add_argument("--experiment", default="my-first-experiment", help="default my-first-experiment")
    p.add_argument("--compute-name", default="cpu-compute", help="default cpu-compute (the article's Target)")
    p.add_argument("--lro-delay", type=float, default=0.3, metavar="SECONDS",
                   help="embedded emulator: seconds a long-running operation takes (default 0.3)")
    p.add_argument("--keep", action="store_true", help="skip the delete steps (leave the resources)")
