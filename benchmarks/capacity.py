"""7. Emulator capacity: requests per second and p99 latency of a workspace GET (ARM, bearer token checked)
under 50 concurrent clients (async httpx, one connection each, keep-alive) for a fixed time (10 s;
``--quick`` 1 s). The load generator runs in this process, the emulator in its own. Reported without a goal.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from ._context import Context
from ._emulator import emulator
from ._results import Result
from ._seed import create_workspace, ws_path
from ._stats import percentile

NAME = "capacity"
CLIENTS = 50


async def _load(url: str, token: str, seconds: float) -> tuple[int, int, list[float], float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    # Built before the clock starts (each httpx client builds an SSL context, which takes a while).
    clients = [httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30,
                                 trust_env=False) for _ in range(CLIENTS)]
    start = time.perf_counter()
    deadline = start + seconds

    async def drive(c: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                r = await c.get(url, params={"api-version": "2019-11-01"})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    try:
        await asyncio.gather(*(drive(c) for c in clients))
        wall = time.perf_counter() - start  # includes the requests in flight at the deadline
    finally:
        for c in clients:
            await c.aclose()
    return len(latencies), errors, latencies, wall


def run(ctx: Context) -> list[Result]:
    seconds = 1.0 if ctx.quick else 10.0
    with emulator() as emu:
        create_workspace(emu)
        token = emu.token()
        url = f"{emu.base_url}{ws_path()}"
        asyncio.run(_load(url, token, min(1.0, seconds)))  # warm-up
        ctx.log(f"capacity: {CLIENTS} clients for {seconds:.0f} s")
        ok, errors, lat, wall = asyncio.run(_load(url, token, seconds))
    note = f"{ok} requests, {errors} errors in {wall:.1f} s"
    return [
        Result(f"capacity.workspace GET, {CLIENTS} clients (req/s)", ok / wall, None, "req/s", note=note),
        Result(f"capacity.workspace GET, {CLIENTS} clients (p99 latency)", percentile(lat, 99) * 1000, None, "ms",
               note=f"p50 {percentile(lat, 50) * 1000:.1f} ms"),
    ]
