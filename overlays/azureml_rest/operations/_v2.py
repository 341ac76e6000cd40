"""I/O-free pieces the current API's operations share (group ``machinelearning``, api-version 2025-12-01).

:func:`body` builds a request model from its JSON shape; :class:`DatastoreSecret` holds what ``listSecrets``
returns (its repr and str never show the secret); :func:`check_scoring_target` is the rule deciding where an
online endpoint's key or token may be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .._redact import redact_url
from ..errors import InvalidResponseError, UntrustedScoringHostError
from ..trust import HostPolicy, check_scheme

__all__ = ["DEFAULT_DATASTORE", "GROUP", "DatastoreSecret", "body", "check_scoring_target"]

GROUP = "machinelearning"
DEFAULT_DATASTORE = "workspaceblobstore"  # the default datastore's conventional name
T = TypeVar("T")


def body(model: Callable[[dict[str, Any]], T], properties: Mapping[str, Any], **top: Any) -> T:
    """A generated request model from ``{"properties": ..., **top}`` (``None`` values left out at both levels):
    the resources' bodies are written as their JSON shape, which keeps required and optional fields visible."""
    doc: dict[str, Any] = {k: v for k, v in top.items() if v is not None}
    doc["properties"] = {k: v for k, v in properties.items() if v is not None}
    return model(doc)


class DatastoreSecret:
    """A datastore's secret from ``listSecrets`` (account key, SAS token, client secret or certificate).

    ``secrets_type`` names the kind; :meth:`reveal` returns the secret itself. ``repr``/``str`` never show it,
    so it stays out of logs, tracebacks and test output.
    """

    __slots__ = ("_value", "secrets_type")

    def __init__(self, secrets_type: str, value: str | None) -> None:
        self.secrets_type = secrets_type
        self._value = value

    def reveal(self) -> str | None:
        """The secret (None when the service returned none)."""
        return self._value

    def __repr__(self) -> str:
        return f"DatastoreSecret(secrets_type={self.secrets_type!r}, value=<redacted>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatastoreSecret):
            return NotImplemented
        return (self.secrets_type, self._value) == (other.secrets_type, other._value)

    def __hash__(self) -> int:
        return hash((self.secrets_type, self._value))

    def __reduce__(self) -> Any:  # pickling would write the secret: refuse it
        raise TypeError("a DatastoreSecret is not picklable")


def check_scoring_target(scoring_uri: str, auth: str, trust: HostPolicy, endpoint: str = "") -> None:
    """Where an online endpoint's credential may go (the rule, decided here once).

    - Always https, plain http only to a loopback host (:class:`~azureml_rest.errors.InsecureTransportError`).
    - ``auth="key"``: the key is the endpoint's own secret, read from ARM with ``listKeys``, and the scoring URI
      is the ``scoringUri`` ARM returned for that same endpoint (the caller reads it with a GET, never takes it
      from elsewhere), so its host is trusted for the KEY even outside the cloud's suffixes (Kubernetes
      endpoints answer on the customer's own domain).
    - ``auth="token"``: a token (AML token or AAD token) is a bearer credential: it goes only to hosts the
      session's :class:`~azureml_rest.trust.HostPolicy` trusts (the cloud's Azure ML suffixes such as
      ``*.inference.ml.azure.com``, its own hosts, ``trusted_hosts``); a ``scoringUri`` elsewhere is refused
      with :class:`~azureml_rest.errors.UntrustedScoringHostError` (an ``UntrustedHostError``) before anything
      is sent.
    """
    url = httpx.URL(scoring_uri)
    if not url.host:
        raise InvalidResponseError("OnlineEndpoints_Get",
                                   f"scoringUri is not an absolute URL: {redact_url(scoring_uri)}")
    check_scheme(url)
    if auth == "token" and not trust.is_trusted(scoring_uri):
        raise UntrustedScoringHostError(endpoint or "?", url.host, trust.cloud.name)
