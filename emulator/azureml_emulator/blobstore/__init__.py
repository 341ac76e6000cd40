"""The workspace storage accounts' blob store: Blob REST on the emulator's port (path-style and
virtual-hosted), SharedKey and SAS auth, Storage's XML errors, streamed to disk, persisted with ``--data-dir``.

Modules: ``addressing`` (which requests, what target), ``accounts`` (names and keys), ``sharedkey`` / ``sas`` /
``authorize`` (auth), ``storage`` (containers, blobs, blocks on disk), ``containers`` / ``blobs`` (operations),
``httpprops`` / ``xmlshapes`` / ``errors`` / ``timeutil`` (wire shapes), ``service`` (dispatch), ``control``
(``/_emulator/storage/accounts``).

For the rest of the emulator: :func:`for_context` gives the one :class:`BlobService` of an emulator (its
``storage`` creates containers and blobs directly), :func:`account_key` and :func:`service_sas` make the
credentials a datastore's ``listSecrets``, a code ``startPendingUpload`` or a run's ``logFiles`` hand out.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from ..context import Context
from .accounts import DEV_ACCOUNT, DEV_KEY, account_key, account_names, is_account, key_bytes
from .control import account_info, routes
from .errors import StorageError
from .sas import service_sas
from .service import BlobService, mount, route_roots
from .storage import BlobStorage

__all__ = [
    "DEV_ACCOUNT",
    "DEV_KEY",
    "BlobService",
    "BlobStorage",
    "StorageError",
    "account_info",
    "account_key",
    "account_names",
    "for_context",
    "is_account",
    "key_bytes",
    "mount",
    "route_roots",
    "routes",
    "service_sas",
]

# Kept alive by the application that mounts it; all state is in ctx.store, so a re-made service is the same.
_SERVICES: weakref.WeakValueDictionary[int, BlobService] = weakref.WeakValueDictionary()


def for_context(ctx: Context, reserved: Iterable[str] | None = None) -> BlobService:
    """The blob service of the emulator that owns ``ctx``; ``reserved``: the first path segments of the
    emulator's own routes, which path-style addressing never claims (given once, when mounting)."""
    found = _SERVICES.get(id(ctx))
    if found is None or found.ctx is not ctx:
        found = _SERVICES[id(ctx)] = BlobService(ctx)
    if reserved is not None:
        found.reserved = frozenset(reserved)
    return found
