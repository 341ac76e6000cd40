"""The REST reference: each spec rendered by Redocly CLI (pinned in package.json) plus an index page linking them."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
#: redocly start-up dominates; two at a time fits the two-core machines
PARALLEL = 2


def build(specs: Path, out: Path) -> list[Path]:
    """<out>/<group>.html for every specs/*.yaml, then index.html (docs/_build/rest/). Raises if Redocly fails."""
    out.mkdir(parents=True, exist_ok=True)
    pending = sorted(specs.glob("*.yaml"))
    pages: list[Path] = []
    while pending:
        batch, pending = pending[:PARALLEL], pending[PARALLEL:]
        procs = [
            (
                spec,
                subprocess.Popen(
                    [str(REDOCLY), "build-docs", str(spec), "--output", str(out / f"{spec.stem}.html")],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                ),
            )
            for spec in batch
        ]
        for spec, proc in procs:
            output = proc.communicate()[0]
            if proc.returncode != 0:
                raise RuntimeError(f"redocly build-docs failed for {spec.name}:\n{output}")
            pages.append(out / f"{spec.stem}.html")
    (out / "index.html").write_text(index(specs, pages))
    return pages


def index(specs: Path, pages: list[Path]) -> str:
    rows = []
    for page in pages:
        info = (yaml.safe_load((specs / f"{page.stem}.yaml").read_text()) or {}).get("info", {})
        title = html.escape(str(info.get("title", page.stem)))
        version = html.escape(str(info.get("version", "")))
        rows.append(f'<li><a href="{html.escape(page.name)}">{title}</a> <small>{version}</small></li>')
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>azureml-rest API reference</title>'
        "</head>\n<body><h1>azureml-rest API reference</h1>\n"
        '<p>One page per operation group, rendered from specs/. <a href="../index.html">Python API and CLI</a></p>\n'
        f"<ul>\n{chr(10).join(rows)}\n</ul>\n</body></html>\n"
    )
