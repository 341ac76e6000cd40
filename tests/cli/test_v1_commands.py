"""The legacy v1 commands at home under ``azureml-rest v1`` and, for people's scripts, at the top level: the same
command modules answer both spellings over real HTTP, and neither path touches a deprecated handle attribute
(``ws.runs``...): every warning is recorded around the real calls and none is the v1 alias warning."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.cli.conftest import COMPUTE, invoke

EXPERIMENT = "cli-v1-exp"
ALIAS_WARNING = "is the legacy v1 API"  # the text of every ws.<v1 group> alias warning (tests/unit/test_legacy_v1.py)


@contextmanager
def no_alias_warnings() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # each warning every time, not once per code location
        yield
    assert [str(w.message) for w in seen if ALIAS_WARNING in str(w.message)] == []


def _json(*argv: str) -> Any:
    code, out, err = invoke(*argv)
    assert code == 0, err
    return json.loads(out)


def test_v1_run_and_the_top_level_run_are_one_command(ws_args: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    folder.joinpath("hello.py").write_text('import sys\nprint("hello, v1", sys.argv[1:])\n')
    with no_alias_warnings():
        run = _json(*ws_args, "v1", "run", "submit", str(folder), "--experiment", EXPERIMENT, "--script", "hello.py",
                    "--target", COMPUTE, "--arg", "1", "--wait")
        assert run["status"] == "Completed"
        run_id = run["runId"]
        assert _json(*ws_args, "run", "show", run_id, "-e", EXPERIMENT)["runId"] == run_id
        assert _json(*ws_args, "v1", "run", "show", run_id, "-e", EXPERIMENT)["status"] == "Completed"
        listed = [r["runId"] for r in _json(*ws_args, "v1", "run", "list", "-e", EXPERIMENT)]
        assert listed == [r["runId"] for r in _json(*ws_args, "run", "list", "-e", EXPERIMENT)] == [run_id]
        names = [e["name"] for e in _json(*ws_args, "v1", "experiment", "list")]
        assert EXPERIMENT in names and names == [e["name"] for e in _json(*ws_args, "experiment", "list")]
        services = _json(*ws_args, "v1", "service", "list")
        assert isinstance(services, list) and services == _json(*ws_args, "service", "list")
        assert _json(*ws_args, "v1", "model", "list", "--run-id", run_id) == []


def test_v1_score_and_score_reach_the_same_service_lookup(ws_args: list[str]) -> None:
    with no_alias_warnings():
        for argv in (["v1", "score"], ["score"]):
            code, out, err = invoke(*ws_args, *argv, "--service", "no-such-service", "--data", '{"data": [[1]]}')
            assert (code, out) == (4, "") and "no-such-service" in err, err  # 4: not found, asked of the service
