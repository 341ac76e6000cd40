# Generated from overlays/azureml_rest/_async/online_scoring.py by `python -m tools.unasync`: do not edit.
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
from ..pipeline import build_client

__all__ = ["DEPLOYMENT_HEADER", "OnlineScoringClient"]

DEPLOYMENT_HEADER = "azureml-model-deployment"


class OnlineScoringClient:
    """Scores one online endpoint; use as a context manager (``with``) or call :meth:`close`."""

    def __init__(self, scoring_uri: str, http: httpx.Client, *, deployment: str | None = None) -> None:
        self.scoring_uri = scoring_uri
        self.deployment = deployment
        self._http = http

    @classmethod
    def for_endpoint(cls, ops: Any, endpoint: Any, *, auth: str = "key",
                     deployment: str | None = None) -> OnlineScoringClient:
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

        def provider() -> str:
            if auth == "key":
                return ops.keys(name).primary_key or ""
            return ops.token(name).access_token or ""

        http = build_client(uri, auth=KeyAuth(provider), config=ws.http_config)
        return cls(uri, http, deployment=deployment)

    def score(self, payload: Any, *, deployment: str | None = None) -> Any:
        """POST ``payload`` (any JSON value) and return the JSON answer (the text when it is not JSON).
        ``deployment`` overrides the client's for this call. Typed errors: 401 ``AuthenticationError`` (after
        one retry with a re-read credential), 404 ``NotFoundError`` (no deployment takes the traffic)..."""
        headers = {"Content-Type": "application/json"}
        chosen = deployment or self.deployment
        if chosen:
            headers[DEPLOYMENT_HEADER] = chosen
        resp = self._http.post(self.scoring_uri, content=json.dumps(payload).encode(), headers=headers)
        resp.read()
        if resp.status_code >= 400:
            raise error_from_parts(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, resp.content,
                                   method="POST", url=self.scoring_uri)
        try:
            return resp.json()
        except ValueError:
            return resp.text

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> OnlineScoringClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scoring_uri={self.scoring_uri!r}, deployment={self.deployment!r})"
