"""``GET /metadata/endpoints``: ARM's cloud metadata document, naming the emulator as one cloud.

Real ARM serves ``https://management.azure.com/metadata/endpoints?api-version=2019-05-01`` (no auth): a list
of clouds, each with its login endpoint, token audiences, ``resourceManager`` and suffixes. Microsoft's
clients read it to work in a cloud they do not know: azureml-core loads it from ``$ARM_CLOUD_METADATA_URL``
(azureml/_vendor/azure_cli_core/cloud.py ``get_known_clouds``, ``_arm_to_cli_mapper``) and picks the cloud
named by ``$AZUREML_CURRENT_CLOUD`` (azureml/_vendor/azure_cli_core/azureml_cloud.py
``_Clouds.get_cloud_or_default``). ``resourceManager`` ends in ``/`` as AzureCloud's does, so a client that
appends ``/subscriptions/...`` sends ``//subscriptions/...`` exactly as it does against Azure.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .context import Context

CLOUD_NAME = "AzureMLEmulator"


def document(base_url: str) -> list[dict[str, object]]:
    """The metadata list (one cloud) for an emulator at ``base_url``."""
    base = base_url.rstrip("/")
    host = base.split("://", 1)[-1]
    return [
        {
            "name": CLOUD_NAME,
            "portal": base,
            "resourceManager": base + "/",
            "authentication": {
                "loginEndpoint": base,
                "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                "tenant": "common",
                "identityProvider": "AAD",
            },
            "graphAudience": "https://graph.windows.net/",
            "graph": "https://graph.windows.net/",
            "gallery": base + "/",
            "batch": "https://batch.core.windows.net/",
            "media": "https://rest.media.azure.net",
            "sqlManagement": "https://management.core.windows.net:8443/",
            "vmImageAliasDoc": base + "/",
            "activeDirectoryDataLake": "https://datalake.azure.net/",
            "suffixes": {
                "storage": f"core.{host}",
                "keyVaultDns": "vault.azure.net",
                "sqlServerHostname": "database.windows.net",
                "acrLoginServer": "azurecr.io",
                "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
                "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            },
        }
    ]


def routes(ctx: Context) -> list[BaseRoute]:
    """The metadata route (no authentication, like ARM's)."""

    async def endpoints(request: Request) -> Response:
        ctx.counters["cloud-metadata"] += 1
        return JSONResponse(document(ctx.base_url))

    return [Route("/metadata/endpoints", endpoints, methods=["GET"])]
