"""Credentials: Azure AD service principals (client secret), from arguments or the environment.

Any object with azure-core's ``get_token(*scopes) -> (token, expires_on)`` (e.g. azure-identity's
``ClientSecretCredential`` or ``DefaultAzureCredential``) can be used wherever these are, and these can be
used where azure-core credentials are expected.
"""

from ._token import DEFAULT_REFRESH_WINDOW, AccessToken, AsyncTokenCache, TokenCache, refresh_due_at
from .environment import ENV_VARS, EnvironmentCredential, credential_from_env, subscription_id_from_env
from .service_principal import AsyncServicePrincipalCredential, ServicePrincipalCredential

__all__ = [
    "DEFAULT_REFRESH_WINDOW",
    "ENV_VARS",
    "AccessToken",
    "AsyncServicePrincipalCredential",
    "AsyncTokenCache",
    "EnvironmentCredential",
    "ServicePrincipalCredential",
    "TokenCache",
    "credential_from_env",
    "refresh_due_at",
    "subscription_id_from_env",
]
