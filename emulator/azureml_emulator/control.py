"""Test controls under ``/_emulator`` (never authenticated, never faulted).

The discovery override, ``PUT /_emulator/discovery``, lives with the document it replaces in discovery.py.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .context import Context
from .faults import KINDS


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "BadRequest", "message": message}}, status_code=400)


# The settings ``/_emulator/config`` may change while serving: each is read per request, so a change takes
# effect at once. (``max_upload_bytes`` has no command-line flag; tests of a subprocess emulator set it here.)
# JSON name -> (config attribute, integer only, smallest value).
ADJUSTABLE: dict[str, tuple[str, bool, float]] = {
    "tokenLifetime": ("token_lifetime", False, 1.0),
    "lroDelay": ("lro_delay", False, 0.0),
    "pageSize": ("page_size", True, 1),
    "maxUploadBytes": ("max_upload_bytes", True, 1),
}


def _config_state(ctx: Context) -> dict[str, Any]:
    return {name: getattr(ctx.config, attr) for name, (attr, _, _) in ADJUSTABLE.items()}


def _config_updates(body: object) -> dict[str, float | int] | str:
    """The config attributes to set from a ``/_emulator/config`` body, or the reason it is refused."""
    if not isinstance(body, dict):
        return f"The body must be a JSON object with some of {sorted(ADJUSTABLE)}."
    unknown = sorted(set(body) - set(ADJUSTABLE))
    if unknown:
        return f"Unknown setting(s) {unknown}; adjustable: {sorted(ADJUSTABLE)}."
    updates: dict[str, float | int] = {}
    for name, value in body.items():
        attr, integral, lowest = ADJUSTABLE[name]
        # bool is an int subclass: refuse it explicitly
        ok_type = isinstance(value, int) if integral else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or value < lowest:
            kind = "an integer" if integral else "a number"
            return f"{name} must be {kind} of at least {lowest:g}."
        updates[attr] = int(value) if integral else float(value)
    return updates


def routes(ctx: Context) -> list[BaseRoute]:
    """``/_emulator/faults``, ``/_emulator/config``, ``/_emulator/stats``, ``/_emulator/reset-stats``,
    ``/_emulator/health``."""

    def fault_state() -> dict[str, Any]:
        s = ctx.faults.settings
        return {
            "rate": s.rate,
            "kinds": list(s.kinds),
            "seed": s.seed,
            "paths": list(s.paths),
            "slowSeconds": ctx.faults.slow_seconds,
            "knownKinds": list(KINDS),
        }

    async def set_faults(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return _bad("The body must be JSON: {rate, kinds, seed, paths}.")
        if not isinstance(body, dict):
            return _bad("The body must be a JSON object: {rate, kinds, seed, paths}.")
        kinds = body.get("kinds", ["429", "503"])
        paths = body.get("paths") or []
        if isinstance(kinds, str):
            kinds = kinds.split(",")
        if isinstance(paths, str):
            paths = [paths]
        seed = body.get("seed")
        rate = body.get("rate", 0.0)
        if (
            not isinstance(kinds, list)
            or not isinstance(paths, list)
            or (seed is not None and not isinstance(seed, int))
        ):
            return _bad("kinds and paths must be lists of strings and seed an integer.")
        if not isinstance(rate, (int, float)):
            return _bad("rate must be a number between 0 and 1.")
        try:
            ctx.faults.configure(
                rate=float(rate), kinds=[str(k) for k in kinds], seed=seed, paths=[str(p) for p in paths]
            )
        except ValueError as exc:
            return _bad(str(exc))
        slow = body.get("slowSeconds", body.get("slow_seconds"))
        if isinstance(slow, (int, float)) and slow >= 0:
            ctx.faults.slow_seconds = float(slow)
        return JSONResponse(fault_state())

    async def get_faults(request: Request) -> Response:
        return JSONResponse(fault_state())

    async def get_config(request: Request) -> Response:
        return JSONResponse(_config_state(ctx))

    async def set_config(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return _bad(f"The body must be JSON: an object with some of {sorted(ADJUSTABLE)}.")
        updates = _config_updates(body)
        if isinstance(updates, str):
            return _bad(updates)
        for attr, value in updates.items():
            setattr(ctx.config, attr, value)
        return JSONResponse(_config_state(ctx))

    async def stats(request: Request) -> Response:
        return JSONResponse({"counters": dict(ctx.counters)})

    async def reset_stats(request: Request) -> Response:
        ctx.counters.clear()
        return JSONResponse({"counters": {}})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "baseUrl": ctx.base_url})

    return [
        Route("/_emulator/faults", set_faults, methods=["POST"]),
        Route("/_emulator/faults", get_faults, methods=["GET"]),
        Route("/_emulator/config", set_config, methods=["POST"]),
        Route("/_emulator/config", get_config, methods=["GET"]),
        Route("/_emulator/stats", stats, methods=["GET"]),
        Route("/_emulator/reset-stats", reset_stats, methods=["POST"]),
        Route("/_emulator/health", health, methods=["GET"]),
    ]
