"""Generate TypeScript types for every spec and type-check the hand-written client (and the negative case)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = ROOT / "node_modules" / ".bin"
SOURCES = ("client.ts", "negative.ts", "tsconfig.json", "tsconfig.negative.json")  # gen-types.mjs runs in place


@dataclass
class Result:
    ok: bool
    client_output: str
    negative_output: str
    message: str


def node_tools_present() -> bool:
    return shutil.which("node") is not None and (BIN / "openapi-typescript").exists() and (BIN / "tsc").exists()


def generate_types(specs: Path, out: Path) -> list[Path]:
    """build/<group>.ts for every specs/*.yaml, with openapi-typescript (pinned in package.json) in one Node run."""
    run = subprocess.run(
        ["node", str(HERE / "gen-types.mjs"), str(specs), str(out)], capture_output=True, text=True, cwd=ROOT
    )
    if run.returncode != 0:
        raise RuntimeError(f"openapi-typescript failed:\n{run.stdout}{run.stderr}")
    return sorted(out.glob("*.ts"))


def tsc(*projects: Path) -> list[tuple[int, str]]:
    """Run `tsc --noEmit -p` on each project at once (two cores: the checks are independent)."""
    procs = [
        subprocess.Popen(
            [str(BIN / "tsc"), "--noEmit", "-p", str(p)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=p.parent,
        )
        for p in projects
    ]
    return [(proc.wait(), proc.communicate()[0]) for proc in procs]


def check(workdir: Path = HERE, specs: Path = ROOT / "specs") -> Result:
    """Generate types into workdir/build and run both tsc checks. workdir defaults to tools/ts itself."""
    if workdir.resolve() != HERE:
        workdir.mkdir(parents=True, exist_ok=True)
        for name in SOURCES:
            shutil.copy(HERE / name, workdir / name)
    generate_types(specs, workdir / "build")
    (good, client_out), (bad, negative_out) = tsc(workdir / "tsconfig.json", workdir / "tsconfig.negative.json")
    if good != 0:
        return Result(False, client_out, negative_out, "client.ts does not type-check against the generated types")
    if bad == 0 or "discoveryURL" not in negative_out:
        return Result(False, client_out, negative_out, "negative.ts type-checked: the proof cannot fail")
    return Result(
        True, client_out, negative_out, "client.ts type-checks; negative.ts is rejected (wrong property discoveryURL)"
    )
