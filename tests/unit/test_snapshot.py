"""The project snapshot: the gitignore matcher, .amlignore/.gitignore precedence, limits, the streamed zip."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from azureml_rest.snapshot import (
    MAX_SNAPSHOT_BYTES,
    MAX_SNAPSHOT_FILES,
    IgnoreRules,
    ScriptNotFoundError,
    SnapshotError,
    SnapshotTooLargeError,
    build_snapshot,
    collect_files,
    normalise_script,
)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def names(root: Path) -> list[str]:
    return [f.arcname for f in collect_files(root)]


# --- the matcher ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        # no slash: matches a name at any depth
        ("*.log", "a.log", False, True),
        ("*.log", "deep/er/a.log", False, True),
        ("*.log", "a.logx", False, None),
        ("*.log", "a/b.txt", False, None),
        # "*" and "?" do not cross "/"
        ("a*c", "abc", False, True),
        ("a*c", "a/c", False, None),
        ("a?c", "abc", False, True),
        ("a?c", "a/c", False, None),
        # leading "/" anchors to the ignore file's folder
        ("/build", "build", True, True),
        ("/build", "src/build", True, None),
        # an inner "/" anchors too
        ("doc/frotz", "doc/frotz", False, True),
        ("doc/frotz", "a/doc/frotz", False, None),
        # trailing "/" matches folders only
        ("out/", "out", True, True),
        ("out/", "out", False, None),
        ("out/", "x/out", True, True),
        # "**/" any number of folders (zero included), "/**" everything inside, "/**/" in between
        ("**/logs", "logs", True, True),
        ("**/logs", "a/b/logs", True, True),
        ("**/logs/debug.txt", "x/logs/debug.txt", False, True),
        ("data/**", "data/a/b.csv", False, True),
        ("data/**", "data", True, None),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**/b", "ab", False, None),
        # other runs of asterisks are ordinary "*"
        ("foo**bar", "fooXbar", False, True),
        ("foo**bar", "foo/bar", False, None),
        # character classes, negated classes
        ("file[0-9].txt", "file7.txt", False, True),
        ("file[!0-9].txt", "file7.txt", False, None),
        ("file[!0-9].txt", "fileA.txt", False, True),
        # escapes
        ("\\#notacomment", "#notacomment", False, True),
        ("\\!important", "!important", False, True),
        ("a\\*b", "a*b", False, True),
        ("a\\*b", "axb", False, None),
    ],
)
def test_pattern(pattern: str, path: str, is_dir: bool, expected: bool | None) -> None:
    assert IgnoreRules.parse(pattern).match(path, is_dir=is_dir) is expected


def test_negation_last_rule_wins() -> None:
    rules = IgnoreRules.parse("*.csv\n!keep.csv\n")
    assert rules.match("data.csv", is_dir=False) is True
    assert rules.match("keep.csv", is_dir=False) is False
    again = IgnoreRules.parse("!keep.csv\n*.csv\n")  # order matters: the later rule wins
    assert again.match("keep.csv", is_dir=False) is True


def test_comments_blank_lines_and_trailing_spaces() -> None:
    rules = IgnoreRules.parse("# a comment\n\n   \nsecret.txt   \nspace\\ \n")
    assert len(rules) == 2
    assert rules.match("secret.txt", is_dir=False) is True
    assert rules.match("space ", is_dir=False) is True
    assert rules.match("# a comment", is_dir=False) is None


def test_is_ignored_covers_files_inside_ignored_folders() -> None:
    rules = IgnoreRules.parse("build/\n!build/keep.txt\n")
    # git cannot re-include a file whose folder is excluded
    assert rules.is_ignored("build/keep.txt")
    assert rules.is_ignored("build/x/y.o")
    assert not rules.is_ignored("src/main.py")


# --- walking a project ---------------------------------------------------------------------------------------


def test_amlignore_wins_over_gitignore(tmp_path: Path) -> None:
    write(tmp_path, {
        "train.py": "print(1)",
        "data.csv": "1,2",
        "notes.md": "x",
        ".gitignore": "*.csv\n",
        ".amlignore": "*.md\n",
    })  # fmt: skip
    # .amlignore replaces .gitignore in its folder: data.csv is uploaded, notes.md is not
    assert names(tmp_path) == [".amlignore", ".gitignore", "data.csv", "train.py"]


def test_gitignore_used_without_amlignore_and_git_folder_skipped(tmp_path: Path) -> None:
    write(tmp_path, {
        "train.py": "print(1)",
        ".gitignore": "/outputs/\n*.pyc\n!important.pyc\n",
        "outputs/model.pkl": b"\x00",
        "pkg/mod.pyc": b"\x00",
        "pkg/important.pyc": b"\x00",
        "pkg/outputs/kept.txt": "anchored rule: only the top-level outputs/ is ignored",
        ".git/HEAD": "ref: refs/heads/main",
        "sub/.git": "gitdir: ../.git/modules/sub",
    })  # fmt: skip
    assert names(tmp_path) == [".gitignore", "pkg/important.pyc", "pkg/outputs/kept.txt", "train.py"]


def test_nested_ignore_files_apply_below_their_folder(tmp_path: Path) -> None:
    write(tmp_path, {
        "train.py": "",
        "a/.amlignore": "*.bin\n",
        "a/x.bin": b"1",
        "x.bin": b"2",
        ".amlignore": "!a/x.bin\n",
    })  # fmt: skip
    assert names(tmp_path) == [".amlignore", "a/.amlignore", "train.py", "x.bin"]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "", "real/f.txt": "x"})
    os.symlink(tmp_path / "real", tmp_path / "loop")
    os.symlink(tmp_path / "real" / "f.txt", tmp_path / "link.txt")
    assert names(tmp_path) == ["link.txt", "real/f.txt", "train.py"]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="does not exist"):
        collect_files(tmp_path / "nope")


# --- script and limits --------------------------------------------------------------------------------------


def test_script_must_exist(tmp_path: Path) -> None:
    write(tmp_path, {"other.py": ""})
    with pytest.raises(ScriptNotFoundError, match=r"'train.py' is not in the project folder .*other.py"):
        build_snapshot(tmp_path, script="train.py")


def test_script_left_out_by_ignore_file_is_named(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "", ".amlignore": "*.py\n"})
    with pytest.raises(ScriptNotFoundError, match="ignore file"):
        build_snapshot(tmp_path, script="train.py")


@pytest.mark.parametrize("bad", ["/etc/passwd", "../x.py", "C:/x.py", ""])
def test_script_path_must_be_relative(bad: str) -> None:
    with pytest.raises(ScriptNotFoundError):
        normalise_script(bad)


def test_script_path_normalised() -> None:
    assert normalise_script("./src\\train.py") == "src/train.py"


def test_limits_are_the_services() -> None:
    assert MAX_SNAPSHOT_BYTES == 300 * 1024 * 1024
    assert MAX_SNAPSHOT_FILES == 2000


def test_too_many_bytes_refused_with_numbers_and_offenders(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "x", "big.bin": b"\x00" * 3000, "mid.bin": b"\x00" * 1500, "small.txt": "y"})
    with pytest.raises(SnapshotTooLargeError) as info:
        build_snapshot(tmp_path, script="train.py", max_bytes=4000)
    err = info.value
    assert err.total_bytes == 4502 and err.max_bytes == 4000 and err.file_count == 4
    assert err.largest[0] == ("big.bin", 3000)
    text = str(err)
    assert "4502 bytes" in text and "4000 bytes" in text and "big.bin" in text and "mid.bin" in text
    assert "Nothing was uploaded" in text


def test_too_many_files_refused_with_numbers(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "", **{f"many/f{i}.txt": "" for i in range(12)}})
    with pytest.raises(SnapshotTooLargeError) as info:
        build_snapshot(tmp_path, script="train.py", max_files=10)
    assert info.value.file_count == 13
    assert "13 files, over the limit of 10" in str(info.value)
    assert "many/ (12 files)" in str(info.value)


def test_ignored_files_do_not_count_towards_limits(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "", "data/huge.bin": b"\x00" * 5000, ".amlignore": "data/\n"})
    with build_snapshot(tmp_path, script="train.py", max_bytes=1000) as snap:
        assert snap.names == [".amlignore", "train.py"]


# --- the zip ------------------------------------------------------------------------------------------------


def test_zip_content_and_cleanup(tmp_path: Path) -> None:
    payload = os.urandom(100_000) + b"\r\n--+++\r\n" + os.urandom(1000)
    write(tmp_path / "proj", {"train.py": "print(1)", "sub/data.bin": payload})
    with build_snapshot(tmp_path / "proj", script="train.py") as snap:
        assert snap.file_count == 2 and snap.total_bytes == len(payload) + 8
        assert snap.size == snap.path.stat().st_size
        with zipfile.ZipFile(snap.path) as zf:
            assert sorted(zf.namelist()) == ["sub/data.bin", "train.py"]
            assert zf.read("sub/data.bin") == payload
        path = snap.path
    assert not path.exists()


def test_old_timestamps_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": ""})
    os.utime(tmp_path / "train.py", (0, 0))  # 1970: before the zip format's 1980 epoch
    with build_snapshot(tmp_path, script="train.py") as snap:
        assert snap.names == ["train.py"]
