"""The ``azureml-rest`` command line (conventions of ``az``; argparse only).

``main(argv)`` returns the exit status (listed in ``azureml-rest --help``). Importing this package loads neither
httpx nor the generated clients nor the emulator: every command imports the library when it runs.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``azureml-rest`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from ._app import run

    return run(argv)
