"""azureml-rest: typed REST clients for Azure Machine Learning.

Public names are imported lazily (module ``__getattr__``), so ``import azureml_rest`` loads neither httpx nor
the generated clients until a name that needs them is used.
"""

from ._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing alone costs more than the rest of this module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # facade, handles, long-running operations, paging (overlay-routing)
    "AzureML": "client",
    "AsyncAzureML": "client",
    "Workspace": "workspace",
    "AsyncWorkspace": "workspace",
    "Poller": "lro",
    "AsyncPoller": "lro",
    "Pager": "paging",
    "AsyncPager": "paging",
    "Page": "paging",
    "DiscoveryError": "errors",
    "ScoringClient": "operations.scoring",
    "AsyncScoringClient": "operations.scoring",
    "AuthKeys": "operations.services",
    "AuthToken": "operations.services",
    # run submission and monitoring (overlay-runs)
    "RunOperations": "runs",
    "AsyncRunOperations": "runs",
    "RunFailedError": "runs",
    "progress_printer": "runs",
    "SnapshotError": "snapshot",
    "SnapshotTooLargeError": "snapshot",
    "ScriptNotFoundError": "snapshot",
    "DefinitionError": "definition",
    "build_definition": "definition",
    # clouds
    "Cloud": "clouds",
    "get_cloud": "clouds",
    "AZURE_PUBLIC_CLOUD": "clouds",
    "AZURE_CHINA_CLOUD": "clouds",
    "AZURE_US_GOVERNMENT": "clouds",
    # credentials
    "AccessToken": "credentials",
    "ServicePrincipalCredential": "credentials",
    "AsyncServicePrincipalCredential": "credentials",
    "EnvironmentCredential": "credentials",
    "credential_from_env": "credentials",
    "subscription_id_from_env": "credentials",
    # auth
    "BearerTokenAuth": "auth",
    "KeyAuth": "auth",
    # retries and transport
    "RetryPolicy": "retry",
    "is_retry_safe": "retry",
    "RetryTransport": "transport",
    "AsyncRetryTransport": "transport",
    "ConnectionFailedError": "errors",
    # http clients
    "HttpConfig": "config",
    "HttpEvent": "config",
    "build_client": "pipeline",
    "build_async_client": "pipeline",
    "attach": "pipeline",
    # errors
    "AzureMLError": "errors",
    "ServiceError": "errors",
    "BadRequestError": "errors",
    "AuthenticationError": "errors",
    "PermissionDeniedError": "errors",
    "NotFoundError": "errors",
    "ConflictError": "errors",
    "ThrottledError": "errors",
    "ServerError": "errors",
    "InvalidResponseError": "errors",
    "CredentialError": "errors",
    "InsecureTransportError": "errors",
    "UntrustedHostError": "errors",
    "OperationFailedError": "errors",
    "OperationTimeoutError": "errors",
    "error_from_response": "errors",
}

__all__ = [
    "AZURE_CHINA_CLOUD",
    "AZURE_PUBLIC_CLOUD",
    "AZURE_US_GOVERNMENT",
    "AccessToken",
    "AsyncAzureML",
    "AsyncPager",
    "AsyncPoller",
    "AsyncRetryTransport",
    "AsyncRunOperations",
    "AsyncScoringClient",
    "AsyncServicePrincipalCredential",
    "AsyncWorkspace",
    "AuthKeys",
    "AuthToken",
    "AuthenticationError",
    "AzureML",
    "AzureMLError",
    "BadRequestError",
    "BearerTokenAuth",
    "Cloud",
    "ConflictError",
    "ConnectionFailedError",
    "CredentialError",
    "DefinitionError",
    "DiscoveryError",
    "EnvironmentCredential",
    "HttpConfig",
    "HttpEvent",
    "InsecureTransportError",
    "InvalidResponseError",
    "KeyAuth",
    "NotFoundError",
    "OperationFailedError",
    "OperationTimeoutError",
    "Page",
    "Pager",
    "PermissionDeniedError",
    "Poller",
    "RetryPolicy",
    "RetryTransport",
    "RunFailedError",
    "RunOperations",
    "ScoringClient",
    "ScriptNotFoundError",
    "ServerError",
    "ServiceError",
    "ServicePrincipalCredential",
    "SnapshotError",
    "SnapshotTooLargeError",
    "ThrottledError",
    "UntrustedHostError",
    "Workspace",
    "__version__",
    "attach",
    "build_async_client",
    "build_client",
    "build_definition",
    "credential_from_env",
    "error_from_response",
    "get_cloud",
    "is_retry_safe",
    "progress_printer",
    "subscription_id_from_env",
]


_SUBMODULES = frozenset(
    {
        "auth",
        "clouds",
        "credentials",
        "errors",
        "config",
        "pipeline",
        "retry",
        "transport",
        "client",
        "workspace",
        "lro",
        "paging",
        "routing",
        "operations",
        "runs",
        "snapshot",
        "definition",
    }
)


def __getattr__(name: str) -> "Any":
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'azureml_rest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from .auth import BearerTokenAuth, KeyAuth
    from .client import AsyncAzureML, AzureML
    from .clouds import AZURE_CHINA_CLOUD, AZURE_PUBLIC_CLOUD, AZURE_US_GOVERNMENT, Cloud, get_cloud
    from .credentials import (
        AccessToken,
        AsyncServicePrincipalCredential,
        EnvironmentCredential,
        ServicePrincipalCredential,
        credential_from_env,
        subscription_id_from_env,
    )
    from .definition import DefinitionError, build_definition
    from .errors import (
        AuthenticationError,
        AzureMLError,
        BadRequestError,
        ConflictError,
        ConnectionFailedError,
        CredentialError,
        DiscoveryError,
        InsecureTransportError,
        InvalidResponseError,
        NotFoundError,
        OperationFailedError,
        OperationTimeoutError,
        PermissionDeniedError,
        ServerError,
        ServiceError,
        ThrottledError,
        UntrustedHostError,
        error_from_response,
    )
    from .config import HttpConfig, HttpEvent
    from .pipeline import attach, build_async_client, build_client
    from .lro import AsyncPoller, Poller
    from .operations.scoring import AsyncScoringClient, ScoringClient
    from .operations.services import AuthKeys, AuthToken
    from .paging import AsyncPager, Page, Pager
    from .retry import RetryPolicy, is_retry_safe
    from .runs import AsyncRunOperations, RunFailedError, RunOperations, progress_printer
    from .snapshot import ScriptNotFoundError, SnapshotError, SnapshotTooLargeError
    from .transport import AsyncRetryTransport, RetryTransport
    from .workspace import AsyncWorkspace, Workspace
