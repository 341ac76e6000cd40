"""The ``azureml-rest`` command line (conventions of ``az``; argparse only), built on the library's public API.

``main(argv)`` returns the exit status (listed in ``azureml-rest --help``). Importing this package loads neither
httpx nor the generated clients nor the emulator: every command imports the library when it runs.

Rooms: :mod:`.parser` (the argparse tree; the only importer of the command modules), :mod:`.app` (one
invocation), :mod:`.context` (options -> library objects), :mod:`.output` (JSON/table/tsv), :mod:`.progress`
(stderr), :mod:`.errors` (exit statuses, one-line errors), :mod:`.arguments` (helpers for command modules), and
one module per command group: ``tokens``, ``scoring``, ``emulator``, ``groups``, ``workspaces``,
``experiments``, ``computes``, ``runs``, ``models``, ``services``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``azureml-rest`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from .app import run

    return run(argv)
