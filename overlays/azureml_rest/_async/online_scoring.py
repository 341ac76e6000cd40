"""Scoring a managed online endpoint: ``POST {scoringUri}`` with ``Authorization: Bearer <key or token>``.

Where the credential may go is decided by :func:`azureml_rest.operations._v2.check_scoring_target` before the
client is built: the key goes to the ``scoringUri`` ARM returned for that same endpoint (the client reads it with
a GET of the endpoint, never from elsewhere); a token only to hosts the session's host policy trusts; https, or
plain http to loopback only. The credential comes from a provider (:class:`~azureml_rest.auth.KeyAuth`): the
primary key from ``listKeys`` or the endpoint's AML token from ``token``, asked again on a 401, so a key
regenerated while the client lives is picked up by the same client. ``deployment`` adds the
``azureml-model-deployment`` header, which routes to that deployment whatever the traffic weights say.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ..auth import KeyAuth
from ..errors import InvalidResponseError, error_from_parts
from ..operations._common import text
from ..operations._v2 import check_scoring_target
from ..pipeline import build_async_client

__all__ = ["DEPLOYMENT_HEADER", "AsyncOnlineScoringClient"]

DEPLOYMENT_HEADER = "azureml-model-deployment"


class AsyncOnlineScoringClient:
    """Scores one online endpoint; use as a context manager (``async with``) or call :meth:`aclose`."""

    def __init__(self, scoring_uri: str, http: httpx.AsyncClient, *, deployment: str | None = None) -> None:
        self.scoring_uri = scoring_uri
        self.deployment = deployment
        self._http = http

    @classmethod
    def for_endpoint(cls, ops: Any, endpoint: Any, *, auth: str = "key",
                     deployment: str | None = None) -> AsyncOnlineScoringClient:
        """A client for ``endpoint`` (an ``OnlineEndpoint`` just read through ``ops``, the workspace's online
        endpoint operations). Builds no connection; raises before any request when the URI is refused."""
        if auth not in ("key", "token"):
            raise ValueError("auth must be 'key' or 'token'")
        name = endpoint.name
        uri = text(getattr(endpoint.properties, "scoring_uri", None))
        if not uri:
            raise InvalidResponseError("OnlineEndpoints_Get", f"endpoint {name!r} has no scoringUri (is it ready?)")
        ws = ops._ws
        check_scoring_target(uri, auth, ws._session.trust, name)

        async def provider() -> str:
            if auth == "key":
                return (await ops.keys(name)).primary_key or ""
            return (await ops.token(name)).access_token or ""

        http = build_async_client(uri, auth=KeyAuth(provider), config=ws.http_config)
        return cls(uri, http, deployment=deployment)

    async def score(self, payload: Any, *, deployment: str | None = None) -> Any:
        """POST ``payload`` (any JSON value) and return the JSON answer (the text when it is not JSON).
        ``deployment`` overrides the client's for this call. Typed errors: 401 ``AuthenticationError`` (after
        one retry with a re-read credential), 404 ``NotFoundError`` (no deployment takes the traffic)..."""
        headers = {"Content-Type": "application/json"}
        chosen = deployment or self.deployment
        if chosen:
            headers[DEPLOYMENT_HEADER] = chosen
        resp = await self._http.post(self.scoring_uri, content=json.dumps(payload).encode(), headers=headers)
        await resp.aread()
        if resp.status_code >= 400:
            raise error_from_parts(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, resp.content,
                                   method="POST", url=self.scoring_uri)
        try:
            return resp.json()
        except ValueError:
            return resp.text

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncOnlineScoringClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scoring_uri={self.scoring_uri!r}, deployment={self.deployment!r})"
