"""The pure parts of run monitoring: run ids, the wait clock, the log follower, the upload file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from azureml_rest.run_submission import RUN_ID_RE, UploadFile, new_run_id, progress_printer
from azureml_rest.run_waiting import LogFollower, WaitClock, pick_driver_log


def test_new_run_id_form_and_uniqueness() -> None:
    ids = {new_run_id("my-first-experiment") for _ in range(200)}
    assert len(ids) == 200
    for rid in ids:
        assert re.fullmatch(r"my-first-experiment_\d{13}_[0-9a-f]{8}", rid)
        assert RUN_ID_RE.match(rid)
    long = new_run_id("e" * 300)
    assert len(long) == 256 and RUN_ID_RE.match(long)


def test_pick_driver_log() -> None:
    assert pick_driver_log(["azureml-logs/55_azureml-execution.txt", "azureml-logs/70_driver_log.txt"]) == (
        "azureml-logs/70_driver_log.txt"
    )
    assert pick_driver_log(["logs/x.txt", "azureml-logs/70_driver_log_1.txt", "azureml-logs/70_driver_log_0.txt"]) == (
        "azureml-logs/70_driver_log_0.txt"
    )
    assert pick_driver_log(["logs/other.txt"]) is None


def test_clock_does_not_count_queued_time_emulator_order() -> None:
    # emulator: Starting -> Queued -> Preparing -> Running
    clock = WaitClock(timeout=10, interval=1, backoff=1.5, max_interval=10)
    clock.observe("Starting", 0)
    clock.observe("Queued", 1)
    assert clock.remaining(500) is None  # an hour queued does not count
    clock.observe("Preparing", 600)
    assert clock.remaining(605) == pytest.approx(5)


def test_clock_does_not_count_queued_time_service_order() -> None:
    # service: Starting -> Preparing (image build) -> Queued -> Running
    clock = WaitClock(timeout=10, interval=1, backoff=1.5, max_interval=10)
    for t, status in enumerate(("NotStarted", "Starting", "Preparing", "Queued")):
        clock.observe(status, t)
    assert clock.remaining(100) is None
    clock.observe("Running", 100)
    assert clock.remaining(104) == pytest.approx(6)


def test_clock_starts_for_unknown_and_terminal_statuses() -> None:
    clock = WaitClock(timeout=3, interval=1, backoff=1.5, max_interval=10)
    clock.observe("SomethingNew", 5)
    assert clock.remaining(6) == pytest.approx(2)


def test_backoff_grows_to_the_cap_and_restarts_on_change() -> None:
    clock = WaitClock(timeout=None, interval=1, backoff=1.5, max_interval=3)
    assert clock.observe("Running", 0) is True
    assert [clock.next_delay(0) for _ in range(5)] == [1, 1.5, 2.25, 3, 3]
    assert clock.observe("Running", 1) is False
    assert clock.next_delay(1) == 3
    assert clock.observe("Finalizing", 2) is True
    assert clock.next_delay(2) == 1


def test_delay_never_overshoots_the_timeout() -> None:
    clock = WaitClock(timeout=2, interval=5, backoff=1.5, max_interval=10)
    clock.observe("Running", 0)
    assert clock.next_delay(1.5) == pytest.approx(0.51)


def test_clock_refuses_bad_settings() -> None:
    with pytest.raises(ValueError):
        WaitClock(timeout=None, interval=0, backoff=1.5, max_interval=10)
    with pytest.raises(ValueError):
        WaitClock(timeout=None, interval=1, backoff=0.5, max_interval=10)


def _resp(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers or {})


def test_log_follower_decodes_across_chunks_and_skips_what_was_sent() -> None:
    got: list[str] = []
    f = LogFollower(got.append)
    text = "héllo ✓\n".encode()
    f.emit(text[:2])  # splits the two-byte "é"
    f.emit(text[2:])
    assert "".join(got) == "héllo ✓\n" and f.offset == len(text)
    # a server that ignores Range answers 200 with everything: drop what was already passed on
    assert f.skip_for(_resp(200)) == len(text)
    # 206 from the offset: nothing to drop; 206 from an earlier byte: drop the overlap
    assert f.skip_for(_resp(206, {"content-range": f"bytes {len(text)}-20/21"})) == 0
    assert f.skip_for(_resp(206, {"content-range": "bytes 3-20/21"})) == len(text) - 3
    assert f.skip_for(_resp(416)) is None and f.skip_for(_resp(404)) is None


def test_log_follower_writes_to_streams() -> None:
    out = io.StringIO()
    f = LogFollower(out)
    f.emit(b"abc\xe2")
    f.finish()  # an incomplete character at the very end is replaced, not lost silently
    assert out.getvalue() == "abc\ufffd"


def test_log_follower_keeps_the_first_log_chosen() -> None:
    f = LogFollower(lambda s: None)
    f.choose({"azureml-logs/70_driver_log_1.txt": "u1"})
    f.choose({"azureml-logs/70_driver_log.txt": "u0", "azureml-logs/70_driver_log_1.txt": "u1b"})
    assert (f.name, f.url) == ("azureml-logs/70_driver_log_1.txt", "u1b")


def test_upload_file_counts_bytes_and_attempts(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(b"x" * 1000)
    seen: list[tuple[int, int]] = []
    with UploadFile(path, 1000, lambda s, t: seen.append((s, t))) as f:
        while f.read(300):
            pass
        assert f.attempts == 1 and f.sent == 1000
        f.seek(0)  # what httpx does before sending the part again (a retry)
        f.read(400)
        assert f.attempts == 2 and f.sent == 400
    assert seen == [(300, 1000), (600, 1000), (900, 1000), (1000, 1000), (400, 1000)]


def test_progress_printer_reports_rate() -> None:
    out = io.StringIO()
    report = progress_printer(out, min_interval=0)
    report(1024 * 1024, 4 * 1024 * 1024)
    report(4 * 1024 * 1024, 4 * 1024 * 1024)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("uploaded 1.0 of 4.0 MB (25%), ") and lines[0].endswith(" MB/s")
    assert lines[1].startswith("uploaded 4.0 of 4.0 MB (100%)")
