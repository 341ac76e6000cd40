"""Upload progress per block (azureml_rest._upload_progress and ``BlobContainerClient.upload_file(on_progress=)``),
on a mock transport behind the real retry transport: a block the transport sends again counts once, the values
only grow and end at the file's size, whatever order the parallel blocks finish in; sync and async."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
import pytest
from azureml_rest import blob_protocol as bp
from azureml_rest._async.blob import AsyncBlobContainerClient
from azureml_rest._sync.blob import BlobContainerClient
from azureml_rest._upload_progress import BlockCounter, UploadProgress
from azureml_rest.errors import BlobError
from azureml_rest.retry import RetryPolicy
from azureml_rest.transport import AsyncRetryTransport, RetryTransport

ADDRESS = bp.ContainerUrl("https://acct.blob.core.windows.net/code", "sv=2026-10-06&sig=c2lnbmF0dXJl")
BLOCK = 1000
SIZE = 5 * BLOCK + 123  # six blocks, the last one short


class Storage:
    """A MockTransport handler: stores blocks, answers ``fail`` (a status, or an exception to raise) to the first
    attempt of each block index it names, and counts the attempts per block."""

    def __init__(self, fail: dict[int, int | Exception] | None = None) -> None:
        self.fail = dict(fail or {})
        self.attempts: dict[int, int] = {}
        self.blocks: dict[str, bytes] = {}
        self.committed: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        comp = request.url.params.get("comp")
        if comp == "block":
            ident = request.url.params["blockid"]
            index = int(base64.b64decode(ident))
            with self.lock:
                self.attempts[index] = self.attempts.get(index, 0) + 1
                failure = self.fail.pop(index, None)
            if isinstance(failure, Exception):
                raise failure
            if failure is not None:
                return httpx.Response(failure, headers={"x-ms-error-code": "ServerBusy"})
            self.blocks[ident] = request.read()
            return httpx.Response(201)
        if comp == "blocklist":
            self.committed = [e.split("</Latest>")[0] for e in request.read().decode().split("<Latest>")[1:]]
            return httpx.Response(201)
        self.blocks["<blob>"] = request.read()
        return httpx.Response(201)


def _policy() -> RetryPolicy:
    return RetryPolicy(rand=lambda: 0.0)


def _sync_client(storage: Storage) -> BlobContainerClient:
    http = httpx.Client(transport=RetryTransport(httpx.MockTransport(storage), _policy(), sleep=lambda s: None))
    return BlobContainerClient(http, lambda url: None, ADDRESS, concurrency=4, block_size=BLOCK,
                               single_put_size=BLOCK)


def _async_client(storage: Storage) -> AsyncBlobContainerClient:
    async def no_sleep(seconds: float) -> None:
        return None

    http = httpx.AsyncClient(transport=AsyncRetryTransport(httpx.MockTransport(storage), _policy(), sleep=no_sleep))
    return AsyncBlobContainerClient(http, lambda url: None, ADDRESS, concurrency=4, block_size=BLOCK,
                                    single_put_size=BLOCK)


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "weights.bin"
    path.write_bytes(bytes(i % 251 for i in range(SIZE)))
    return path


def _check(reports: list[int], storage: Storage, path: Path) -> None:
    assert len(reports) == 6  # one report per block: the retried ones counted once
    assert reports == sorted(reports) and len(set(reports)) == len(reports)  # strictly growing
    assert 0 < reports[0] and reports[-1] == SIZE
    assert storage.attempts[1] == 2 and storage.attempts[4] == 2  # those two blocks really went twice
    assert b"".join(storage.blocks[i] for i in storage.committed) == path.read_bytes()


def test_sync_blocks_report_each_acknowledged_block_once(big_file: Path) -> None:
    storage = Storage({1: 503, 4: httpx.ReadError("connection dropped")})
    reports: list[int] = []
    _sync_client(storage).upload_file("weights.bin", big_file, on_progress=reports.append)
    _check(reports, storage, big_file)


def test_async_blocks_report_each_acknowledged_block_once(big_file: Path) -> None:
    storage = Storage({1: 503, 4: httpx.ReadError("connection dropped")})
    reports: list[int] = []

    async def main() -> None:
        await _async_client(storage).upload_file("weights.bin", big_file, on_progress=reports.append)

    anyio.run(main)
    _check(reports, storage, big_file)


def test_single_put_reports_once_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_bytes(b"x" * 700)
    reports: list[int] = []
    storage = Storage()
    _sync_client(storage).upload_file("small.txt", path, on_progress=reports.append)
    assert reports == [700] and storage.blocks["<blob>"] == path.read_bytes()


def test_a_block_that_keeps_failing_stops_the_upload_short_of_its_size(big_file: Path) -> None:
    storage = Storage({2: 403})  # not retried: the upload fails, and progress never claims the whole file
    reports: list[int] = []
    with pytest.raises(BlobError):
        _sync_client(storage).upload_file("weights.bin", big_file, on_progress=reports.append)
    assert reports == sorted(reports) and (not reports or reports[-1] < SIZE)
    assert storage.committed == []


def _from_threads(calls: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=c) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_block_counter_adds_from_many_threads_in_order() -> None:
    reports: list[int] = []
    counter = BlockCounter(reports.append)
    def adder() -> None:
        for _ in range(200):
            counter.add(3)

    _from_threads([adder] * 8)
    assert reports == list(range(3, 8 * 200 * 3 + 1, 3))


def test_upload_progress_sums_files_opens_at_zero_and_closes_at_total() -> None:
    events: list[tuple[int, int]] = []
    progress = UploadProgress(4000, lambda s, t: events.append((s, t)))
    progress.start()
    parts = [progress.file() for _ in range(4)]

    def feed(part: Callable[[int], None]) -> Callable[[], None]:
        def run() -> None:
            for n in (250, 250, 500, 1000):  # a repeated value adds nothing
                part(n)

        return run

    _from_threads([feed(p) for p in parts])
    progress.finish()
    assert events[0] == (0, 4000) and events[-1] == (4000, 4000)
    sent = [s for s, _ in events]
    assert sent == sorted(sent) and len(set(sent)) == len(sent)
    assert len(events) == 1 + 4 * 3  # the start, then three growths per file; finish adds nothing


def test_upload_progress_caps_a_grown_file_and_completes_a_shrunk_one() -> None:
    grown: list[tuple[int, int]] = []
    progress = UploadProgress(100, lambda s, t: grown.append((s, t)))
    progress.start()
    progress.file()(150)
    progress.finish()
    assert grown == [(0, 100), (100, 100)]

    shrunk: list[tuple[int, int]] = []
    progress = UploadProgress(100, lambda s, t: shrunk.append((s, t)))
    progress.start()
    progress.file()(60)
    progress.finish()
    assert shrunk == [(0, 100), (60, 100), (100, 100)]

    empty: list[tuple[int, int]] = []
    progress = UploadProgress(0, lambda s, t: empty.append((s, t)))
    progress.start()
    progress.file()(0)
    progress.finish()
    assert empty == [(0, 0)]  # first and last at once
