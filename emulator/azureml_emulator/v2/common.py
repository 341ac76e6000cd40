"""What every v2 route module shares: versioned routes, workspace lookup, names, envelopes, ``$skip`` paging.

Paths that v1 already serves (a workspace, its computes) answer in the v2 shape only for the api-versions of
``apiversions.V2_VERSIONS``: :class:`VersionedRoute` matches those and lets every other version fall through to
the v1 route behind it (``app.py`` mounts the v2 routes first). New collections use plain routes.

Errors are ARM's ``{"error": {"code", "message", ...}}``: raise ``ArmFailure`` (armcommon) in a handler wrapped by
:func:`handler`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Scope

from .. import apiversions
from ..armcommon import ML, ArmFailure, require_workspace, ws_id
from ..context import Context
from ..timeutil import iso, parse_iso

WS = f"/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/{ML}/workspaces/{{ws}}"
# Asset names and versions: letters, digits, '_', '-', '.', not starting with '.' or '-' (so neither '.' nor '..'
# nor a hidden name), at most 255 characters (the service's asset rule; azure-ai-ml's anonymous code names are UUIDs
# and its anonymous environment versions 64-hex hashes).
_ASSET_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,254}$")
Handler = Callable[[Request], Awaitable[Response]]


class VersionedRoute(Route):
    """A route that matches only requests whose ``api-version`` is one of ``versions``."""

    def __init__(self, path: str, endpoint: Handler, *, methods: list[str], versions: Iterable[str]) -> None:
        super().__init__(path, endpoint, methods=methods)
        self.versions = frozenset(versions)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        version = next((v for k, v in parse_qsl(query, keep_blank_values=True) if k == "api-version"), None)
        if version not in self.versions:
            return Match.NONE, {}
        return match, child


def route(path: str, endpoint: Handler, methods: list[str], *, shared_with_v1: str | None = None) -> Route:
    """A route under ``WS`` (``path`` relative to it); ``shared_with_v1`` names the collection when v1 serves
    the same path, so the route only takes that collection's v2 api-versions."""
    full = WS + path
    if shared_with_v1 is None:
        return Route(full, endpoint, methods=methods)
    return VersionedRoute(full, endpoint, methods=methods, versions=apiversions.V2_VERSIONS[shared_with_v1])


def handler(fn: Handler) -> Handler:
    """``fn`` with ``ArmFailure`` turned into its ARM error response."""

    @functools.wraps(fn)
    async def wrapped(request: Request) -> Response:
        try:
            return await fn(request)
        except ArmFailure as failure:
            return failure.response()

    return wrapped


def bad(message: str, code: str = "BadArgument") -> ArmFailure:
    """A 400 ARM error."""
    return ArmFailure(400, code, message)


def workspace(ctx: Context, request: Request) -> tuple[str, str, str, dict[str, Any]]:
    """``(sub, rg, ws, workspace document)`` of the request, or 404 (from the v1 store, the one workspace store)."""
    p = request.path_params
    sub, rg, ws = p["sub"], p["rg"], p["ws"]
    return sub, rg, ws, require_workspace(ctx, sub, rg, ws)


def ws_key(sub: str, rg: str, ws: str, *names: str) -> str:
    """The store key of a workspace-scoped resource (store keys compare lower-cased)."""
    return "/".join((sub, rg, ws, *names))


def resource_id(sub: str, rg: str, ws: str, *segments: str) -> str:
    """The ARM id of a workspace child: ``resource_id(s, r, w, "codes", name, "versions", v)``."""
    return "/".join((ws_id(sub, rg, ws), *segments))


def check_name(value: str, what: str) -> str:
    """``value`` if it is a valid asset name or version, else 400 (traversal, control characters, length)."""
    if not _ASSET_NAME.match(value):
        raise bad(
            f"The {what} '{value[:64]}' is invalid: use 1-255 letters, digits, '_', '-' and '.', "
            "starting with a letter, digit or '_'."
        )
    return value


def system_data(existing: Mapping[str, Any] | None, who: str) -> dict[str, Any]:
    """ARM ``systemData``: created* kept from ``existing``, lastModified* now."""
    now = iso(time.time())
    old = dict(existing.get("systemData") or {}) if existing else {}
    return {
        "createdAt": old.get("createdAt", now),
        "createdBy": old.get("createdBy", who),
        "createdByType": old.get("createdByType", "Application"),
        "lastModifiedAt": now,
        "lastModifiedBy": who,
        "lastModifiedByType": "Application",
    }


Doc = TypeVar("Doc", bound=Mapping[str, Any])


def stamp(doc: Mapping[str, Any], field: str) -> float:
    """The ``systemData`` time ``field`` of ``doc`` as epoch seconds. Compare these, not the strings: ``iso`` drops
    a zero fraction, so ``...:05Z`` would sort after ``...:05.5Z``."""
    return parse_iso(str(doc["systemData"][field]))


