"""``python -m benchmarks [--quick] [--only NAME ...] [--json FILE]``: run the benchmarks, print one table.

Exit status: 0 when every benchmark ran (a MISS is a finding, not a failure), 1 when one raised (its row says
so), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from ._paths import ensure_importable

#: Benchmark name -> module, in the order they run (cheap, in-process ones first).
BENCHMARKS: dict[str, str] = {
    "percall": "percall",
    "concurrency": "concurrency",
    "paging": "paging",
    "capacity": "capacity",
    "submit": "submit",
    "upload": "upload",
    "jobsubmit": "jobsubmit",
    "import": "imports",
    "firstcall": "firstcall",
    "install": "install",
    "regen": "regen",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--quick", action="store_true", help="tiny sizes (about a minute in all); figures are not "
                   "comparable with a full run")
    p.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME",
                   help=f"run only these ({', '.join(BENCHMARKS)})")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_importable()
    from ._context import Context
    from ._machine import describe, header
    from ._results import Result, table

    ctx = Context(quick=args.quick)
    machine = describe()
    results: list[Result] = []
    failed: list[str] = []
    names = args.only or list(BENCHMARKS)
    for name in names:
        module: Any = importlib.import_module(f"benchmarks.{BENCHMARKS[name]}")
        ctx.log(f"== {name}")
        t0 = time.perf_counter()
        try:
            results.extend(module.run(ctx))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            failed.append(name)
            results.append(Result(f"{name}.FAILED", float("nan"), None, "", note=f"{type(exc).__name__}: {exc}"))
        ctx.log(f"== {name} done in {time.perf_counter() - t0:.1f} s")
    print(header(machine))
    print(f"mode: {'quick (tiny sizes)' if args.quick else 'full'}; ratio = ours / reference "
          "(for req/s rows higher is better)")
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "quick": args.quick, "failed": failed,
                                         "results": [r.as_dict() for r in results]}, indent=2, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
