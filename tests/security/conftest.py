"""Fixtures for the security tests: the session's :class:`~tests.reliability.figures.Figures`.

``figures`` collects what the tests measured; at session end it is written to
``<basetemp>/reliability-figures.json`` and printed in the terminal summary (independent of ``-s``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reliability.figures import FIGURES, Figures, terminal_summary


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    terminal_summary(terminalreporter, config)