def by_stamp(docs: Sequence[Doc], field: str, *, descending: bool) -> list[Doc]:
    """``docs`` ordered by the ``systemData`` time ``field``; ties go by their order in ``docs`` (store order),
    reversed with ``descending``."""
    ranked = sorted(enumerate(docs), key=lambda iv: (stamp(iv[1], field), iv[0]), reverse=descending)
    return [doc for _, doc in ranked]


def caller(request: Request) -> str:
    """Who is calling (the token's ``appid``/``oid``, for ``systemData``)."""
    claims = request.scope.get("state", {}).get("claims") or {}
    return str(claims.get("appid") or claims.get("oid") or "unknown")


def obj(value: Any, what: str, *, required: bool = False) -> dict[str, Any]:
    """``value`` as a JSON object (None/absent -> ``{}`` unless required), else 400."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise bad(f"'{what}' must be a JSON object.")
    return value


def string_map(value: Any, what: str) -> dict[str, str]:
    """A map of strings (``tags``, ``properties``); None -> ``{}``; numbers are kept as their text."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad(f"'{what}' must be a map of string names to string values.")
    out: dict[str, str] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            if v is None:
                continue
            raise bad(f"'{what}.{k}' must be a string.")
        out[str(k)] = v if isinstance(v, str) else str(v)
    return out


def opt_str(props: Mapping[str, Any], name: str, where: str = "properties") -> str | None:
    """An optional string property, else 400."""
    value = props.get(name)
    if value is not None and not isinstance(value, str):
        raise bad(f"'{where}.{name}' must be a string.")
    return value


def opt_bool(props: Mapping[str, Any], name: str, default: bool, where: str = "properties") -> bool:
    """An optional boolean property, else 400."""
    value = props.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad(f"'{where}.{name}' must be a boolean.")
    return value


def choice(value: Any, allowed: Iterable[str], what: str, default: str | None = None) -> str:
    """The canonical spelling of an enum value (compared case-insensitively), else 400 naming the choices."""
    if value is None and default is not None:
        return default
    options = list(allowed)
    canon = {o.lower(): o for o in options}.get(value.lower()) if isinstance(value, str) else None
    if canon is None:
        raise bad(f"'{what}' has the value '{str(value)[:64]}'; use one of {', '.join(options)}.")
    return canon


def resource_base(props: Mapping[str, Any]) -> dict[str, Any]:
    """ResourceBase: ``description``, ``tags``, ``properties``."""
    return {
        "description": opt_str(props, "description"),
        "tags": string_map(props.get("tags"), "properties.tags"),
        "properties": string_map(props.get("properties"), "properties.properties"),
    }


def int_param(request: Request, name: str, *, minimum: int = 1) -> int | None:
    """An optional integer query parameter, else 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise bad(f"The query parameter '{name}' must be an integer.") from None
    if value < minimum:
        raise bad(f"The query parameter '{name}' must be at least {minimum}.")
    return value


def page(
    ctx: Context, request: Request, items: Sequence[Mapping[str, Any]], limit: int | None = None
) -> dict[str, Any]:
    """One page ``{value, nextLink}``; the continuation is the ``$skip`` query parameter (2025-12-01 paging).

    ``limit`` (``$top``/``count``) caps the page size below ``config.page_size``.
    """
    token = request.query_params.get("$skip") or request.query_params.get("$skipToken") or ""
    offset = 0
    if token:
        try:
            offset = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise bad("The '$skip' continuation token is not valid.", "InvalidSkipToken") from None
        if offset < 0:
            raise bad("The '$skip' continuation token is not valid.", "InvalidSkipToken")
    size = max(1, min(ctx.config.page_size, limit or ctx.config.page_size))
    body: dict[str, Any] = {"value": [dict(i) for i in items[offset : offset + size]]}
    if offset + size < len(items):
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("$skip", "$skipToken")]
        params.append(("$skip", base64.urlsafe_b64encode(str(offset + size).encode()).decode().rstrip("=")))
        body["nextLink"] = f"{ctx.base_url}{request.url.path}?{urlencode(params, safe='$')}"
    return body


def list_view(request: Request) -> str:
    """The ``listViewType`` query parameter: ``ActiveOnly`` (default), ``ArchivedOnly`` or ``All``."""
    return choice(
        request.query_params.get("listViewType"), ("ActiveOnly", "ArchivedOnly", "All"), "listViewType", "ActiveOnly"
    )


def in_view(doc: Mapping[str, Any], view: str) -> bool:
    """Whether an asset document belongs to a ``listViewType``."""
    archived = bool((doc.get("properties") or {}).get("isArchived"))
    return view == "All" or (view == "ArchivedOnly") == archived


def not_found(what: str, name: str) -> ArmFailure:
    """404 ResourceNotFound for a workspace child."""
    return ArmFailure(404, "ResourceNotFound", f"The {what} '{name}' was not found in this workspace.")
