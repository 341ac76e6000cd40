"""HMAC-SHA256 signed JWTs (``header.payload.signature``, base64url without padding).

The key is random per process; when the store is durable it is kept there, so tokens survive a restart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from .store import Store

_KEY_NAME = "token-signing-key"


class TokenError(Exception):
    """A token was refused; ``code`` is the ARM-style error code, the message never contains the token."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """Issues and verifies the emulator's access tokens."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "TokenSigner(<key hidden>)"

    @classmethod
    def from_store(cls, store: Store) -> TokenSigner:
        """The signer whose key is kept in ``store`` (created on first use)."""
        stored = store.get_meta(_KEY_NAME)
        if stored is None:
            stored = secrets.token_hex(32)
            store.set_meta(_KEY_NAME, stored)
        return cls(bytes.fromhex(stored))

    def derive(self, label: str) -> bytes:
        """A stable secret derived from the signing key (for workspace keys and the like)."""
        return hmac.new(self._key, label.encode("utf-8"), hashlib.sha256).digest()

    def issue(self, claims: dict[str, Any]) -> str:
        """A signed JWT carrying ``claims``."""
        header = {"typ": "JWT", "alg": "HS256", "kid": "azureml-emulator"}
        signing_input = (
            _b64(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64(json.dumps(claims, separators=(",", ":")).encode())
        )
        sig = hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest()
        return signing_input + "." + _b64(sig)

    def verify(self, token: str, *, now: float | None = None) -> dict[str, Any]:
        """The claims of a valid, unexpired token; raises :class:`TokenError` otherwise."""
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenError("InvalidAuthenticationToken", "The access token is not a well-formed JWT.")
        try:
            sig = _unb64(parts[2])
            payload = json.loads(_unb64(parts[1]))
            header = json.loads(_unb64(parts[0]))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise TokenError("InvalidAuthenticationToken", "The access token is not a well-formed JWT.") from None
        if not isinstance(payload, dict) or not isinstance(header, dict) or header.get("alg") != "HS256":
            raise TokenError("InvalidAuthenticationToken", "The access token is not a well-formed JWT.")
        expected = hmac.new(self._key, (parts[0] + "." + parts[1]).encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(sig, expected):
            raise TokenError(
                "InvalidAuthenticationToken",
                "The access token is invalid: its signature was not issued by this emulator.",
            )
        t = time.time() if now is None else now
        exp = payload.get("exp")
        nbf = payload.get("nbf", 0)
        if not isinstance(exp, (int, float)) or not isinstance(nbf, (int, float)):
            raise TokenError("InvalidAuthenticationToken", "The access token lacks exp or nbf claims.")
        if t >= exp:
            raise TokenError(
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.",
            )
        if t < nbf:
            raise TokenError("InvalidAuthenticationToken", "The access token is not yet valid (nbf).")
        return dict(payload)
