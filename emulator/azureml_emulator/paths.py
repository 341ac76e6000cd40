"""Path normalisation and classification.

ARM and the data plane treat fixed path segments case-insensitively (``resourcegroups`` and
``resourceGroups`` are the same collection) and tolerate a trailing slash (the article lists workspaces at
``.../workspaces/?api-version=...``). The middleware rewrites each request path to the canonical spelling
before routing, so routes are written once, in the spelling of CONTRIBUTING.md. Only segments in
*keyword* positions are rewritten: a resource named ``runs`` stays ``runs``.
"""

from __future__ import annotations

# v2 collections whose next segment is a caller-chosen (case-sensitive) name: a code named 'Runs' stays 'Runs'.
_V2_COLLECTIONS = ("codes", "versions", "datastores", "environments", "jobs", "onlineEndpoints", "deployments")
# Canonical spellings of fixed segments, by lower-cased form.
_CANONICAL: dict[str, str] = {
    w.lower(): w
    for w in (
        "subscriptions",
        "resourceGroups",
        "providers",
        "workspaces",
        "computes",
        "locations",
        "operationsStatus",
        "operationResults",
        "operations",
        "listKeys",
        "listNodes",
        "history",
        "execution",
        "modelmanagement",
        "v1.0",
        "experiments",
        "experiments:query",
        "runs",
        "runs:query",
        "details",
        "children",
        "artifacts",
        "contentinfo",
        "content",
        "startrun",
        "snapshotrun",
        "runId",
        "cancel",
        "models",
        "services",
        "regenerateKeys",
        "token",
        # v2 (2025-12-01) collections and actions under a workspace
        *_V2_COLLECTIONS,
        "listSecrets",
        "startPendingUpload",
    )
}
# Provider namespaces (the segment after "providers").
_NAMESPACES: dict[str, str] = {n.lower(): n for n in ("Microsoft.MachineLearningServices", "Microsoft.Resources")}
# Keywords whose next segment is a caller-chosen value (kept as sent).
_TAKES_VALUE = frozenset(
    {
        "subscriptions",
        "resourceGroups",
        "workspaces",
        "computes",
        "locations",
        "operationsStatus",
        "operationResults",
        "experiments",
        "runs",
        "runId",
        "models",
        "services",
        *_V2_COLLECTIONS,
    }
)
_NORMALISED_ROOTS = frozenset({"subscriptions", "providers", "history", "execution", "modelmanagement"})


# The workspace's regional API host serves some ARM operations under this prefix + the ARM path (computes:
# azureml-core's azureml/_compute/_constants.py RP_COMPUTE_RESOURCE_ID_FMT); such paths are ARM requests.
REGIONAL_RP_PREFIX = "/rp/workspaces"


def normalise_path(path: str) -> str:
    """The canonical spelling of ``path`` (fixed segments re-cased, trailing slash removed).

    Paths outside ARM and the data plane (tokens, scoring, ``/_emulator``) only lose a trailing slash.
    """
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if path.startswith("//"):
        # AzureCloud's ARM URL ends in '/' and clients append '/subscriptions/...' (azureml-core's compute PUT,
        # azureml/core/compute/compute.py): ARM answers '//subscriptions/...' like '/subscriptions/...'.
        path = "/" + path.lstrip("/")
    segs = path.split("/")
    if len(segs) > 3 and segs[1].lower() == "rp" and segs[2].lower() == "workspaces":
        return REGIONAL_RP_PREFIX + normalise_path("/" + "/".join(segs[3:]))
    if len(segs) < 2 or segs[1].lower() not in _NORMALISED_ROOTS:
        return path
    mms = segs[1].lower() == "modelmanagement"
    out = [""]
    expect_value = False
    after_providers = False
    for seg in segs[1:]:
        low = seg.lower()
        if after_providers:
            out.append(_NAMESPACES.get(low, seg))
            after_providers = False
            continue
        if expect_value:
            out.append(seg)
            expect_value = False
            continue
        canon = _CANONICAL.get(low)
        if canon is None:
            out.append(seg)
            continue
        if mms and low == "listkeys":
            canon = "listkeys"  # model management spells it lower-case (CONTRIBUTING.md)
        if mms and low == "operations":
            expect_value = True
        out.append(canon)
        if canon == "providers":
            after_providers = True
        elif canon in _TAKES_VALUE:
            expect_value = True
    return "/".join(out)


# Route kinds: which group a request belongs to (auth, api-version rules, error shape, counters).
TOKEN = "token"  # noqa: S105 (a route kind, not a secret)
DISCOVERY = "discovery"
CONTROL = "control"
SCORING = "scoring"
HISTORY = "history"
EXECUTION = "execution"
MODELMANAGEMENT = "modelmanagement"
ARM = "arm"
OTHER = "other"

DATAPLANE_KINDS = frozenset({HISTORY, EXECUTION, MODELMANAGEMENT})
PUBLIC_KINDS = frozenset({TOKEN, DISCOVERY, CONTROL, SCORING, OTHER})  # no bearer token needed


def classify(path: str) -> str:
    """The route kind of a normalised path."""
    segs = path.split("/")
    first = segs[1] if len(segs) > 1 else ""
    if first == "_emulator":
        return CONTROL
    if first == "discovery":
        return DISCOVERY
    if first == "msi" or first == "metadata":
        return TOKEN
    if len(segs) > 2 and segs[2] in ("oauth2", ".well-known"):
        return TOKEN
    if len(segs) > 3 and segs[2] == "v2.0" and segs[3] == ".well-known":
        return TOKEN
    if len(segs) > 2 and segs[2] == "discovery":  # /{tenant}/discovery/v2.0/keys (jwks)
        return TOKEN
    if first == "scoring":
        return SCORING
    if first in ("history", "content", "artifact"):
        return HISTORY  # the content (snapshot) and artifact services: run history's host, auth and errors
    if first in ("metric", "data"):
        return HISTORY  # v2 run metrics (/metric/v2.0) and job output URIs (/data/v1.0): run history's host and auth
    if first == "execution":
        return EXECUTION
    if first == "modelmanagement":
        return MODELMANAGEMENT
    if first in ("subscriptions", "providers") or path.startswith(REGIONAL_RP_PREFIX + "/"):
        return ARM
    return OTHER


def is_resource_groups_path(path: str) -> bool:
    """True for Microsoft.Resources paths: ``/subscriptions/{s}/resourceGroups[/{rg}]`` and RG operation results.

    A path that goes on into ``/providers/...`` under a resource group belongs to that provider instead.
    """
    segs = path.split("/")
    if len(segs) < 4 or segs[1] != "subscriptions":
        return False
    if segs[3] in ("operationResults", "resources"):
        return True
    if segs[3] == "resourceGroups" and len(segs) == 6 and segs[5] == "resources":
        return True  # Resources_ListByResourceGroup
    return segs[3] == "resourceGroups" and len(segs) <= 5
