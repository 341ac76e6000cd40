"""Credentials: Azure AD service principals (client secret), from arguments or the environment.

Any object with azure-core's ``get_token(*scopes) -> (token, expires_on)`` (e.g. azure-identity's
``ClientSecretCredential`` or ``DefaultAzureCredential``) can be used wherever these are, and these can be
used where azure-core credentials are expected.

Names are loaded on first use, so a sync caller never imports the async credential, nor the environment's.
"""

from .._lazy import lazy_exports

TYPE_CHECKING = False

#: name -> the module that defines it (relative to this package).
_EXPORTS: dict[str, str] = {
    "DEFAULT_REFRESH_WINDOW": "._token",
    "AccessToken": "._token",
    "AsyncTokenCache": "._token",
    "TokenCache": "._token",
    "refresh_due_at": "._token",
    "ENV_VARS": ".environment",
    "EnvironmentCredential": ".environment",
    "credential_from_env": ".environment",
    "subscription_id_from_env": ".environment",
    "ServicePrincipalCredential": ".._sync.credential",
    "AsyncServicePrincipalCredential": ".._async.credential",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .._async.credential import AsyncServicePrincipalCredential as AsyncServicePrincipalCredential
    from .._sync.credential import ServicePrincipalCredential as ServicePrincipalCredential
    from ._token import DEFAULT_REFRESH_WINDOW as DEFAULT_REFRESH_WINDOW
    from ._token import AccessToken as AccessToken
    from ._token import AsyncTokenCache as AsyncTokenCache
    from ._token import TokenCache as TokenCache
    from ._token import refresh_due_at as refresh_due_at
    from .environment import ENV_VARS as ENV_VARS
    from .environment import EnvironmentCredential as EnvironmentCredential
    from .environment import credential_from_env as credential_from_env
    from .environment import subscription_id_from_env as subscription_id_from_env
