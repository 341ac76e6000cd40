"""The emulator's settings (every default here is the development account of CONTRIBUTING.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class EmulatorConfig:
    """Settings of one emulator process. Defaults: loopback, free port, in memory, plain http."""

    host: str = "127.0.0.1"
    port: int = 0
    tenant_id: str = "00000000-0000-4000-8000-00000000e001"
    client_id: str = "00000000-0000-4000-8000-00000000c11e"
    client_secret: str = field(default="emulator-dev-secret", repr=False)
    subscription_id: str = "00000000-0000-4000-8000-0000000005b5"
    token_lifetime: float = 3600.0  # seconds; small values let clients' refresh be tested
    lro_delay: float = 0.5  # seconds a long-running ARM/MMS operation takes
    strict_api_version: bool = True  # --lax-api-version relaxes
    data_dir: Path | None = None  # None = in memory
    tls: bool = False
    location: str = "eastus"
    max_upload_bytes: int = 300 * 1024 * 1024  # the service's snapshot limit
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = ("429", "503")  # see faults.py
    fault_seed: int | None = None
    page_size: int = 100  # ARM list page size (small values let nextLink paging be tested)
    log_level: str = "warning"
