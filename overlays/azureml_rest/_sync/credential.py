# Generated from overlays/azureml_rest/_async/credential.py by `python -m tools.unasync`: do not edit.
"""The service-principal credential. This file is the async credential's source; the sync one is produced from it
by ``python -m tools.unasync``."""

from __future__ import annotations

from typing import Any, Literal

import httpx

from ..clouds import AZURE_PUBLIC_CLOUD, Cloud
from ..config import HttpConfig
from ..credentials._aad import normalize_scopes, parse_token_response, token_request
from ..credentials._sp_base import CredentialBase
from ..credentials._token import DEFAULT_REFRESH_WINDOW, AccessToken, TokenCache
from ..errors import CredentialError
from ..pipeline import build_client

__all__ = ["ServicePrincipalCredential"]


class ServicePrincipalCredential(CredentialBase):
    """Client-secret credential for Azure AD, compatible with azure-core's token credential protocols (sync and
    async ``get_token``).

    ``token_version="v2"`` (default) posts ``scope=<audience>/.default`` to ``{authority}/{tenant}/oauth2/v2.0/token``;
    ``"v1"`` posts the REST article's ``resource=<audience>`` to ``{authority}/{tenant}/oauth2/token``.
    ``authority_host`` overrides the cloud's (plain http is refused except to loopback hosts).

    Tokens are cached per scope and refreshed ``refresh_window`` seconds (default 300) before ``expires_on``; a
    token living less than twice that is refreshed once less than half its lifetime remains. However many
    threads (or coroutines) ask at once, one token request per scope is in flight. ``transport`` replaces the
    network (tests).
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
            raise CredentialError(f"claims challenges are not supported by {type(self).__name__}")
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
        """Close the token endpoint's connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> ServicePrincipalCredential:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
