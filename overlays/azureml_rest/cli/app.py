"""One invocation of ``azureml-rest``: parse, build the :class:`~.context.Context`, run the handler, print its
result, and turn any failure into one stderr line and an exit status (:mod:`.errors`)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import TextIO

from .arguments import Handler
from .context import Context
from .errors import EXIT_OK, EXIT_USAGE, describe_error, print_debug_detail
from .parser import build_parser

__all__ = ["run"]

LIBRARY_LOGGER = "azureml_rest"


def _configure_logging(debug: bool, err: TextIO) -> logging.Handler | None:
    """``--debug``: the library's DEBUG records (already redacted by the library) on ``err``."""
    if not debug:
        return None
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(LIBRARY_LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the command, print its result; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
        if extra and not getattr(args, "_passthrough", False):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse already printed
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    args._extra = extra
    handler: Handler | None = getattr(args, "_handler", None)
    if handler is None:  # pragma: no cover - argparse enforces a sub-command
        parser.print_usage(err)
        return EXIT_USAGE
    ctx = Context(args, out=out, err=err)
    log_handler = _configure_logging(ctx.debug, err)
    try:
        result = handler(ctx)
        if isinstance(result, int) and not isinstance(result, bool) and getattr(args, "_returns_status", False):
            return result
        ctx.emit(result, getattr(args, "_columns", ()))
        return EXIT_OK
    except (Exception, KeyboardInterrupt) as exc:
        code, line = describe_error(exc)
        if ctx.debug:
            print_debug_detail(exc, err)
        err.write(line + "\n")
        err.flush()
        return code
    finally:
        try:
            ctx.close()
        finally:
            if log_handler is not None:
                logging.getLogger(LIBRARY_LOGGER).removeHandler(log_handler)
