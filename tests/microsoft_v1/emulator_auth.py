"""A small ``AbstractAuthentication`` for azureml-core that takes its tokens from the emulator.

azureml-core's own ``ServicePrincipalAuthentication`` asks Azure AD's instance discovery first (MSAL's
``https://login.microsoftonline.com/common/discovery/instance``), which an offline emulator cannot answer; this
class asks the emulator's v1 token endpoint (``POST /{tenant}/oauth2/token``, client credentials) instead, once
per resource, and hands azureml-core what every authentication class of it offers (azureml/core/authentication.py
``AbstractAuthentication``: ``_get_arm_token``, ``_get_azureml_client_token``, ``_get_graph_token``,
``_get_all_subscription_ids``, ``_get_workspace``). Nothing of the SDK is patched. The secret stays out of repr.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from azureml.core.authentication import AbstractAuthentication, _SubscriptionInfo

ARM_RESOURCE = "https://management.azure.com/"
AML_RESOURCE = "https://ml.azure.com"
GRAPH_RESOURCE = "https://graph.windows.net/"


class EmulatorAuthentication(AbstractAuthentication):  # type: ignore[misc]
    """Client-credential tokens from the emulator at ``base_url`` (trusting ``ca_file``)."""

    def __init__(self, base_url: str, ca_file: str, *, tenant_id: str, client_id: str, client_secret: str,
                 subscription_id: str, cloud: str | None = None) -> None:
        super().__init__(cloud=cloud)
        self._base_url = base_url.rstrip("/")
        self._ca_file = ca_file
        self._tenant_id = tenant_id
        self._client_id = client_id
        self._client_secret = client_secret
        self._subscription_id = subscription_id
        self._tokens: dict[str, tuple[str, float]] = {}

    def __repr__(self) -> str:
        return f"EmulatorAuthentication(base_url={self._base_url!r}, client_id={self._client_id!r})"

    def _token(self, resource: str) -> str:
        cached = self._tokens.get(resource)
        if cached is not None and cached[1] - time.time() > 300:
            return cached[0]
        response = requests.post(
            f"{self._base_url}/{self._tenant_id}/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": self._client_id,
                  "client_secret": self._client_secret, "resource": resource},
            verify=self._ca_file, timeout=30,
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        token = str(body["access_token"])
        self._tokens[resource] = (token, float(body["expires_on"]))
        return token

    def _get_arm_token(self) -> str:
        return self._token(ARM_RESOURCE)

    def _get_azureml_client_token(self) -> str:
        return self._token(AML_RESOURCE)

    def _get_graph_token(self) -> str:
        return self._token(GRAPH_RESOURCE)

    def _get_all_subscription_ids(self) -> tuple[list[Any], str]:
        return [_SubscriptionInfo("emulator", self._subscription_id)], self._tenant_id

    def _get_workspace(self, subscription_id: str, resource_group: str, name: str) -> None:
        return None  # ask ARM, like a service principal does
