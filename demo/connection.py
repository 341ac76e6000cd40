"""Everything that differs between the emulator and real Azure: a :class:`Connection` (credential, subscription,
cloud, HTTP settings with the demo's ``on_event`` hook), and the embedded emulator started through its public
entry point, :func:`azureml_emulator.start`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .display import HttpCalls

if TYPE_CHECKING:
    from azureml_rest import Cloud, HttpConfig, HttpEvent

__all__ = [
    "Connection",
    "EmbeddedEmulatorMissing",
    "emulator_account",
    "emulator_connection",
    "hooked",
    "service_principal",
    "start_embedded_emulator",
]


def _nothing() -> None:
    return None


@dataclass
class Connection:
    """Where the walkthrough runs. ``http`` carries ``calls.record`` as its ``on_event`` hook, and the
    credential was built with it, so token requests are shown too. ``stop`` ends an embedded emulator."""

    label: str
    credential: Any
    subscription_id: str
    cloud: Cloud
    http: HttpConfig
    calls: HttpCalls = field(default_factory=HttpCalls)
    stop: Callable[[], None] = _nothing


def hooked(http: HttpConfig | None, calls: HttpCalls) -> HttpConfig:
    """``http`` (default ``HttpConfig()``) reporting every attempt to ``calls``, and still to its own hook."""
    from azureml_rest import HttpConfig

    cfg = http or HttpConfig()
    previous = cfg.on_event
    if previous is None:
        return dataclasses.replace(cfg, on_event=calls.record)

    def both(event: HttpEvent) -> None:
        calls.record(event)
        previous(event)

    return dataclasses.replace(cfg, on_event=both)


def service_principal(label: str, cloud: Cloud, subscription_id: str, tenant_id: str, client_id: str,
                      client_secret: str, *, http: HttpConfig | None = None, authority_host: str | None = None,
                      stop: Callable[[], None] = _nothing) -> Connection:
    """A connection with a client-secret credential; every request it makes is shown by the walkthrough."""
    from azureml_rest import ServicePrincipalCredential

    calls = HttpCalls()
    cfg = hooked(http, calls)
    cred = ServicePrincipalCredential(tenant_id, client_id, client_secret, cloud=cloud, authority_host=authority_host,
                                      http_config=cfg)
    return Connection(label, cred, subscription_id, cloud, cfg, calls, stop)


def emulator_account() -> dict[str, str]:
    """The emulator's development account (CONTRIBUTING.md), as the library names it."""
    from azureml_rest.client import EMULATOR_ACCOUNT

    return dict(EMULATOR_ACCOUNT)


def emulator_connection(base_url: str, *, label: str | None = None, http: HttpConfig | None = None,
                        stop: Callable[[], None] = _nothing) -> Connection:
    """A connection to the emulator at ``base_url`` with its development account."""
    from azureml_rest import Cloud

    account = emulator_account()
    return service_principal(label or f"the emulator at {base_url}", Cloud.emulator(base_url),
                             account["subscription_id"], account["tenant_id"], account["client_id"],
                             account["client_secret"], http=http, stop=stop)


class EmbeddedEmulatorMissing(Exception):
    """The ``[emulator]`` extra is not installed (names the missing module)."""


def start_embedded_emulator(*, lro_delay: float, location: str, http: HttpConfig | None = None) -> Connection:
    """Start the emulator in this process on a free loopback port; the connection's ``stop`` ends it."""
    try:
        import azureml_emulator

        emu = azureml_emulator.start(lro_delay=lro_delay, location=location)
    except ModuleNotFoundError as exc:
        raise EmbeddedEmulatorMissing(str(exc.name)) from exc
    return emulator_connection(emu.base_url, label=f"the embedded emulator at {emu.base_url}", http=http,
                               stop=emu.stop)
