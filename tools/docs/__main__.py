"""`python -m tools.docs`: the browsable reference in docs/_build/ (Python API, CLI, and REST pages).

Order matters: mkdocs empties its output folder, so the site is built first and the Redocly pages go into its
rest/ folder after. The CLI page (docs/pages/cli.md) must match the parser: `python -m tools.docs.cli` rewrites it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.docs import cli
from tools.docs.build import ROOT, build
from tools.docs.site import build_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_build", help="default: docs/_build")
    parser.add_argument("--specs", type=Path, default=ROOT / "specs")
    parser.add_argument("--no-site", action="store_true", help="only the Redocly pages (no mkdocs site)")
    args = parser.parse_args(argv)
    if not args.no_site:
        if cli.main(["--check"]) != 0:
            return 1
        build_site(args.out)
    pages = build(args.specs, args.out / "rest")
    print(f"wrote the site and {len(pages)} REST pages into {args.out} (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
