"""Submitting a ~200 MB project keeps client memory flat: the zip is written and uploaded as a stream.

The emulator runs in a separate process here so that only the client's allocations are measured.
"""

from __future__ import annotations

import io
import os
import resource
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("azureml_emulator.server", reason="run with PYTHONPATH=overlays:generated:emulator")

from azureml_rest.client import AzureML
from azureml_rest.runs import run_status

from tests.emulator_fixture import EmulatorFactory
from tests.integration.runs_support import setup_workspace

PROJECT_MB = 200
#: Allowed growth of the client's traced Python allocations (the project is 200 MB).
MAX_PEAK_MB = 24


@pytest.fixture(scope="module")
def emulator_process(session_emulator_factory: EmulatorFactory) -> Iterator[str]:
    """The emulator in its own process whatever the mode (only the client's allocations are measured), stopped at
    the module's end; yields its base URL."""
    with session_emulator_factory(mode="subprocess", lro_delay=0.1) as emu:
        yield emu.base_url


def _random_file(path: Path, megabytes: int) -> None:
    # random bytes: incompressible, so the zip is as large as the project (and no zip-bomb ratio check trips)
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(1024 * 1024))


@pytest.mark.slow
def test_large_project_streams_from_disk(emulator_process: str, tmp_path: Path) -> None:
    src = tmp_path / "big"
    src.mkdir()
    (src / "size.py").write_text("import os\nprint('SIZE', os.path.getsize('data.bin'))\n")
    _random_file(src / "data.bin", PROJECT_MB)
    with AzureML.for_emulator(emulator_process) as ml:
        ws = setup_workspace(ml, {"cpu-compute": 1})
        assert ws.v1.runs is not None  # imports azureml_rest.runs now, so imports are not counted as upload memory
        sent: list[int] = []
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        tracemalloc.start()
        began = time.monotonic()
        try:
            run_id = ws.v1.runs.submit("big", src, script="size.py", target="cpu-compute",
                                    on_progress=lambda s, t: sent.append(s))  # fmt: skip
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        seconds = time.monotonic() - began
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert sent[-1] >= PROJECT_MB * 1024 * 1024  # the whole zip went up
        assert peak < MAX_PEAK_MB * 1024 * 1024, f"peak traced allocations {peak / 2**20:.1f} MB"
        assert (rss_after - rss_before) * 1024 < 64 * 1024 * 1024, "resident memory grew with the project"
        log = io.StringIO()
        run = ws.v1.runs.wait("big", run_id, log_sink=log, poll_interval=0.2, max_poll_interval=1)
    assert run_status(run) == "Completed"
    assert f"SIZE {PROJECT_MB * 1024 * 1024}" in log.getvalue()
    print(f"submitted {PROJECT_MB} MB in {seconds:.1f} s; peak traced {peak / 2**20:.1f} MB")
