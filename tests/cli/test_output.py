"""Output formatting and the error -> exit status mapping, on values (no server needed)."""

from __future__ import annotations

import io
import json

import httpx
from azureml_rest.cli.errors import EXIT_AUTH, EXIT_ERROR, EXIT_FAILED, EXIT_NOT_FOUND, EXIT_TIMEOUT, describe_error
from azureml_rest.cli.output import Column, emit
from azureml_rest.errors import (
    CredentialError,
    OperationFailedError,
    OperationTimeoutError,
    error_from_parts,
)

ROWS = [{"name": "a", "properties": {"state": "Succeeded"}}, {"name": "bb", "properties": {"state": None}}]
COLS = (Column("Name", "name"), Column("State", "properties.state"))


def _emit(result: object, fmt: str, columns: tuple[Column, ...] = COLS) -> str:
    out = io.StringIO()
    emit(result, fmt, columns, out)
    return out.getvalue()


def test_json_table_tsv() -> None:
    assert json.loads(_emit(ROWS, "json")) == ROWS
    table = _emit(ROWS, "table").splitlines()
    assert table[0].split() == ["Name", "State"]
    assert set(table[1]) == {"-", " "}
    assert table[2].split() == ["a", "Succeeded"]
    assert table[3].split() == ["bb"]
    assert _emit(ROWS, "tsv") == "a\tSucceeded\nbb\t\n"


def test_flat_map_table_is_key_value() -> None:
    lines = _emit({"api": "https://x", "history": "https://y"}, "table", ()).splitlines()
    assert lines[0].split() == ["Key", "Value"]
    assert lines[2].split() == ["api", "https://x"]


def test_none_prints_nothing() -> None:
    assert _emit(None, "json") == ""


def _aad_wrong_secret() -> CredentialError:
    return CredentialError("token request failed", error="invalid_client", error_code="AADSTS7000215",
                           description="AADSTS7000215: Invalid client secret provided.", status_code=401)


def test_error_lines_and_codes() -> None:
    code, line = describe_error(_aad_wrong_secret())
    assert code == EXIT_AUTH
    assert line.startswith("error: authentication failed") and "AADSTS7000215" in line
    assert "Hint: check the client secret" in line

    nf = error_from_parts(404, {"x-ms-request-id": "req-1"},
                          b'{"error": {"code": "ResourceNotFound", "message": "Workspace nope was not found."}}',
                          method="GET", url="http://127.0.0.1:1/subscriptions/s/x?api-version=2019-11-01")
    code, line = describe_error(nf)
    assert code == EXIT_NOT_FOUND
    assert line.startswith("error: Workspace nope was not found.")
    assert "(ResourceNotFound; HTTP 404; request id req-1)" in line

    compute = error_from_parts(400, {}, b'{"error": {"code": "ComputeNotFound", "message": "no such compute"}}')
    code, line = describe_error(compute)
    assert code == EXIT_NOT_FOUND and "compute create" in line

    failed = OperationFailedError("run r1 (experiment e)", "Failed", error_code="UserError", message="exit code 3")
    assert describe_error(failed) == (
        EXIT_FAILED, "error: run r1 (experiment e) ended with status Failed: exit code 3 (UserError)")
    assert describe_error(OperationTimeoutError("op", 5.0, "Running"))[0] == EXIT_TIMEOUT


def test_connection_error_is_one_line() -> None:
    exc = httpx.ConnectError("refused", request=httpx.Request("GET", "http://127.0.0.1:9/x?sig=secret"))
    code, line = describe_error(exc)
    assert code == EXIT_ERROR
    assert line.startswith("error: cannot reach http://127.0.0.1:9: ConnectError")
    assert "secret" not in line and "\n" not in line
