"""tools.unasync: the sync twin of an async sample, and --check failing on a stale, missing or orphaned file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import unasync

SAMPLE = '''"""Things, async."""

from __future__ import annotations

import httpx

from .._call import acall, acall_detailed
from ..lro import AsyncPoller
from ..paging import AsyncPager, Page


class AsyncThingOperations:
    """See ``Azure-AsyncOperation``."""

    def list(self) -> AsyncPager[int]:
        async def get_page(token: str | None) -> Page[int]:
            return Page([await acall(int, things_list.asyncio_detailed, client=await self._ws.aclient("g"))], None)

        return AsyncPager(get_page)

    async def begin(self) -> AsyncPoller[None]:
        resp = await acall_detailed(things_create.asyncio_detailed, client=await self._ws.aclient("g"))
        return AsyncPoller("Things_Create", resp, client=await self._ws.httpx_client("g"))

    async def keys(self) -> str:
        return (await self._ws.services.keys("s")).primary_key

    async def read(self, client: httpx.AsyncClient) -> bytes:
        async with client.stream("GET", "u") as r:
            await r.aread()
            return b"".join([c async for c in r.aiter_bytes()])

    async def aclose(self) -> None:
        await anyio.sleep(0)

    async def __aenter__(self) -> AsyncThingOperations:
        return self
'''

EXPECTED = '''"""Things, async."""

from __future__ import annotations

import httpx

from .._call import call, call_detailed
from ..lro import Poller
from ..paging import Page, Pager


class ThingOperations:
    """See ``Azure-AsyncOperation``."""

    def list(self) -> Pager[int]:
        def get_page(token: str | None) -> Page[int]:
            return Page([call(int, things_list.sync_detailed, client=self._ws.client("g"))], None)

        return Pager(get_page)

    def begin(self) -> Poller[None]:
        resp = call_detailed(things_create.sync_detailed, client=self._ws.client("g"))
        return Poller("Things_Create", resp, client=self._ws.httpx_client("g"))

    def keys(self) -> str:
        return self._ws.services.keys("s").primary_key

    def read(self, client: httpx.Client) -> bytes:
        with client.stream("GET", "u") as r:
            r.read()
            return b"".join([c for c in r.iter_bytes()])

    def close(self) -> None:
        time.sleep(0)

    def __enter__(self) -> ThingOperations:
        return self
'''


def test_converts_a_sample() -> None:
    assert unasync.unasync_text(SAMPLE) == EXPECTED


def test_import_names_are_put_back_in_isort_order() -> None:
    text = "from x import (\n    AsyncPager,\n    Page,\n    async_fetch,\n    CONST,\n)\nfrom y import AsyncB, A\n"
    expected = "from x import (\n    CONST,\n    Page,\n    Pager,\n    fetch,\n)\nfrom y import A, B\n"
    assert unasync.unasync_text(text) == expected


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "things.py").write_text(SAMPLE)
    return tmp_path


PAIRS = [("src", "out")]


def test_write_then_check_passes_and_names_the_source(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert unasync.main([], root=tree, pairs=PAIRS) == 0
    written = (tree / "out" / "things.py").read_text()
    assert written.splitlines()[0] == "# Generated from src/things.py by `python -m tools.unasync`: do not edit."
    assert written.endswith(EXPECTED)
    assert unasync.main(["--check"], root=tree, pairs=PAIRS) == 0


def test_check_fails_on_a_stale_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unasync.main([], root=tree, pairs=PAIRS)
    capsys.readouterr()
    (tree / "src" / "things.py").write_text(SAMPLE.replace("Things_Create", "Things_Make"))
    assert unasync.main(["--check"], root=tree, pairs=PAIRS) == 1
    assert "stale: out/things.py" in capsys.readouterr().err


def test_check_fails_on_a_hand_edit_a_missing_file_and_an_orphan(tree: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    unasync.main([], root=tree, pairs=PAIRS)
    capsys.readouterr()
    target = tree / "out" / "things.py"
    target.write_text(target.read_text() + "# a hand edit\n")
    (tree / "src" / "more.py").write_text("async def f() -> None: ...\n")
    (tree / "out" / "gone.py").write_text("")
    assert unasync.main(["--check"], root=tree, pairs=PAIRS) == 1
    err = capsys.readouterr().err
    assert "stale: out/things.py" in err and "missing: out/more.py" in err
    assert "orphaned (no source): out/gone.py" in err
    unasync.main([], root=tree, pairs=PAIRS)  # writing repairs all three
    assert not (tree / "out" / "gone.py").exists()
    assert unasync.check(tree, PAIRS) == []


def test_the_repository_is_current() -> None:
    assert unasync.check() == []
