"""`python -m tools.docs`: render every spec to HTML with Redocly (docs/_build/<group>.html + index.html)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.docs.build import ROOT, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_build", help="default: docs/_build")
    parser.add_argument("--specs", type=Path, default=ROOT / "specs")
    args = parser.parse_args(argv)
    pages = build(args.specs, args.out)
    print(f"wrote {len(pages)} pages and index.html into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
