"""Shared fixtures: the anyio backend, and the emulator as the Azure AD token endpoint.

- ``aad``: a :class:`TokenEndpoint` over one session emulator (from tests/conftest.py's session factory, so
  in-process or a subprocess) whose client secret is :data:`SECRET`, a value that must never show up in logs
  or errors. Its counters are reset and its faults cleared before and after each test.
- ``make_aad(**config)``: a :class:`TokenEndpoint` over a fresh emulator with its own settings (e.g.
  ``token_lifetime``), stopped after the test.
- :func:`claims`: the payload of an emulator token (a JWT), to check its audience (``aud``) and version (``ver``).

The development account (tenant and client id) is the emulator's default, fixed in CONTRIBUTING.md.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.emulator_fixture import EmulatorFactory

TENANT = "00000000-0000-4000-8000-00000000e001"
CLIENT_ID = "00000000-0000-4000-8000-00000000c11e"
SECRET = "s3cr3t-value-Never-Log-Me"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def claims(token: str) -> dict[str, Any]:
    """The (unverified) payload of a JWT."""
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


@dataclass
class TokenEndpoint:
    """An emulator seen as Azure AD: its URL (the authority host) and its token-request counters."""

    emu: Any

    @property
    def base_url(self) -> str:
        return str(self.emu.base_url)

    def counters(self) -> dict[str, int]:
        """The emulator's counters: ``token`` (all token requests), ``token:v1`` / ``token:v2`` (per endpoint),
        ``token:v2:scope`` (v2 requests carrying ``scope``), and so on for each form field the emulator records."""
        r = httpx.get(f"{self.base_url}/_emulator/stats", timeout=10)
        r.raise_for_status()
        return {str(k): int(v) for k, v in r.json()["counters"].items()}

    @property
    def count(self) -> int:
        """Token requests since the last :meth:`reset`."""
        return self.counters().get("token", 0)

    def slow(self, seconds: float) -> None:
        """Delay every token answer by ``seconds`` (the emulator's ``slow`` fault on the token paths)."""
        body = {"rate": 1.0, "kinds": ["slow"], "paths": [f"/{TENANT}/oauth2/"], "slowSeconds": seconds}
        httpx.post(f"{self.base_url}/_emulator/faults", json=body, timeout=10).raise_for_status()

    def reset(self) -> None:
        """No faults, counters at zero."""
        httpx.post(f"{self.base_url}/_emulator/faults", json={"rate": 0.0}, timeout=10).raise_for_status()
        httpx.post(f"{self.base_url}/_emulator/reset-stats", timeout=10).raise_for_status()


@pytest.fixture(scope="session")
def aad_emulator(session_emulator_factory: EmulatorFactory) -> Any:
    return session_emulator_factory(client_secret=SECRET)


@pytest.fixture
def aad(aad_emulator: Any) -> Iterator[TokenEndpoint]:
    endpoint = TokenEndpoint(aad_emulator)
    endpoint.reset()
    yield endpoint
    endpoint.reset()


@pytest.fixture
def make_aad(emulator_factory: EmulatorFactory) -> Callable[..., TokenEndpoint]:
    def make(**overrides: Any) -> TokenEndpoint:
        return TokenEndpoint(emulator_factory(**{"client_secret": SECRET, **overrides}))

    return make
