# Generated from overlays/azureml_rest/_async/scoring.py by `python -m tools.unasync`: do not edit.
"""Scoring a deployed service (``Scoring_Score``): ``POST {scoringUri}`` with ``Authorization: Bearer <key>``.

The scoring base URL is the service's ``scoringUri`` without its ``/score`` suffix (CONTRIBUTING.md). Key auth
uses :class:`~azureml_rest.auth.KeyAuth` with a provider that asks ``services.keys`` for the primary key; on a
401 the provider is asked again, so a key rotated with ``regenerate_key`` is picked up by the same client (what
Microsoft's SDK does; specs/README.md, scoring.yaml). ``auth="token"`` uses the ``token`` operation instead; a
service with ``authEnabled: false`` gets no Authorization header.

Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
(Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints.invoke(...)``.
"""

from __future__ import annotations

from typing import Any

import httpx
from azureml_scoring_client.api.scoring import scoring_get_swagger, scoring_score

from .._call import call_detailed
from ..auth import KeyAuth
from ..config import HttpConfig
from ..operations._common import find_service, service_id_of, value
from ..pipeline import attach, build_client
from ..session import client_class

__all__ = ["ScoringClient", "scoring_base_url"]


def scoring_base_url(scoring_uri: str) -> str:
    """``https://host/api/v1/service/x/score`` -> ``https://host/api/v1/service/x``."""
    uri = scoring_uri.split("?", 1)[0].rstrip("/")
    return uri[: -len("/score")] if uri.endswith("/score") else uri


class ScoringClient:
    """Scores one service. Use as a context manager (``with``), or call :meth:`close`.

    Legacy v1 API: deprecated 2025-03-31; CLI v1 support ended 2025-09-30; SDK v1 support ended 2026-06-30
    (Microsoft Learn: how-to-migrate-from-v1). The current API: ``ws.online_endpoints.invoke``.
    """

    def __init__(self, scoring_uri: str, http: httpx.Client) -> None:
        self.scoring_uri = scoring_uri
        self._http = http
        self._client = attach(client_class("scoring"), str(http.base_url).rstrip("/"), http)

    @classmethod
    def for_service(cls, ws: Any, service: Any, *, auth: str = "key") -> ScoringClient:
        """A client for ``service`` of workspace handle ``ws``: a ``ServiceResponse``, or (sync handles only: an
        async one cannot here) its id, looked up with ``ws.v1.services.get``. Builds no connection."""
        if auth not in ("key", "token"):
            raise ValueError("auth must be 'key' or 'token'")
        svc = find_service(ws, service)
        uri = value(getattr(svc, "scoring_uri", None))
        if not uri:
            raise ValueError(f"service {service_id_of(svc)!r} has no scoringUri (is it deployed?)")
        sid = service_id_of(svc)
        auth_obj: httpx.Auth | None = None
        if value(getattr(svc, "auth_enabled", None)) is not False:

            def provider() -> str:
                if auth == "key":
                    return ws.v1.services.keys(sid).primary_key or ""
                return ws.v1.services.token(sid).access_token or ""

            auth_obj = KeyAuth(provider)
        http = build_client(scoring_base_url(str(uri)), auth=auth_obj, config=ws.http_config)
        return cls(str(uri), http)

    @classmethod
    def from_uri(cls, scoring_uri: str, *, key: str | None = None,
                 http: HttpConfig | None = None) -> ScoringClient:
        """A client for a known ``scoringUri`` with a fixed key (no rotation), or no key."""
        auth = KeyAuth.from_key(key) if key else None
        return cls(scoring_uri, build_client(scoring_base_url(scoring_uri), auth=auth, config=http))

    def score(self, data: Any) -> Any:
        """POST ``data`` (any JSON value; the article's form is ``{"data": [[...]]}``) and return the JSON answer."""
        return call_detailed(scoring_score.sync_detailed, client=self._client, body=data).parsed

    def swagger(self) -> Any:
        """The service's own OpenAPI document, if it serves one."""
        return call_detailed(scoring_get_swagger.sync_detailed, client=self._client).parsed

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> ScoringClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scoring_uri={self.scoring_uri!r})"
