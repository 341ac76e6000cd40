"""The storage accounts the blob store serves, and their keys.

- ``devstoreaccount1`` with Azurite's well-known key (published by Microsoft for its storage emulators), so
  connection strings written for Azurite work unchanged.
- Every account a workspace names in ``properties.storageAccount`` (the last segment of that ARM id). Its key
  is derived from the emulator's token-signing key (HMAC, 64 bytes, Base64 like a real account key): stable
  for one emulator and, with ``--data-dir``, across restarts (the signing key is persisted there). Nothing is
  stored; :func:`account_key` and ``GET /_emulator/storage/accounts`` hand the keys out (the v2 datastore
  ``listSecrets`` does the same).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..context import Context

DEV_ACCOUNT = "devstoreaccount1"
# Microsoft's published development-storage key (Azurite README, "Default storage account").
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
WORKSPACE_KINDS = ("workspaces",)  # store kinds whose documents carry properties.storageAccount
# Storage account names are 3-24 lower-case letters and digits; workspaces in tests sometimes use '-' too.
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def account_of_resource_id(resource_id: object) -> str | None:
    """The account name at the end of a ``.../Microsoft.Storage/storageAccounts/{name}`` id, or None."""
    if not isinstance(resource_id, str):
        return None
    parts = [p for p in resource_id.split("/") if p]
    if len(parts) < 2 or parts[-2].lower() != "storageaccounts":
        return None
    name = parts[-1].lower()
    return name if _NAME.match(name) else None


def _workspace_accounts(docs: Iterable[Mapping[str, Any]]) -> list[str]:
    found: list[str] = []
    for doc in docs:
        props = doc.get("properties")
        name = account_of_resource_id(props.get("storageAccount")) if isinstance(props, Mapping) else None
        if name is not None and name not in found:
            found.append(name)
    return found


def account_names(ctx: Context) -> list[str]:
    """Every account served: the development account first, then the workspaces' accounts."""
    names = [DEV_ACCOUNT]
    for kind in WORKSPACE_KINDS:
        names += [n for n in _workspace_accounts(ctx.store.scan(kind)) if n not in names]
    return names


def is_account(ctx: Context, name: str) -> bool:
    """True when ``name`` (any case) is an account this emulator serves."""
    low = name.lower()
    if low == DEV_ACCOUNT:
        return True
    if not _NAME.match(low):
        return False
    return any(low in _workspace_accounts(ctx.store.scan(kind)) for kind in WORKSPACE_KINDS)


def account_key(ctx: Context, name: str) -> str:
    """The Base64 account key of ``name`` (served or not: the derivation does not need the account)."""
    low = name.lower()
    if low == DEV_ACCOUNT:
        return DEV_KEY
    raw = ctx.signer.derive("blobstore-account-key:1:" + low) + ctx.signer.derive("blobstore-account-key:2:" + low)
    return base64.b64encode(raw).decode("ascii")


def key_bytes(ctx: Context, name: str) -> bytes:
    """The decoded account key (what HMAC signatures are computed with)."""
    return base64.b64decode(account_key(ctx, name))
