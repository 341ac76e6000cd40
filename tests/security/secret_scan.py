"""The opt-in secret scan wired into tests/conftest.py (``AZUREML_REST_SECRET_SCAN=1``).

Every test then runs with the root logger at DEBUG and all records captured; at session end the captured text is
scanned for the emulator's development secret, JWT-shaped strings (access tokens), SAS signatures (a ``sig=``
value the overlay did not replace with ``REDACTED``) and SharedKey signatures (``SharedKey account:signature``).
Leaks fail the session and are listed in the JSON report named by ``AZUREML_REST_SECRET_SCAN_REPORT`` (default
``<basetemp>/secret-scan.json``). tests/security/test_suite_secret_scan.py runs part of the suite this way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterator

import pytest

__all__ = ["JWT_RE", "SAS_SIG_RE", "SECRET", "SHARED_KEY_RE", "Capture", "_secret_scan", "find_leaks",
           "pytest_sessionfinish", "root_debug"]

SCAN_ON = os.environ.get("AZUREML_REST_SECRET_SCAN") == "1"
SECRET = "emulator-dev-secret"
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
#: A SAS signature in clear: ``sig=`` and a value that is not the overlay's ``REDACTED`` (Base64, maybe %-encoded,
#: or the v1 data plane's 64 hex digits).
SAS_SIG_RE = re.compile(r"(?i)\bsig=(?!REDACTED\b)[A-Za-z0-9%+/=_-]{16,}")
#: A Shared Key Authorization header value (the HMAC of a request signed with an account key).
SHARED_KEY_RE = re.compile(r"SharedKey(?:Lite)? [A-Za-z0-9_-]+:[A-Za-z0-9+/]{20,}=*")


def find_leaks(text: str, needles: dict[str, set[str]] | None = None) -> list[str]:
    """What leaked into ``text``: the development secret, JWT shapes, SAS and SharedKey signatures, and each of
    ``needles`` (``{"what": {"value", ...}}``, values collected first-hand: issued tokens, keys...), named by kind
    and the first characters only."""
    found = [f"JWT-shaped {m.group(0)[:10]}..." for m in JWT_RE.finditer(text)]
    found += [f"SAS signature {m.group(0)[:8]}..." for m in SAS_SIG_RE.finditer(text)]
    found += [f"SharedKey signature {m.group(0)[:14]}..." for m in SHARED_KEY_RE.finditer(text)]
    if SECRET in text:
        found.append("client secret")
    for what, values in (needles or {}).items():
        found += [f"{what} {v[:4]}..." for v in sorted(values) if v and v in text]
    return found


@contextlib.contextmanager
def root_debug(handler: logging.Handler) -> Iterator[None]:
    """The root logger at DEBUG with ``handler`` added for the block (what ``logging.basicConfig(level=DEBUG)``
    does, without dropping pytest's handlers); the handler removed and the old level back on the way out."""
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


class Capture(logging.Handler):
    """Keeps the formatted text of every record (``parts``), timestamped."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        self.parts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.parts.append(self.format(record))


class ScanHandler(logging.Handler):
    """Scans the formatted text (message, args, exception) of every record; remembers what leaked where."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.records = 0
        self.chars = 0
        self.leaks: list[dict[str, str]] = []
        self.test = ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a broken record must not hide the others
            text = str(record.msg)
        self.records += 1
        self.chars += len(text)
        for what in find_leaks(text):
            self.leaks.append({"test": self.test, "logger": record.name, "what": what})


HANDLER = ScanHandler()


@pytest.fixture(autouse=True)
def _secret_scan(request: pytest.FixtureRequest) -> Iterator[None]:
    if not SCAN_ON:
        yield
        return
    HANDLER.test = request.node.nodeid
    with root_debug(HANDLER):
        yield


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not SCAN_ON:
        return
    report = {"records": HANDLER.records, "chars": HANDLER.chars, "leaks": HANDLER.leaks}
    target = os.environ.get("AZUREML_REST_SECRET_SCAN_REPORT")
    base = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]  # pytest's tmp factory
    path = target or str(base / "secret-scan.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
    if HANDLER.leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
