"""Errors a person can act on: one line on stderr, a meaningful exit status, detail only with --debug."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from azureml_rest.cli import main
from azureml_rest.cli.errors import EXIT_AUTH, EXIT_ERROR, EXIT_FAILED, EXIT_NOT_FOUND, describe_error
from azureml_rest.errors import BadRequestError

from tests.emulator_fixture import EmulatorFactory

WRONG_SECRET = "not-the-secret-XYZ"


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, err
    return errors[0]


def test_wrong_secret_exit_3_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "--client-secret", WRONG_SECRET, "group", "list"]) == EXIT_AUTH
    captured = capsys.readouterr()
    assert captured.out == ""
    line = _one_error_line(captured.err)
    assert captured.err.strip() == line  # nothing else without --debug
    assert "AADSTS7000215" in line and "Hint: check the client secret" in line
    assert "Invalid client secret provided" in line and "Trace ID" not in line
    assert WRONG_SECRET not in captured.err


def test_wrong_secret_with_debug_shows_detail_but_no_secret(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "--client-secret", WRONG_SECRET, "--debug", "token"]) == EXIT_AUTH
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "DEBUG azureml_rest.transport: request POST" in err  # every request is logged
    assert err.strip().splitlines()[-1].startswith("error: authentication failed")
    assert WRONG_SECRET not in err


def test_debug_logging_redacts_the_token(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "--debug", "--output", "json", "token", "--show-secret"]) == 0
    captured = capsys.readouterr()
    import json

    token = json.loads(captured.out)["accessToken"]
    assert "DEBUG azureml_rest" in captured.err
    assert token not in captured.err and "emulator-dev-secret" not in captured.err


@pytest.mark.parametrize("command", [["workspace", "show"], ["discovery"], ["experiment", "list"],
                                     ["compute", "list"], ["v1", "model", "list"],
                                     ["model", "list"], ["job", "list"], ["datastore", "list"]])
def test_unknown_workspace_exit_4(url: str, ws_args: list[str], command: list[str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "-g", "cli-rg", "-w", "no-such-ws", *command]) == EXIT_NOT_FOUND
    line = _one_error_line(capsys.readouterr().err)
    assert "no-such-ws" in line and "HTTP 404" in line and "request id" in line


def test_unknown_resource_group_exit_4(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", url, "group", "show", "no-such-rg"]) == EXIT_NOT_FOUND
    line = _one_error_line(capsys.readouterr().err)
    assert "no-such-rg" in line and "ResourceGroupNotFound" in line


def test_missing_compute_on_run_submit(ws_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "hello.py").write_text('print("Hello, REST!")\n')
    code = main([*ws_args, "run", "submit", str(tmp_path), "-e", "cli-err", "--script", "hello.py",
                 "--target", "no-such-compute"])
    assert code == EXIT_NOT_FOUND
    line = _one_error_line(capsys.readouterr().err)
    assert "'no-such-compute' was not found" in line and "ComputeNotFound" in line
    assert "Hint: create it first: azureml-rest compute create" in line


def test_missing_script_on_run_submit(ws_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ws_args, "run", "submit", str(tmp_path), "-e", "cli-err", "--script", "nope.py",
                 "--target", "local"]) == EXIT_ERROR
    line = _one_error_line(capsys.readouterr().err)
    assert "nope.py" in line


def test_failed_run_exit_5_with_the_runs_error(ws_args: list[str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "fail.py").write_text('import sys\nprint("about to fail")\nsys.exit(3)\n')
    code = main([*ws_args, "run", "submit", str(tmp_path), "-e", "cli-err", "--script", "fail.py",
                 "--target", "cpu-compute", "--wait"])
    assert code == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.out == ""
    line = _one_error_line(captured.err)
    assert "ended with status Failed" in line and "exit code 3" in line and "(UserError)" in line
    run_id = line.split("error: run ", 1)[1].split(" ", 1)[0]
    assert main([*ws_args, "-o", "tsv", "run", "show", "-e", "cli-err", run_id]) == 0
    status, error = capsys.readouterr().out.rstrip("\n").split("\t")[1::3]
    assert status == "Failed" and "exit code 3" in error  # the table's Error column


def test_rejected_api_version_is_one_line_with_a_hint(url: str, ws_args: list[str]) -> None:
    # The commands send the contract's api-version; a direct library call with a bad one shows how the CLI
    # reports the strict emulator's (and ARM's) refusal.
    from azureml_management_client.api.workspaces import workspaces_list_by_subscription
    from azureml_rest._call import call_detailed
    from azureml_rest.client import AzureML

    with AzureML.for_emulator(url) as ml:
        with pytest.raises(BadRequestError) as info:
            call_detailed(workspaces_list_by_subscription.sync_detailed, ml.subscription_id, client=ml.client(),
                          api_version="1999-01-01")
    code, line = describe_error(info.value)
    assert code == EXIT_ERROR
    assert line.startswith("error: The api-version '1999-01-01' is invalid.")
    assert "(InvalidApiVersionParameter; HTTP 400" in line
    assert "Hint: use an api-version the service lists as supported" in line
    assert "\n" not in line


def test_emulator_command_without_the_extra(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "azureml_emulator.cli", None)  # import now raises ModuleNotFoundError
    assert main(["emulator", "--port", "0"]) == EXIT_ERROR
    line = _one_error_line(capsys.readouterr().err)
    assert "pip install 'azureml-rest[emulator]'" in line


def test_emulator_command_passes_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    import azureml_emulator.cli as emulator_cli

    seen: list[list[str]] = []
    def fake_main(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr(emulator_cli, "main", fake_main)
    assert main(["emulator", "--port", "8123", "--lax-api-version"]) == 0
    assert seen == [["--port", "8123", "--lax-api-version"]]


def test_ca_file_trusts_a_tls_emulator(capsys: pytest.CaptureFixture[str], emulator_factory: EmulatorFactory) -> None:
    with emulator_factory(tls=True, lro_delay=0.05) as emu:
        assert emu.base_url.startswith("https://") and emu.ca_file is not None
        # Without the CA the TLS handshake fails: one line, not an auth failure.
        assert main(["--endpoint", emu.base_url, "token"]) == EXIT_ERROR
        line = _one_error_line(capsys.readouterr().err)
        assert "ConnectError" in line and "--ca-file" in line
        assert main(["--endpoint", emu.base_url, "--ca-file", str(emu.ca_file), "group", "list"]) == 0
        assert capsys.readouterr().out.strip() == "[]"
