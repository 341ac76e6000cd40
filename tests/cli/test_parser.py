"""The parser itself: --help on every command, exit codes of usage errors, --help stays free of httpx."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from azureml_rest.cli import main
from azureml_rest.cli.errors import EXIT_USAGE
from azureml_rest.cli.parser import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found.extend(_leaf_commands(sub, (*prefix, name)))
    return found


COMMANDS = _leaf_commands(build_parser())


def test_the_command_set_is_complete() -> None:
    expected = {
        ("token",), ("discovery",), ("score",), ("emulator",),
        *[("group", v) for v in ("list", "show", "create", "delete")],
        *[("workspace", v) for v in ("list", "show", "create", "delete")],
        ("experiment", "list"),
        *[("compute", v) for v in ("list", "show", "create", "delete")],
        *[("run", v) for v in ("submit", "show", "wait", "logs", "cancel", "list")],
        *[("v1", "model", v) for v in ("list", "register", "show", "delete")],
        # the legacy v1 API at home under `v1`; run, experiment, service and score also at the top level (above)
        ("v1", "score"), ("v1", "experiment", "list"),
        *[("v1", "run", v) for v in ("submit", "show", "wait", "logs", "cancel", "list")],
        *[("v1", "service", v) for v in ("create", "list", "show", "keys", "regenerate-key", "delete")],
        *[("service", v) for v in ("create", "list", "show", "keys", "regenerate-key", "delete")],
        # the current API, with az ml v2's names
        *[("job", v) for v in ("create", "show", "list", "stream", "cancel", "download")],
        *[("model", v) for v in ("create", "show", "list", "archive")],
        *[("environment", v) for v in ("create", "show", "list")],
        *[("datastore", v) for v in ("list", "show")],
        *[("online-endpoint", v) for v in ("create", "show", "list", "update", "delete", "get-credentials",
                                           "invoke")],
        *[("online-deployment", v) for v in ("create", "show", "list", "update", "get-logs", "delete")],
    }
    groups = {tuple(c[:i]) for c in expected for i in range(1, len(c))}
    # Exactly these: the demo is not a command (it runs as `python -m demo` from the repository).
    assert set(COMMANDS) == expected | groups


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_for_every_command(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage:" in out
    if command != ("emulator",):  # the emulator prints its own help
        assert "exit status:" in out and "--endpoint" in out


@pytest.mark.parametrize("name", ["run", "experiment", "service", "score"])
def test_the_top_level_v1_groups_say_they_are_legacy(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    notice = f"legacy v1 API (deprecated 2025-03-31): also `azureml-rest v1 {name}`"
    assert main(["--help"]) == 0
    listed = " ".join(capsys.readouterr().out.split())
    assert f"{name} {notice}" in listed
    assert main([name, "--help"]) == 0
    assert notice in capsys.readouterr().out
    assert main(["v1", name, "--help"]) == 0  # at home under v1: no notice
    assert "usage: azureml-rest v1 " + name in (out := capsys.readouterr().out) and notice not in out


def test_top_level_help_lists_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for line in ("3  authentication", "4  not found", "5  a run or long-running operation ended Failed"):
        assert line in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert main(["group", "frobnicate"]) == EXIT_USAGE
    assert main(["run", "submit", "."]) == EXIT_USAGE  # --experiment, --script, --target missing
    assert main(["group", "list", "--bogus"]) == EXIT_USAGE
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_missing_credentials_or_subscription_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["group", "list"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: no credentials: missing --tenant-id/AZURE_TENANT_ID, --client-id/AZURE_CLIENT_ID, "
                   "--client-secret/AZURE_CLIENT_SECRET"]
    assert main(["--tenant-id", "t", "--client-id", "c", "--client-secret", "s", "group", "list"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: no subscription: pass --subscription or set AZURE_SUBSCRIPTION_ID"]


def test_missing_workspace_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--subscription", "s", "-g", "rg", "compute", "list"]) == EXIT_USAGE
    assert "pass --workspace/-w" in capsys.readouterr().err


def test_help_does_not_import_httpx_generated_or_emulator() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("overlays", "generated", "emulator"))}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from azureml_rest.cli import main; main(['--help'])"],
        capture_output=True, text=True, env=env, check=True, cwd=ROOT,
    )
    assert "usage: azureml-rest" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "azureml_rest.cli.parser" in imported  # the measurement itself works
    heavy = sorted(m for m in imported if m.split(".")[0] in (
        "httpx", "httpcore", "azureml_management_client", "azureml_history_client", "azureml_emulator",
        "uvicorn", "starlette"))
    assert heavy == []


def test_bad_cloud_or_endpoint_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    creds = ["--tenant-id", "t", "--client-id", "c", "--client-secret", "s", "--subscription", "sub"]
    assert main([*creds, "--cloud", "Mars", "group", "list"]) == EXIT_USAGE
    assert "unknown cloud 'Mars'" in capsys.readouterr().err
    assert main(["--endpoint", "not-a-url", "group", "list"]) == EXIT_USAGE
    assert "expected an absolute URL" in capsys.readouterr().err


def test_online_endpoint_auth_mode_choices_are_the_yaml_files_auth_modes() -> None:
    """``--auth-mode`` spells out yaml_specs' AUTH_MODES keys (importing them would load PyYAML for --help)."""
    from azureml_rest.yaml_specs.specs import AUTH_MODES

    parser = build_parser()
    for name in ("online-endpoint", "create"):
        (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = subparsers.choices[name]
    (auth_mode,) = [a for a in parser._actions if "--auth-mode" in a.option_strings]
    assert tuple(auth_mode.choices or ()) == tuple(AUTH_MODES)
