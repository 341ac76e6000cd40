"""tools.public_api: `_EXPORTS` is the one list; `__all__` and the TYPE_CHECKING imports follow it."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.public_api import INIT, MARKER, read_exports, render_block, rewrite

ROOT = Path(__file__).resolve().parents[2]

SOURCE = f'''"""pkg"""
TYPE_CHECKING = False
_EXPORTS: dict[str, str] = {{"Thing": "things", "make_thing": "things", "LIMIT": "consts", "Other": "a.b"}}
__all__ = ["__version__", *_EXPORTS]


{MARKER}
if TYPE_CHECKING:
    from .things import Thing as Thing
'''


def test_committed_block_matches_exports() -> None:
    source = INIT.read_text()
    assert rewrite(source) == source, "run `python -m tools.public_api`"


def test_all_is_exports_plus_version_and_every_name_resolves() -> None:
    package = importlib.import_module("azureml_rest")
    exports = read_exports(INIT.read_text())
    assert sorted(package.__all__) == sorted(["__version__", *exports])
    for name, module in exports.items():
        assert getattr(package, name) is getattr(importlib.import_module(f"azureml_rest.{module}"), name)


@pytest.mark.parametrize(
    "name", ["RetryTransport", "AsyncRetryTransport", "attach", "build_client", "build_async_client",
             "is_retry_safe", "BearerTokenAuth", "KeyAuth"]
)
def test_plumbing_is_not_top_level(name: str) -> None:
    assert name not in read_exports(INIT.read_text())


def test_plumbing_stays_importable_from_its_submodule() -> None:
    package = importlib.import_module("azureml_rest")
    assert package.transport.RetryTransport.__name__ == "RetryTransport"
    with pytest.raises(AttributeError):
        package.no_such_submodule  # noqa: B018


def test_stale_block_is_rewritten_in_ruff_order() -> None:
    fresh = rewrite(SOURCE)
    assert fresh != SOURCE
    assert fresh.split(MARKER)[1].splitlines()[1:] == [
        "if TYPE_CHECKING:",
        "    from .a.b import Other as Other",
        "    from .consts import LIMIT as LIMIT",
        "    from .things import Thing as Thing",
        "    from .things import make_thing as make_thing",
    ]
    assert rewrite(fresh) == fresh


def test_missing_block_is_appended() -> None:
    source = SOURCE.split(MARKER)[0]
    assert rewrite(source).endswith(render_block(read_exports(SOURCE)))


def test_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    init = tmp_path / "__init__.py"
    init.write_text(SOURCE)
    check = [sys.executable, "-m", "tools.public_api", "--check", "--init", str(init)]
    stale = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert init.read_text() == SOURCE
    subprocess.run(check[:3] + check[4:], cwd=ROOT, check=True, capture_output=True)
    assert subprocess.run(check, cwd=ROOT, capture_output=True).returncode == 0


def test_generated_block_is_ruff_clean(tmp_path: Path) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed beside this interpreter")
    init = tmp_path / "__init__.py"
    init.write_text(rewrite(SOURCE))
    out = subprocess.run([str(ruff), "check", "--isolated", "--select", "I", str(init)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_readme_lists_the_public_api() -> None:
    """README's "The Python API" table names exactly azureml_rest.__all__."""
    readme = (ROOT / "README.md").read_text()
    start = readme.index("The public API is what `import azureml_rest` hands on")
    table = readme[start : readme.index("\n\n", readme.index("| group | names |", start))]
    listed = {name for row in table.splitlines()[3:] for name in re.findall(r"`([\w]+)`", row.split("|")[2])}
    package = importlib.import_module("azureml_rest")
    assert listed == set(package.__all__)
    assert f"{len(package.__all__)} names" in readme[start : start + 200]
