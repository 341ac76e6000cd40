"""Keys and tokens the service operations return, in classes whose repr never shows them (the generated models'
reprs mask them too, but these are what users hold). One definition for the sync and async operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from azureml_modelmanagement_client.models import AuthToken as _GenAuthToken

from ._common import text

__all__ = ["AuthKeys", "AuthToken", "keys_from", "token_from"]


@dataclass(frozen=True)
class AuthKeys:
    """A service's scoring keys (``listkeys`` / ``regenerateKeys``); the repr hides them."""

    primary_key: str | None = field(repr=False)
    secondary_key: str | None = field(repr=False)

    def __repr__(self) -> str:
        return "AuthKeys(primary_key=<redacted>, secondary_key=<redacted>)"


@dataclass(frozen=True)
class AuthToken:
    """A scoring token (``token`` operation, AKS token auth); the repr hides the token."""

    access_token: str | None = field(repr=False)
    token_type: str | None = None
    expiry_on: int | None = None
    refresh_after: int | None = None

    def __repr__(self) -> str:
        return f"AuthToken(access_token=<redacted>, token_type={self.token_type!r}, expiry_on={self.expiry_on!r})"


class _GenKeys(Protocol):
    """A generated keys model: modelmanagement's ``AuthKeys``, machinelearning's ``EndpointAuthKeys``."""

    @property
    def primary_key(self) -> object: ...

    @property
    def secondary_key(self) -> object: ...


def keys_from(gen: _GenKeys) -> AuthKeys:
    """:class:`AuthKeys` from a generated keys model (v1 services' ``AuthKeys``, online endpoints'
    ``EndpointAuthKeys``)."""
    return AuthKeys(text(gen.primary_key), text(gen.secondary_key))


def token_from(gen: _GenAuthToken) -> AuthToken:
    """:class:`AuthToken` from the generated model."""
    expiry = gen.expiry_on if isinstance(gen.expiry_on, int) else None
    refresh = gen.refresh_after if isinstance(gen.refresh_after, int) else None
    return AuthToken(text(gen.access_token), text(gen.token_type), expiry, refresh)
