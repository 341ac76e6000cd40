"""Service-principal (client secret) credentials, sync and async, for the v1 and v2 token endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import httpx

from ..clouds import AZURE_PUBLIC_CLOUD, Cloud, get_cloud
from ..config import HttpConfig
from ..errors import CredentialError
from ..pipeline import build_async_client, build_client
from ._aad import (
    TOKEN_RETRY_POLICY,
    check_authority,
    normalize_authority,
    normalize_scopes,
    parse_token_response,
    token_request,
)
from ._token import DEFAULT_REFRESH_WINDOW, AccessToken, AsyncTokenCache, TokenCache

__all__ = ["AsyncServicePrincipalCredential", "ServicePrincipalCredential"]


class _Secret:
    """Holds a secret so that neither repr nor ``vars()`` of the credential shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


class _Base:
    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        *,
        cloud: Cloud | str = AZURE_PUBLIC_CLOUD,
        authority_host: str | None = None,
        token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
        refresh_window: float = DEFAULT_REFRESH_WINDOW,
        http_config: HttpConfig | None = None,
    ) -> None:
        if not tenant_id or not client_id:
            raise CredentialError("tenant_id and client_id are required")
        if not client_secret:
            raise CredentialError("client_secret is empty")
        if token_version not in ("v1", "v2"):
            raise ValueError("token_version must be 'v1' or 'v2'")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._secret = _Secret(client_secret)
        self.cloud = get_cloud(cloud)
        self.authority_host = normalize_authority(authority_host or self.cloud.authority_host)
        check_authority(self.authority_host)
        self.token_version: Literal["v1", "v2"] = token_version
        self._refresh_window = refresh_window
        self._http_config = http_config

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(tenant_id={self.tenant_id!r}, client_id={self.client_id!r}, "
            f"client_secret=<redacted>)"
        )

    __str__ = __repr__

    def _config(self) -> HttpConfig:
        if self._http_config is None:
            return HttpConfig(retry=TOKEN_RETRY_POLICY)
        # Keep the caller's timeouts, TLS and proxy settings; token POSTs are always retry-safe.
        cfg = self._http_config
        return dataclasses.replace(cfg, retry=dataclasses.replace(cfg.retry, retry_safe=TOKEN_RETRY_POLICY.retry_safe))


class ServicePrincipalCredential(_Base):
    """Client-secret credential for Azure AD (sync), compatible with azure-core's ``TokenCredential``.

    ``token_version="v2"`` (default) posts ``scope=<audience>/.default`` to ``{authority}/{tenant}/oauth2/v2.0/token``;
    ``"v1"`` posts the REST article's ``resource=<audience>`` to ``{authority}/{tenant}/oauth2/token``.
    ``authority_host`` overrides the cloud's (plain http is refused except to loopback hosts).

    Tokens are cached per scope and refreshed ``refresh_window`` seconds (default 300) before ``expires_on``; a
    token living less than twice that is refreshed once less than half its lifetime remains. However many
    threads ask at once, one token request per scope is in flight. ``transport`` replaces the network (tests).
    """

    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        *,
        cloud: Cloud | str = AZURE_PUBLIC_CLOUD,
        authority_host: str | None = None,
        token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
        refresh_window: float = DEFAULT_REFRESH_WINDOW,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            tenant_id,
            client_id,
            client_secret,
            cloud=cloud,
            authority_host=authority_host,
            token_version=token_version,
            refresh_window=refresh_window,
            http_config=http_config,
        )
        self._cache = TokenCache(refresh_window=refresh_window)
        self._transport = transport
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = build_client(self.authority_host, config=self._config(), transport=self._transport)
        return self._client

    def _fetch(self, key: str) -> AccessToken:
        url, form = token_request(
            self.authority_host, self.tenant_id, self.token_version, self.client_id, self._secret.reveal(), key
        )
        try:
            response = self._http().post(url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            cause = getattr(exc, 'cause', type(exc).__name__)  # ConnectionFailedError names the httpx error
            raise CredentialError(f"token request to {self.authority_host} failed: {cause}") from exc
        return parse_token_response(response, self._secret.reveal())

    def get_token(
        self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, **kwargs: Any
    ) -> AccessToken:
        """A token for ``scopes`` (azure-core protocol). ``claims`` / ``tenant_id`` are not supported."""
        if claims:
            raise CredentialError("claims challenges are not supported by ServicePrincipalCredential")
        if tenant_id and tenant_id != self.tenant_id:
            raise CredentialError("this credential serves only its own tenant")
        key = normalize_scopes(scopes, self.token_version)
        return self._cache.get(key, lambda: self._fetch(key))

    def cached_token(self, *scopes: str) -> AccessToken | None:
        """The cached token for ``scopes`` if it needs no refresh now, else None (no request, no waiting)."""
        return self._cache.peek(normalize_scopes(scopes, self.token_version))

    def invalidate(self, *scopes: str, token: str | None = None) -> None:
        """Forget the cached token for ``scopes`` (all tokens if none given); with ``token``, only if it is
        still the cached one (the token a service refused)."""
        self._cache.invalidate(normalize_scopes(scopes, self.token_version) if scopes else None, token=token)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> ServicePrincipalCredential:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncServicePrincipalCredential(_Base):
    """The async twin of :class:`ServicePrincipalCredential` (``async get_token``; one refresh in flight per
    scope however many coroutines wait, via asyncio.Lock). Same defaults."""

    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        *,
        cloud: Cloud | str = AZURE_PUBLIC_CLOUD,
        authority_host: str | None = None,
        token_version: Literal["v1", "v2"] = "v2",  # noqa: S107
        refresh_window: float = DEFAULT_REFRESH_WINDOW,
        http_config: HttpConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            tenant_id,
            client_id,
            client_secret,
            cloud=cloud,
            authority_host=authority_host,
            token_version=token_version,
            refresh_window=refresh_window,
            http_config=http_config,
        )
        self._cache = AsyncTokenCache(refresh_window=refresh_window)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = build_async_client(self.authority_host, config=self._config(), transport=self._transport)
        return self._client

    async def _fetch(self, key: str) -> AccessToken:
        url, form = token_request(
            self.authority_host, self.tenant_id, self.token_version, self.client_id, self._secret.reveal(), key
        )
        try:
            response = await self._http().post(url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            cause = getattr(exc, 'cause', type(exc).__name__)  # ConnectionFailedError names the httpx error
            raise CredentialError(f"token request to {self.authority_host} failed: {cause}") from exc
        return parse_token_response(response, self._secret.reveal())

    async def get_token(
        self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, **kwargs: Any
    ) -> AccessToken:
        """A token for ``scopes`` (azure-core async protocol)."""
        if claims:
            raise CredentialError("claims challenges are not supported by AsyncServicePrincipalCredential")
        if tenant_id and tenant_id != self.tenant_id:
            raise CredentialError("this credential serves only its own tenant")
        key = normalize_scopes(scopes, self.token_version)
        return await self._cache.get(key, lambda: self._fetch(key))

    def cached_token(self, *scopes: str) -> AccessToken | None:
        """The cached token for ``scopes`` if it needs no refresh now, else None (no request, no waiting)."""
        return self._cache.peek(normalize_scopes(scopes, self.token_version))

    def invalidate(self, *scopes: str, token: str | None = None) -> None:
        """Forget the cached token for ``scopes`` (all tokens if none given); with ``token``, only if it is
        still the cached one (the token a service refused)."""
        self._cache.invalidate(normalize_scopes(scopes, self.token_version) if scopes else None, token=token)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> AsyncServicePrincipalCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
