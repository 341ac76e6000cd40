"""tools.ts: TypeScript types generated from every spec type-check a hand-written client; a wrong access fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.ts.check import check, node_tools_present

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not node_tools_present(), reason="node and node_modules (npm ci) are needed for openapi-typescript and tsc"
)


def test_client_type_checks_and_negative_case_fails(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.ok, result.message + "\n" + result.client_output + result.negative_output
    assert result.client_output.strip() == ""
    assert "discoveryURL" in result.negative_output
    assert {p.name for p in (tmp_path / "build").glob("*.ts")} == {
        p.stem + ".ts" for p in (ROOT / "specs").glob("*.yaml")
    }
