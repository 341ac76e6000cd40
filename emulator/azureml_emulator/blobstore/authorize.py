"""Who may do what: SharedKey (everything on its account), SAS (per :data:`SAS_RULES`), anonymous (nothing).

An anonymous request is refused with 403 ``AuthorizationFailure``, as Azurite answers for a private container
(the emulator has no public containers: creating one is refused with ``PublicAccessNotPermitted``, the answer of
accounts that disallow public access, the default for new accounts). Bearer tokens are not accepted: identity-
based datastores are not emulated.

:data:`SAS_RULES` restates the permission each operation needs (Microsoft Learn, "Create a service SAS" /
"Create an account SAS", permission tables), cross-checked against Azurite 3.37: for a service SAS the
container-level operations are not allowed at all; ``c`` (create) allows writing a blob that does not exist
yet, ``w`` any write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import sas, sharedkey
from .addressing import Target
from .errors import StorageError


@dataclass(frozen=True)
class Rule:
    """Permission letters of which one is needed; ``level`` the account-SAS resource type (s/c/o)."""

    any_of: str
    level: str
    service_sas: bool = True  # False: a service SAS can never do this


SAS_RULES: dict[str, Rule] = {
    "CreateContainer": Rule("cw", "c", service_sas=False),
    "GetContainerProperties": Rule("r", "c", service_sas=False),
    "DeleteContainer": Rule("d", "c", service_sas=False),
    "ListBlobs": Rule("l", "c"),
    "PutBlob": Rule("cw", "o"),
    "PutBlock": Rule("cw", "o"),
    "PutBlockList": Rule("cw", "o"),
    "GetBlob": Rule("r", "o"),
    "GetBlobProperties": Rule("r", "o"),
    "SetBlobMetadata": Rule("w", "o"),
    "DeleteBlob": Rule("d", "o"),
}


@dataclass(frozen=True)
class Caller:
    """An authorized caller: ``grant`` None for SharedKey (all permissions)."""

    grant: sas.Grant | None

    def may_overwrite(self) -> bool:
        """Whether an existing blob may be replaced (``c`` alone only creates)."""
        return self.grant is None or "w" in self.grant.permissions


def authorize(
    operation: str,
    method: str,
    headers: Mapping[str, str],
    target: Target,
    key: bytes,
    client_ip: str | None,
) -> Caller:
    """The caller of ``operation`` on ``target``, or a 403 :class:`StorageError`."""
    authorization = headers.get("authorization")
    if sas.is_sas(target):
        grant = sas.verify(target, key, client_ip=client_ip)
        _check_grant(operation, grant)
        return Caller(grant)
    if authorization:
        sharedkey.verify(authorization, method, headers, target, key)
        return Caller(None)
    raise StorageError(
        "AuthorizationFailure", "The request carries no credential (SharedKey or SAS); anonymous access is off."
    )


def _check_grant(operation: str, grant: sas.Grant) -> None:
    rule = SAS_RULES[operation]
    if grant.kind == "account":
        if rule.level not in grant.resource_types:
            raise StorageError("AuthorizationResourceTypeMismatch")
    elif not rule.service_sas:
        raise StorageError("AuthorizationPermissionMismatch")
    elif rule.level == "c" and grant.resource != "c":
        raise StorageError("AuthorizationResourceTypeMismatch")
    if not any(p in grant.permissions for p in rule.any_of):
        raise StorageError("AuthorizationPermissionMismatch")
