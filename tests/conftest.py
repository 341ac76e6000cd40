"""Fixtures shared by every test folder: the emulator, started one way for all of them.

Mode: in this process by default (``azureml_emulator.server.start_in_thread``), or as a subprocess
(``python -m azureml_emulator --port 0 ...``, URL and CA file read from its banner) with ``--emulator=subprocess``
or ``AZUREML_TEST_EMULATOR=subprocess`` (the option wins). The machinery is in tests/emulator_fixture.py.

- ``emulator`` (session): the shared emulator: in memory, plain http, ``lro_delay=0.2`` s, other settings the
  emulator's defaults (the development account of CONTRIBUTING.md). It has ``.base_url``, ``.ca_file`` (None
  without TLS), ``.config``, ``.ctx`` (in-process: the emulator's ``Context``; subprocess: a view offering only
  ``counters``, read from ``/_emulator/stats``) and ``.stop()``.
- ``emulator_factory`` (function): ``emulator_factory(**overrides)`` starts another emulator with
  ``EmulatorConfig`` overrides (``token_lifetime``, ``lro_delay``, ``page_size``, ``max_upload_bytes``, ``tls``,
  ``data_dir``, ``fault_rate`` / ``fault_kinds`` / ``fault_seed``, ``client_secret``, ...; ``lro_delay`` defaults
  to 0.2 s); each is stopped after the test.
- ``session_emulator_factory`` (session): the same, stopped at the end of the session (a folder's own emulator).
- ``emulator_mode``: ``"inprocess"`` or ``"subprocess"``.
- ``session_emulator``: the older name of ``emulator``.

Folder conftests keep their fixture names as thin aliases over these: tests/integration ``emulator_server`` and
``emulator_url`` (``page_size=2``), tests/emulator ``make_emulator``, tests/emulator/dataplane ``emu``
(``max_upload_bytes`` 2 MiB).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_fixture import MODE_ENV, MODES, EmulatorFactory, mode_from

NEEDS_EMULATOR = "run with PYTHONPATH=overlays:generated:emulator"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--emulator",
        choices=MODES,
        default=None,
        help=f"how tests start the emulator: inprocess (default) or subprocess; also ${MODE_ENV}",
    )


@pytest.fixture(scope="session")
def emulator_mode(pytestconfig: pytest.Config) -> str:
    return mode_from(pytestconfig.getoption("--emulator"))


def _factory(mode: str) -> Iterator[EmulatorFactory]:
    # Imported only here: the unit tests that need no emulator run without it on the path.
    pytest.importorskip("azureml_emulator.server", reason=NEEDS_EMULATOR)
    factory = EmulatorFactory(mode)
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="session")
def session_emulator_factory(emulator_mode: str) -> Iterator[EmulatorFactory]:
    yield from _factory(emulator_mode)


@pytest.fixture
def emulator_factory(emulator_mode: str) -> Iterator[EmulatorFactory]:
    yield from _factory(emulator_mode)


@pytest.fixture(scope="session")
def emulator(session_emulator_factory: EmulatorFactory) -> Any:
    return session_emulator_factory()


@pytest.fixture(scope="session")
def session_emulator(emulator: Any) -> Any:
    return emulator



# Opt-in secret scan (AZUREML_REST_SECRET_SCAN=1): every test's DEBUG logging is captured and scanned at session
# end for the development secret and JWT-shaped strings; see tests/security/secret_scan.py.
from tests.security.secret_scan import _secret_scan, pytest_sessionfinish  # noqa: E402,F401
