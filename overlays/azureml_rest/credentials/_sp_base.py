"""What both service-principal credentials share: arguments, the secret holder, the token endpoint's config."""

from __future__ import annotations

import dataclasses
from typing import Literal

from ..clouds import AZURE_PUBLIC_CLOUD, Cloud, get_cloud
from ..config import HttpConfig
from ..errors import CredentialError
from ._aad import TOKEN_RETRY_POLICY, check_authority, normalize_authority
from ._token import DEFAULT_REFRESH_WINDOW

__all__ = ["CredentialBase"]


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


class CredentialBase:
    """Arguments, checks, repr and the token endpoint's HttpConfig (token POSTs are always retry-safe)."""

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
