"""`python -m tools.fidelity`: every difference from Microsoft's official specs, each with its reason."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.fidelity.compare import JUSTIFICATIONS, OFFICIAL, ROOT, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fidelity", description=__doc__)
    parser.add_argument("--specs", type=Path, default=ROOT / "specs", help="folder of our specs (default: specs/)")
    parser.add_argument("--official", type=Path, default=OFFICIAL, help="folder of official restatements")
    parser.add_argument("--justifications", type=Path, default=JUSTIFICATIONS)
    args = parser.parse_args(argv)
    lines, unjustified, unused = run(args.specs, args.official, args.justifications)
    print("\n".join(lines))
    for pattern in unused:
        print(f"unused justification (matches no difference; remove it): {pattern}")
    if unjustified or unused:
        print(f"FAILED: {len(unjustified)} unjustified differences, {len(unused)} unused justifications")
        return 1
    print("every difference is justified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
