"""The per-invocation :class:`Context`: parsed options, environment fall-backs, and the library objects built
from them (credential, :class:`~azureml_rest.AzureML` facade, workspace handle) on first use.

Only the library's public API is used (``azureml_rest`` top-level names and its public submodules), imported
when a command needs it, so ``azureml-rest --help`` loads neither httpx nor the generated clients.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .errors import UsageError
from .output import Column, emit
from .progress import Progress

if TYPE_CHECKING:
    from azureml_rest import AzureML, Cloud, HttpConfig, Workspace

__all__ = ["Context", "finish"]


def _emulator_account() -> dict[str, str]:
    from azureml_rest.client import EMULATOR_ACCOUNT

    return EMULATOR_ACCOUNT


class Context:
    """Parsed arguments plus lazily built library objects (nothing touches the network until asked).

    ``out`` gets the result, ``err`` progress and errors; ``environ`` (default: a copy of ``os.environ``) is
    where options not given on the command line are looked up.
    """

    def __init__(self, args: argparse.Namespace, *, out: TextIO, err: TextIO,
                 environ: dict[str, str] | None = None) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.environ = dict(os.environ) if environ is None else environ
        self.progress = Progress(err)
        self._ml: AzureML | None = None
        self._ws: Workspace | None = None

    # -- plain settings --

    def opt(self, name: str, *env_names: str) -> str | None:
        """An option's value, else the first non-empty environment variable of ``env_names``."""
        value = getattr(self.args, name, None)
        if value not in (None, ""):
            return str(value)
        for env in env_names:
            v = self.environ.get(env)
            if v:
                return v
        return None

    @property
    def debug(self) -> bool:
        return bool(getattr(self.args, "debug", False))

    @property
    def output(self) -> str:
        return str(getattr(self.args, "output", None) or "json")

    @property
    def endpoint(self) -> str | None:
        return self.opt("endpoint", "AZUREML_ENDPOINT")

    def resource_group_or_none(self) -> str | None:
        return self.opt("resource_group", "AZUREML_RESOURCE_GROUP")

    def resource_group(self) -> str:
        rg = self.resource_group_or_none()
        if rg is None:
            raise UsageError("no resource group: pass --resource-group/-g or set AZUREML_RESOURCE_GROUP")
        return rg

    def workspace_name(self) -> str:
        ws = self.opt("workspace", "AZUREML_WORKSPACE")
        if ws is None:
            raise UsageError("no workspace: pass --workspace/-w or set AZUREML_WORKSPACE")
        return ws

    def subscription_id(self) -> str:
        sub = self.opt("subscription", "AZURE_SUBSCRIPTION_ID")
        if sub is None and self.endpoint:
            sub = _emulator_account()["subscription_id"]
        if sub is None:
            raise UsageError("no subscription: pass --subscription or set AZURE_SUBSCRIPTION_ID")
        return sub

    def cloud(self) -> Cloud:
        from azureml_rest import Cloud, get_cloud

        try:
            if self.endpoint:
                return Cloud.emulator(self.endpoint)
            return get_cloud(self.opt("cloud", "AZUREML_CLOUD") or "AzureCloud")
        except ValueError as exc:  # an unknown cloud name, or an --endpoint that is not an absolute URL
            raise UsageError(str(exc)) from None

    def http_config(self) -> HttpConfig:
        from azureml_rest import HttpConfig

        ca = self.opt("ca_file")
        if ca is not None and not os.path.exists(ca):
            raise UsageError(f"--ca-file {ca!r} does not exist")
        return HttpConfig(verify=ca) if ca else HttpConfig()

    def credential(self) -> Any:
        """A service-principal credential from the options / environment (the emulator's account with --endpoint)."""
        from azureml_rest import ServicePrincipalCredential

        tenant = self.opt("tenant_id", "AZURE_TENANT_ID")
        client = self.opt("client_id", "AZURE_CLIENT_ID")
        secret = self.opt("client_secret", "AZURE_CLIENT_SECRET")
        if self.endpoint:  # the emulator's development account fills what is not given
            account = _emulator_account()
            tenant = tenant or account["tenant_id"]
            client = client or account["client_id"]
            secret = secret or account["client_secret"]
        missing = [n for n, v in (("--tenant-id/AZURE_TENANT_ID", tenant), ("--client-id/AZURE_CLIENT_ID", client),
                                  ("--client-secret/AZURE_CLIENT_SECRET", secret)) if not v]
        if missing:
            raise UsageError(f"no credentials: missing {', '.join(missing)}")
        assert tenant and client and secret
        authority = None if self.endpoint else self.opt("authority_host", "AZURE_AUTHORITY_HOST")
        return ServicePrincipalCredential(tenant, client, secret, cloud=self.cloud(), authority_host=authority,
                                          http_config=self.http_config())

    # -- library objects --

    def ml(self) -> AzureML:
        """The :class:`~azureml_rest.AzureML` facade for this invocation (built once)."""
        if self._ml is None:
            from azureml_rest import AzureML

            self._ml = AzureML(credential=self.credential(), subscription_id=self.subscription_id(),
                               cloud=self.cloud(), http=self.http_config())
        return self._ml

    def workspace(self) -> Workspace:
        """The workspace handle named by -g/-w."""
        if self._ws is None:
            rg, name = self.resource_group(), self.workspace_name()  # usage errors before any credential work
            self._ws = self.ml().workspace(rg, name)
        return self._ws

    def close(self) -> None:
        ml, self._ml = self._ml, None
        close = getattr(ml, "close", None)
        if callable(close):
            close()

    # -- output --

    def emit(self, result: Any, columns: Sequence[Column] = ()) -> None:
        """Print ``result`` on stdout in the chosen format."""
        emit(result, self.output, columns, self.out)


def finish(ctx: Context, poller: Any, label: str, accepted: dict[str, Any]) -> Any:
    """Wait for ``poller`` with progress on stderr (unless --no-wait); the final resource, or ``accepted``."""
    if getattr(ctx.args, "no_wait", False):
        return {**accepted, "status": str(poller.status())}
    return ctx.progress.wait_poller(poller, label, getattr(ctx.args, "timeout", None))
