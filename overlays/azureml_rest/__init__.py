"""azureml-rest: typed REST clients for Azure Machine Learning.

The public API is ``__all__``: the facade (``AzureML``, ``AsyncAzureML``), its handles, pollers, pagers,
credentials, clouds, configuration and errors. Plumbing stays in the submodule that defines it and is imported
from there: ``azureml_rest.pipeline.build_client`` / ``build_async_client`` / ``attach`` (httpx clients with
auth, retries and timeouts), ``azureml_rest.transport.RetryTransport``, ``azureml_rest.auth.BearerTokenAuth`` /
``KeyAuth``, ``azureml_rest.retry.is_retry_safe``.

Public names are imported lazily (module ``__getattr__``), so ``import azureml_rest`` loads neither httpx nor
the generated clients until a name that needs them is used.
"""

from ._lazy import lazy_exports
from ._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing alone costs more than the rest of this module.
TYPE_CHECKING = False

#: The public API, the one hand-written list: name -> submodule that defines it. ``__all__`` is derived from it,
#: and the TYPE_CHECKING imports at the end of this file are written from it by ``python -m tools.public_api``
#: (the gate fails when they are stale). Adding a name here is adding it to the public API: document it
#: (README's "The Python API", docs/api/) in the same change.
_EXPORTS: dict[str, str] = {
    # the facade and its handles
    # defined in _sync/_async (one source, tools/unasync.py); azureml_rest.client re-exports both. Mapped to where
    # they are defined so that `from azureml_rest import AzureML` does not import the async facade too.
    "AzureML": "_sync.client",
    "AsyncAzureML": "_async.client",
    "Workspace": "workspace",
    "AsyncWorkspace": "workspace",
    "RunOperations": "runs",
    "AsyncRunOperations": "runs",
    "ScoringClient": "operations.scoring",
    "AsyncScoringClient": "operations.scoring",
    "AuthKeys": "operations.services",
    "AuthToken": "operations.services",
    # long-running operations and paging
    "Poller": "lro",
    "AsyncPoller": "lro",
    "Pager": "paging",
    "AsyncPager": "paging",
    "Page": "paging",
    # jobs of the current API: their inputs and outputs
    "Input": "job_spec",
    "Output": "job_spec",
    # runs: definitions and progress
    "build_definition": "definition",
    "progress_printer": "runs",
    # credentials
    "AccessToken": "credentials",
    "ServicePrincipalCredential": "credentials",
    "AsyncServicePrincipalCredential": "credentials",
    "EnvironmentCredential": "credentials",
    "credential_from_env": "credentials",
    "subscription_id_from_env": "credentials",
    # clouds
    "Cloud": "clouds",
    "get_cloud": "clouds",
    "AZURE_PUBLIC_CLOUD": "clouds",
    "AZURE_CHINA_CLOUD": "clouds",
    "AZURE_US_GOVERNMENT": "clouds",
    # configuration
    "HttpConfig": "config",
    "HttpEvent": "config",
    "RetryPolicy": "retry",
    # errors
    "DiscoveryError": "errors",
    "RunFailedError": "errors",
    "SnapshotError": "errors",
    "SnapshotTooLargeError": "errors",
    "ScriptNotFoundError": "errors",
    "DefinitionError": "errors",
    "ConnectionFailedError": "errors",
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
    "JobFailedError": "errors",
    "BlobError": "errors",
    "BlobNotFoundError": "errors",
    "UntrustedScoringHostError": "errors",
    "YamlSpecError": "errors",
    "error_from_response": "errors",
}

__all__ = ["__version__", *_EXPORTS]


__getattr__, __dir__ = lazy_exports(__name__, {name: f".{module}" for name, module in _EXPORTS.items()},
                                   submodules=True)


# --- written by `python -m tools.public_api` from _EXPORTS (do not edit below this line) ---
if TYPE_CHECKING:
    from ._async.client import AsyncAzureML as AsyncAzureML
    from ._sync.client import AzureML as AzureML
    from .clouds import AZURE_CHINA_CLOUD as AZURE_CHINA_CLOUD
    from .clouds import AZURE_PUBLIC_CLOUD as AZURE_PUBLIC_CLOUD
    from .clouds import AZURE_US_GOVERNMENT as AZURE_US_GOVERNMENT
    from .clouds import Cloud as Cloud
    from .clouds import get_cloud as get_cloud
    from .config import HttpConfig as HttpConfig
    from .config import HttpEvent as HttpEvent
    from .credentials import AccessToken as AccessToken
    from .credentials import AsyncServicePrincipalCredential as AsyncServicePrincipalCredential
    from .credentials import EnvironmentCredential as EnvironmentCredential
    from .credentials import ServicePrincipalCredential as ServicePrincipalCredential
    from .credentials import credential_from_env as credential_from_env
    from .credentials import subscription_id_from_env as subscription_id_from_env
    from .definition import build_definition as build_definition
    from .errors import AuthenticationError as AuthenticationError
    from .errors import AzureMLError as AzureMLError
    from .errors import BadRequestError as BadRequestError
    from .errors import BlobError as BlobError
    from .errors import BlobNotFoundError as BlobNotFoundError
    from .errors import ConflictError as ConflictError
    from .errors import ConnectionFailedError as ConnectionFailedError
    from .errors import CredentialError as CredentialError
    from .errors import DefinitionError as DefinitionError
    from .errors import DiscoveryError as DiscoveryError
    from .errors import InsecureTransportError as InsecureTransportError
    from .errors import InvalidResponseError as InvalidResponseError
    from .errors import JobFailedError as JobFailedError
    from .errors import NotFoundError as NotFoundError
    from .errors import OperationFailedError as OperationFailedError
    from .errors import OperationTimeoutError as OperationTimeoutError
    from .errors import PermissionDeniedError as PermissionDeniedError
    from .errors import RunFailedError as RunFailedError
    from .errors import ScriptNotFoundError as ScriptNotFoundError
    from .errors import ServerError as ServerError
    from .errors import ServiceError as ServiceError
    from .errors import SnapshotError as SnapshotError
    from .errors import SnapshotTooLargeError as SnapshotTooLargeError
    from .errors import ThrottledError as ThrottledError
    from .errors import UntrustedHostError as UntrustedHostError
    from .errors import UntrustedScoringHostError as UntrustedScoringHostError
    from .errors import YamlSpecError as YamlSpecError
    from .errors import error_from_response as error_from_response
    from .job_spec import Input as Input
    from .job_spec import Output as Output
    from .lro import AsyncPoller as AsyncPoller
    from .lro import Poller as Poller
    from .operations.scoring import AsyncScoringClient as AsyncScoringClient
    from .operations.scoring import ScoringClient as ScoringClient
    from .operations.services import AuthKeys as AuthKeys
    from .operations.services import AuthToken as AuthToken
    from .paging import AsyncPager as AsyncPager
    from .paging import Page as Page
    from .paging import Pager as Pager
    from .retry import RetryPolicy as RetryPolicy
    from .runs import AsyncRunOperations as AsyncRunOperations
    from .runs import RunOperations as RunOperations
    from .runs import progress_printer as progress_printer
    from .workspace import AsyncWorkspace as AsyncWorkspace
    from .workspace import Workspace as Workspace
