"""``GET /_emulator/storage/accounts``: the accounts the blob store serves, their keys and endpoints.

A test control like the others under ``/_emulator`` (unauthenticated): the keys are development keys, the way
Azurite publishes its own. Each entry: ``name``, ``key``, ``blobEndpoint`` (path-style on the emulator's port)
and ``connectionString``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..context import Context
from .accounts import account_key, account_names


def account_info(ctx: Context, name: str) -> dict[str, str]:
    """One account's name, key, path-style endpoint and connection string."""
    key = account_key(ctx, name)
    endpoint = f"{ctx.base_url}/{name}"
    scheme = "https" if ctx.base_url.startswith("https") else "http"
    return {
        "name": name,
        "key": key,
        "blobEndpoint": endpoint,
        "connectionString": (
            f"DefaultEndpointsProtocol={scheme};AccountName={name};AccountKey={key};BlobEndpoint={endpoint};"
        ),
    }


def routes(ctx: Context) -> list[BaseRoute]:
    """The control route."""

    async def list_accounts(request: Request) -> Response:
        return JSONResponse({"value": [account_info(ctx, n) for n in account_names(ctx)]})

    return [Route("/_emulator/storage/accounts", list_accounts, methods=["GET"])]
