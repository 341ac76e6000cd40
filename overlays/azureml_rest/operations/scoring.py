"""Scoring a deployed service (facts §9): ``POST {scoringUri}`` with ``Authorization: Bearer <key>``.

The scoring base URL is the service's ``scoringUri`` without its ``/score`` suffix (CONTRIBUTING.md). Key auth
uses :class:`~azureml_rest.auth.KeyAuth` with a provider that asks ``services.keys`` for the primary key; on a
401 the provider is asked again, so a key rotated with ``regenerate_key`` is picked up by the same client
(what Microsoft's SDK does, facts §9). ``auth="token"`` uses the ``token`` operation instead; a service with
``authEnabled: false`` gets no Authorization header.
"""

from __future__ import annotations

from typing import Any

import httpx
from azureml_scoring_client.api.scoring import scoring_get_swagger, scoring_score

from .._call import acall_detailed, call_detailed
from ..auth import KeyAuth
from ..config import HttpConfig
from ..pipeline import attach, build_async_client, build_client
from ..routing import client_class
from ._common import service_id_of, value

__all__ = ["AsyncScoringClient", "ScoringClient", "scoring_base_url"]


def scoring_base_url(scoring_uri: str) -> str:
    """``https://host/api/v1/service/x/score`` -> ``https://host/api/v1/service/x``."""
    uri = scoring_uri.split("?", 1)[0].rstrip("/")
    return uri[: -len("/score")] if uri.endswith("/score") else uri


def _check_auth_kind(auth: str) -> None:
    if auth not in ("key", "token"):
        raise ValueError("auth must be 'key' or 'token'")


class ScoringClient:
    """Scores one service. Use as a context manager, or call :meth:`close`."""

    def __init__(self, scoring_uri: str, http: httpx.Client) -> None:
        self.scoring_uri = scoring_uri
        self._http = http
        self._client = attach(client_class("scoring"), str(http.base_url).rstrip("/"), http)

    @classmethod
    def for_service(cls, ws: Any, service: Any, *, auth: str = "key") -> ScoringClient:
        """A client for ``service`` (id, or a ``ServiceResponse``) of workspace handle ``ws``."""
        _check_auth_kind(auth)
        svc = ws.services.get(service) if isinstance(service, str) else service
        uri = value(getattr(svc, "scoring_uri", None))
        if not uri:
            raise ValueError(f"service {service_id_of(svc)!r} has no scoringUri (is it deployed?)")
        sid = service_id_of(svc)
        auth_obj: httpx.Auth | None = None
        if value(getattr(svc, "auth_enabled", None)) is not False:
            if auth == "key":
                auth_obj = KeyAuth(lambda: ws.services.keys(sid).primary_key or "")
            else:
                auth_obj = KeyAuth(lambda: ws.services.token(sid).access_token or "")
        http = build_client(scoring_base_url(str(uri)), auth=auth_obj, config=ws.http_config)
        return cls(str(uri), http)

    @classmethod
    def from_uri(cls, scoring_uri: str, *, key: str | None = None, http: HttpConfig | None = None) -> ScoringClient:
        """A client for a known ``scoringUri`` with a fixed key (no rotation), or no key."""
        auth = KeyAuth.from_key(key) if key else None
        return cls(scoring_uri, build_client(scoring_base_url(scoring_uri), auth=auth, config=http))

    def score(self, data: Any) -> Any:
        """POST ``data`` (any JSON value; the article's form is ``{"data": [[...]]}``) and return the JSON answer."""
        resp = call_detailed(scoring_score.sync_detailed, client=self._client, body=data)
        return resp.parsed

    def swagger(self) -> Any:
        """The service's own OpenAPI document, if it serves one."""
        return call_detailed(scoring_get_swagger.sync_detailed, client=self._client).parsed

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ScoringClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ScoringClient(scoring_uri={self.scoring_uri!r})"


class AsyncScoringClient:
    """Async twin of :class:`ScoringClient` (``async with``, ``await aclose()``)."""

    def __init__(self, scoring_uri: str, http: httpx.AsyncClient) -> None:
        self.scoring_uri = scoring_uri
        self._http = http
        self._client = attach(client_class("scoring"), str(http.base_url).rstrip("/"), http)

    @classmethod
    def for_service(cls, ws: Any, service: Any, *, auth: str = "key") -> AsyncScoringClient:
        """Needs a ``ServiceResponse`` (``await ws.services.get(id)``): building a client does no I/O."""
        _check_auth_kind(auth)
        if isinstance(service, str):
            raise TypeError("pass the ServiceResponse (await ws.services.get(id)); an async handle cannot look "
                            "it up without awaiting")
        uri = value(getattr(service, "scoring_uri", None))
        if not uri:
            raise ValueError(f"service {service_id_of(service)!r} has no scoringUri (is it deployed?)")
        sid = service_id_of(service)
        auth_obj: httpx.Auth | None = None
        if value(getattr(service, "auth_enabled", None)) is not False:

            async def provider() -> str:
                if auth == "key":
                    return (await ws.services.keys(sid)).primary_key or ""
                return (await ws.services.token(sid)).access_token or ""

            auth_obj = KeyAuth(provider)
        http = build_async_client(scoring_base_url(str(uri)), auth=auth_obj, config=ws.http_config)
        return cls(str(uri), http)

    @classmethod
    def from_uri(cls, scoring_uri: str, *, key: str | None = None,
                 http: HttpConfig | None = None) -> AsyncScoringClient:
        """A client for a known ``scoringUri`` with a fixed key (no rotation), or no key."""
        auth = KeyAuth.from_key(key) if key else None
        return cls(scoring_uri, build_async_client(scoring_base_url(scoring_uri), auth=auth, config=http))

    async def score(self, data: Any) -> Any:
        resp = await acall_detailed(scoring_score.asyncio_detailed, client=self._client, body=data)
        return resp.parsed

    async def swagger(self) -> Any:
        return (await acall_detailed(scoring_get_swagger.asyncio_detailed, client=self._client)).parsed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncScoringClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncScoringClient(scoring_uri={self.scoring_uri!r})"
