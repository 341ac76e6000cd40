"""Child processes the benchmarks time or read: the interleaved wall-time loop over fresh processes (the
``import`` and ``firstcall`` rows) and the one-shot measuring children that print one JSON line (``submit``,
``upload``)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping


def _shown(cmd: list[str], width: int = 80) -> str:
    """The command for an error message, each argument cut to ``width`` characters (``-c`` scripts and cloud
    metadata are long; the secrets travel in the environment, never on the command line)."""
    return " ".join(a if len(a) <= width else a[: width - 3] + "..." for a in cmd)


def time_process(name: str, cmd: list[str], env: dict[str, str], timeout: float) -> float:
    """Wall seconds of one run of ``cmd`` (stdout discarded); raises, with the command and its stderr's tail,
    when it fails."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{name} ({_shown(cmd)}) exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-800:]}")
    return elapsed


def timed_processes(cmds: Mapping[str, list[str]], env: dict[str, str], runs: int, *, warm: bool = True,
                    timeout: float) -> dict[str, list[float]]:
    """Wall seconds of ``runs`` fresh processes per command, interleaved: round ``i`` runs the commands in their
    order rotated by ``i`` (``names[k:] + names[:k]``), so slow phases of the machine spread evenly over them.
    With ``warm``, each command runs once first, untimed (bytecode caches, the OS file cache)."""
    names = list(cmds)
    if warm:
        for n in names:
            time_process(n, cmds[n], env, timeout)
    times: dict[str, list[float]] = {n: [] for n in names}
    for i in range(runs):
        k = i % len(names)
        for n in names[k:] + names[:k]:
            times[n].append(time_process(n, cmds[n], env, timeout))
    return times



def json_child(module: str, args: list[str], stdin: str, env: dict[str, str], what: str,
               timeout: float = 3600) -> dict[str, float]:
    """Run ``python -m module *args`` under this interpreter with ``stdin`` (a token) on its standard input and
    return the JSON object of its last stdout line; raises, naming ``what`` with its stderr's tail, on failure."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr[-1500:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
