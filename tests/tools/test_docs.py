"""tools.docs: Redocly renders every spec, and each page shows every operation of its spec."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tools.apidiff.surface import METHODS
from tools.docs.build import REDOCLY, build

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs").glob("*.yaml"))

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not REDOCLY.exists(), reason="node and node_modules (npm ci) are needed for Redocly"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("docs")
    build(ROOT / "specs", target)
    yield target


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_page_shows_every_operation(out: Path, spec: Path) -> None:
    page = (out / f"{spec.stem}.html").read_text()
    doc = yaml.safe_load(spec.read_text())
    ops = [op for item in doc["paths"].values() for m, op in item.items() if m in METHODS]
    assert ops
    for op in ops:
        assert op["operationId"] in page, op["operationId"]
        assert html.escape(op["summary"], quote=False) in page, op["summary"]


def test_index_links_every_page(out: Path) -> None:
    index = (out / "index.html").read_text()
    for spec in SPECS:
        assert f'href="{spec.stem}.html"' in index
