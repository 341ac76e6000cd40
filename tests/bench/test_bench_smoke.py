"""``python -m benchmarks --quick`` runs end to end and prints a table naming every benchmark.

No timing is asserted anywhere: the figures depend on the machine; only that each benchmark ran.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.serial  # it measures: alone, after the parallel run
def test_quick_run_prints_every_benchmark(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.__main__ import BENCHMARKS
    finally:
        sys.path.remove(str(ROOT))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *(p for p in [env.get("PYTHONPATH")] if p)])
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("machine: ")
    lines = done.stdout.splitlines()
    assert any(line.startswith("benchmark") and "ratio" in line and "goal" in line for line in lines)
    for name in BENCHMARKS:
        assert any(line.startswith(f"{name}.") for line in lines), f"no row for {name}:\n{done.stdout}"
    data = json.loads(out.read_text())
    assert {r["name"].split(".", 1)[0] for r in data["results"]} == set(BENCHMARKS)
    assert not data["failed"]
    # The current API's rows measured both sides (not skipped) where their references are installed, as in the
    # gate's environment: a reference that stopped being reachable would otherwise pass unnoticed.
    references = {"upload": ("azure.storage.blob",), "jobsubmit": ("azure.ai.ml", "azure.identity"),
                  "firstcall": ("azure.ai.ml", "azure.identity")}
    for name, modules in references.items():
        if not all(importlib.util.find_spec(m) for m in modules):
            continue
        rows = [r for r in data["results"] if r["name"].startswith(f"{name}.") and r["goal"] != "-"]
        assert rows, f"no row with a goal for {name}"
        for r in rows:
            assert r["ratio"] is not None and not r["note"].startswith("skipped"), r
