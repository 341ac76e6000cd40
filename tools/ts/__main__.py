"""`python -m tools.ts`: generate TypeScript types from specs/ and type-check tools/ts/client.ts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.ts.check import HERE, check, node_tools_present


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ts", description=__doc__)
    parser.add_argument("--workdir", type=Path, default=HERE, help="where build/ goes (default: tools/ts)")
    args = parser.parse_args(argv)
    if not node_tools_present():
        print("node and node_modules (npm ci) are needed: openapi-typescript and tsc")
        return 1
    result = check(args.workdir)
    if not result.ok:
        print(result.client_output + result.negative_output)
    print(result.message)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
