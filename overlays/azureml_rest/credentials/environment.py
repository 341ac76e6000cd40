"""Credentials from the environment variables azure-identity also reads."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, overload

import httpx

from .._sync.credential import ServicePrincipalCredential
from ..clouds import AZURE_PUBLIC_CLOUD, Cloud
from ..config import HttpConfig
from ..errors import CredentialError

if TYPE_CHECKING:
    from .._async.credential import AsyncServicePrincipalCredential

__all__ = ["ENV_VARS", "EnvironmentCredential", "credential_from_env", "subscription_id_from_env"]

#: Read by :func:`credential_from_env`; ``AZURE_AUTHORITY_HOST`` is optional (defaults to the cloud's).
ENV_VARS = ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_AUTHORITY_HOST")


def subscription_id_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """``AZURE_SUBSCRIPTION_ID`` if set and non-empty (for callers building ARM paths)."""
    env = os.environ if environ is None else environ
    return env.get("AZURE_SUBSCRIPTION_ID") or None


def _read(env: Mapping[str, str]) -> tuple[str, str, str, str | None]:
    missing = [n for n in ENV_VARS[:3] if not env.get(n)]
    if missing:
        # Names only: never echo values.
        raise CredentialError(f"environment credential is missing {', '.join(missing)}")
    return (
        env["AZURE_TENANT_ID"],
        env["AZURE_CLIENT_ID"],
        env["AZURE_CLIENT_SECRET"],
        env.get("AZURE_AUTHORITY_HOST") or None,
    )


class EnvironmentCredential(ServicePrincipalCredential):
    """A :class:`ServicePrincipalCredential` from ``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID``,
    ``AZURE_CLIENT_SECRET`` and optional ``AZURE_AUTHORITY_HOST``; ``subscription_id`` holds
    ``AZURE_SUBSCRIPTION_ID`` (or None). Raises :class:`CredentialError` naming any missing variable."""

    def __init__(
        self,
        *,
        cloud: Cloud | str = AZURE_PUBLIC_CLOUD,
        token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
        environ: Mapping[str, str] | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        tenant, client, secret, authority = _read(env)
        super().__init__(
            tenant,
            client,
            secret,
            cloud=cloud,
            authority_host=authority,
            token_version=token_version,
            http_config=http_config,
            transport=transport,
        )
        self.subscription_id = subscription_id_from_env(env)


@overload
def credential_from_env(
    *,
    async_: Literal[False] = ...,
    cloud: Cloud | str = ...,
    token_version: Literal["v1", "v2"] = ...,
    environ: Mapping[str, str] | None = ...,
) -> ServicePrincipalCredential: ...


@overload
def credential_from_env(
    *,
    async_: Literal[True],
    cloud: Cloud | str = ...,
    token_version: Literal["v1", "v2"] = ...,
    environ: Mapping[str, str] | None = ...,
) -> AsyncServicePrincipalCredential: ...


def credential_from_env(
    *,
    async_: bool = False,
    cloud: Cloud | str = AZURE_PUBLIC_CLOUD,
    token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
    environ: Mapping[str, str] | None = None,
) -> ServicePrincipalCredential | AsyncServicePrincipalCredential:
    """A sync (default) or async service-principal credential from the environment variables in :data:`ENV_VARS`."""
    env = os.environ if environ is None else environ
    if not async_:
        return EnvironmentCredential(cloud=cloud, token_version=token_version, environ=env)
    from .._async.credential import AsyncServicePrincipalCredential  # sync callers never load it

    tenant, client, secret, authority = _read(env)
    return AsyncServicePrincipalCredential(
        tenant, client, secret, cloud=cloud, authority_host=authority, token_version=token_version
    )
