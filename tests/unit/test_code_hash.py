"""The code folder hash is azure-ai-ml's (hash version 202208), so either tool reuses the other's upload."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from azureml_rest.code_hash import HASH_VERSION, content_hash, list_code_files


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


def test_hash_of_a_known_folder_is_the_restated_algorithm(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src", {"b.txt": b"bb", "A/x.py": b"print(1)\n"})
    # by hand: count, then "#name#size" sorted by lower-cased name, then the bytes in that order
    expected = hashlib.sha256(b"2" + b"#A/x.py#9" + b"#b.txt#2" + b"print(1)\n" + b"bb").hexdigest()
    assert content_hash(list_code_files(root)) == expected
    assert HASH_VERSION == "202208"


def test_single_file_and_missing_path(tmp_path: Path) -> None:
    f = tmp_path / "one.py"
    f.write_bytes(b"x")
    assert content_hash(list_code_files(f)) == hashlib.sha256(b"1#one.py#1x").hexdigest()
    with pytest.raises(FileNotFoundError):
        list_code_files(tmp_path / "nope")


def test_amlignore_wins_over_gitignore_and_files_are_judged_one_by_one(tmp_path: Path) -> None:
    root = _tree(tmp_path / "p", {
        ".amlignore": b"logs/\n*.tmp\n!keep.tmp\n",
        ".gitignore": b"*.py\n",
        "train.py": b"1", "a.tmp": b"2", "keep.tmp": b"3", "logs/run.txt": b"4", "logs/deep/x": b"5",
        "sub/logs": b"6",
    })
    names = [f.name for f in list_code_files(root)]
    assert names == [".amlignore", ".gitignore", "keep.tmp", "sub/logs", "train.py"]


HASH_CASES: list[dict[str, bytes]] = [
    {"a.txt": b"a", "b.txt": b"b"},
    {"a.txt": b"ab.txtb"},
    {"Z.py": b"z", "a/B.py": b"", "a/b/c.txt": b"ccc", "README": b"r" * 3000},
    {".gitignore": b"build/\n*.pyc\n", "m.py": b"m", "m.pyc": b"c", "build/out": b"o", "pkg/build/o2": b"o"},
    {".amlignore": b"/data\n!data/keep.csv\ndocs/**/*.md\n", "data/x.csv": b"1", "data/keep.csv": b"2",
     "docs/a/b.md": b"3", "docs/c.txt": b"4", "sub/data/y": b"5"},
    {".amlignore": b"# comment\n\n*.log\n", "x.log": b"", "y/z.log": b"", "y/ok": b"k"},
]


@pytest.mark.parametrize("files", HASH_CASES)
def test_same_hash_as_azure_ai_ml(tmp_path: Path, files: dict[str, bytes]) -> None:
    asset_utils = pytest.importorskip("azure.ai.ml._utils._asset_utils")
    root = _tree(tmp_path / "proj", files)
    ours = content_hash(list_code_files(root))
    theirs = asset_utils.get_content_hash(root, asset_utils.get_ignore_file(root))
    assert ours == theirs
    assert str(asset_utils.get_content_hash_version()) == HASH_VERSION


def test_symlinked_file_hashes_its_target_under_the_link_name(tmp_path: Path) -> None:
    root = _tree(tmp_path / "s", {"real.txt": b"content"})
    os.symlink(root / "real.txt", root / "link.txt")
    files = list_code_files(root)
    assert [(f.name, f.size) for f in files] == [("link.txt", 7), ("real.txt", 7)]
    asset_utils = pytest.importorskip("azure.ai.ml._utils._asset_utils")
    assert content_hash(files) == asset_utils.get_content_hash(root, asset_utils.get_ignore_file(root))
