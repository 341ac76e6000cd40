"""``python -m benchmarks._submit_child {ours|raw} BASE_URL PROJECT_DIR RUN_ID`` (token on stdin).

One submission in a process of its own, so its memory baseline is clean: RSS is sampled every 2 ms from
``/proc/self/status`` (psutil when there is no /proc) from just before the submission until it returns.
Prints one JSON line: seconds, baseline and peak RSS (bytes).

- ``ours``: ``ws.v1.runs.submit(...)`` through the overlay (zips to a temporary file, streams it).
- ``raw``: ``zipfile`` (deflate, like the overlay) to a temporary file, then raw ``httpx`` multipart POST of the
  same two parts to ``startrun``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _rss_reader() -> Callable[[], int]:
    if os.path.exists("/proc/self/status"):

        def read() -> int:
            with open("/proc/self/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        return int(line.split()[1]) * 1024
            return 0

        return read
    import psutil  # type: ignore[import-untyped]  # only where /proc is missing

    proc = psutil.Process()
    return lambda: int(proc.memory_info().rss)


class Sampler:
    """Peak RSS seen by a background thread between start() and stop()."""

    def __init__(self, interval: float = 0.002) -> None:
        self._read = _rss_reader()
        self._interval = interval
        self._stop = threading.Event()
        self.baseline = self._read()
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._read())
            self._stop.wait(self._interval)

    def start(self) -> None:
        self.baseline = self._read()
        self.peak = self.baseline
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._read())


DEFINITION = {"Configuration": {"Script": "train.py", "Arguments": [], "Target": "local"}}


def _ours(base_url: str, token: str, project: Path, run_id: str, sampler: Sampler) -> float:
    from azureml_rest.client import AzureML
    from azureml_rest.clouds import Cloud

    from benchmarks._context import StaticTokenCredential
    from benchmarks._emulator import SUBSCRIPTION
    from benchmarks._seed import EXPERIMENT, RG, WS

    credential: Any = StaticTokenCredential(token)
    with AzureML(credential, SUBSCRIPTION, cloud=Cloud.emulator(base_url)) as ml:
        ws = ml.workspace(RG, WS)
        ws.client("execution")  # discovery and client set-up happen before the measured part
        sampler.start()
        t0 = time.perf_counter()
        ws.v1.runs.submit(EXPERIMENT, project, script="train.py", target="local", run_id=run_id,
                       max_snapshot_bytes=1 << 40, max_snapshot_files=100_000)
        took = time.perf_counter() - t0
        sampler.stop()
    return took


def _raw(base_url: str, token: str, project: Path, run_id: str, sampler: Sampler) -> float:
    import httpx

    from benchmarks._seed import EXPERIMENT, ws_path

    url = f"{base_url}/execution/v1.0{ws_path()}/experiments/{EXPERIMENT}/startrun"
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=600, trust_env=False) as client:
        client.get(f"{base_url}/_emulator/health")  # connection warm, like the overlay's
        sampler.start()
        t0 = time.perf_counter()
        fd, name = tempfile.mkstemp(suffix=".zip")
        try:
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(p for p in project.rglob("*") if p.is_file()):
                    zf.write(path, path.relative_to(project).as_posix())
            with open(name, "rb") as payload:
                files: dict[str, Any] = {
                    "runDefinitionFile": ("definition.json", json.dumps(DEFINITION).encode(), "application/json"),
                    "projectZipFile": ("project.zip", payload, "application/zip"),
                }
                r = client.post(url, params={"runId": run_id, "api-version": "2019-11-01"}, files=files)
            r.raise_for_status()
        finally:
            os.unlink(name)
        took = time.perf_counter() - t0
        sampler.stop()
    return took


def main(argv: list[str]) -> int:
    mode, base_url, project, run_id = argv
    token = sys.stdin.readline().strip()
    if mode == "ours":
        import azureml_rest.runs  # noqa: F401  (imports are not part of the measurement)
    else:
        import httpx  # noqa: F401
    sampler = Sampler()
    fn = _ours if mode == "ours" else _raw
    took = fn(base_url, token, Path(project), run_id, sampler)
    print(json.dumps({"seconds": took, "baseline": sampler.baseline, "peak": sampler.peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
