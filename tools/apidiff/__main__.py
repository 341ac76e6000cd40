"""Command line: `python -m tools.apidiff OLD NEW [--format text|md]` or `... bump GROUP VERSION`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.apidiff.diff import compare
from tools.apidiff.report import markdown, text
from tools.apidiff.surface import load_yaml, surface


def diff_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.apidiff", description="List what changed between two OpenAPI 3.0 specs."
    )
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--format", choices=("text", "md"), default="text", help="output format (default: text)")
    parser.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a breaking change is found")
    args = parser.parse_args(argv)
    old, new = surface(load_yaml(args.old.read_text())), surface(load_yaml(args.new.read_text()))
    found = compare(old, new)
    if args.format == "md":
        sys.stdout.write(markdown(found, old, new, str(args.old), str(args.new)))
    else:
        sys.stdout.write(text(found))
    return 1 if args.fail_on_breaking and any(c.breaking for c in found) else 0


def bump_main(argv: list[str]) -> int:
    from tools.apidiff.bump import bump

    parser = argparse.ArgumentParser(
        prog="python -m tools.apidiff bump",
        description="Create specs/versions/GROUP-VERSION.yaml, its change report and its client package.",
    )
    parser.add_argument("group")
    parser.add_argument("version")
    parser.add_argument("--changes", type=Path, help="changes file (default: tools/apidiff/changes/GROUP-VERSION.yaml)")
    parser.add_argument("--out", type=Path, help="where the client package goes (default: generated/)")
    parser.add_argument("--no-generate", action="store_true", help="write the spec and the report only")
    args = parser.parse_args(argv)
    if not args.no_generate:
        from generator.regen import check_toolchain

        check_toolchain()
    result = bump(args.group, args.version, args.changes, out_dir=args.out, generate_client=not args.no_generate)
    breaking = sum(c.breaking for c in result.changes)
    print(
        f"wrote {result.spec_path} and {result.report_path} "
        f"({breaking} breaking, {len(result.changes) - breaking} other)"
    )
    print("api-version default moved on: " + (", ".join(result.api_version_parameters) or "nothing"))
    if result.package_dir:
        print(f"generated {result.package_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "bump":
        return bump_main(args[1:])
    return diff_main(args)


if __name__ == "__main__":
    sys.exit(main())
