"""``azureml-rest v1 run submit|show|wait|logs|cancel|list`` (execution + run history, legacy v1 API: deprecated
2025-03-31; also ``azureml-rest run ...`` for existing scripts; the current API's runs are ``job``).

Streamed logs (``--stream``) go to stderr with the other progress, so stdout stays the JSON of the run;
``run logs`` prints the driver log itself on stdout.
"""

from __future__ import annotations

import argparse
from typing import Any

from .arguments import SubParsers, add_command, add_group, legacy_help
from .context import Context
from .errors import UsageError
from .output import Column

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("RunId", "runId"),
    Column("Status", "status"),
    Column("Target", "target"),
    Column("Created", "createdUtc"),
    Column("Error", "error.error.message"),
)


def _wait(ctx: Context, experiment: str, run_id: str) -> Any:
    a = ctx.args
    sink = ctx.err.write if getattr(a, "stream", False) else None
    ctx.progress.line(f"run: waiting for {run_id}")
    return ctx.workspace().v1.runs.wait(experiment, run_id, timeout=getattr(a, "timeout", None),
                                     on_status=ctx.progress.run_status, log_sink=sink)


def _submit(ctx: Context) -> Any:
    a = ctx.args
    if not a.definition and not (a.script and a.target):
        raise UsageError("run submit needs --script and --target (or a --definition file that names them)")
    runs = ctx.workspace().v1.runs
    # None (not an empty list) when not given, so a definition file's own values stay.
    run_id = runs.submit(
        a.experiment, a.source_dir, script=a.script, target=a.target, arguments=tuple(a.arg) if a.arg else None,
        definition=a.definition, run_id=a.run_id, max_run_duration=a.max_run_duration,
        on_progress=ctx.progress.upload,
    )
    ctx.progress.line(f"run: submitted {run_id} to experiment {a.experiment}")
    if a.wait or a.stream:
        return _wait(ctx, a.experiment, run_id)
    return {"runId": run_id, "experiment": a.experiment}


def _show(ctx: Context) -> Any:
    return ctx.workspace().v1.runs.get(ctx.args.experiment, ctx.args.run_id)


def _wait_cmd(ctx: Context) -> Any:
    return _wait(ctx, ctx.args.experiment, ctx.args.run_id)


def _logs(ctx: Context) -> Any:
    ctx.workspace().v1.runs.stream_logs(ctx.args.experiment, ctx.args.run_id, ctx.out.write)
    return None


def _cancel(ctx: Context) -> Any:
    run_id = ctx.workspace().v1.runs.cancel(ctx.args.experiment, ctx.args.run_id)
    return {"runId": run_id or ctx.args.run_id, "cancelRequested": True}


def _list(ctx: Context) -> Any:
    return list(ctx.workspace().v1.runs.list(ctx.args.experiment))


def _experiment(p: argparse.ArgumentParser) -> None:
    p.add_argument("--experiment", "-e", required=True, help="experiment name")


def _run_id(p: argparse.ArgumentParser) -> None:
    _experiment(p)
    p.add_argument("run_id", metavar="RUN_ID")


def _wait_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stream", action="store_true", help="stream the driver log to stderr while waiting")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="give up after this long once the run left Queued (exit 6)")


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser, *,
             top_level: bool = False) -> None:
    """Under ``azureml-rest v1``; ``top_level``: also at the top level, its help saying it is legacy."""
    g = add_group(sub, "run", legacy_help("run", "experiment runs (needs -g and -w)", top_level=top_level))
    p = add_command(g, "submit", _submit, "zip SOURCE_DIR, start a run (startrun) and optionally wait", common,
                    columns=COLUMNS)
    p.add_argument("source_dir", metavar="SOURCE_DIR", help="project folder (honours .amlignore / .gitignore)")
    _experiment(p)
    p.add_argument("--script", help="entry script, relative to SOURCE_DIR (e.g. hello.py; required without "
                   "--definition)")
    p.add_argument("--target", help="compute target name (e.g. cpu-compute) or 'local' (required without "
                   "--definition)")
    p.add_argument("--arg", action="append", metavar="A",
                   help="script argument (repeatable; write --arg=-x for values starting with '-')")
    p.add_argument("--definition", metavar="FILE",
                   help="a definition.json (the article's PascalCase or camelCase); given options override it")
    p.add_argument("--run-id", help="choose the run id (default: generated on the client, retry-safe)")
    p.add_argument("--max-run-duration", type=int, metavar="SECONDS", help="MaxRunDurationSeconds")
    p.add_argument("--wait", action="store_true", help="wait for a terminal status (exit 5 if it fails)")
    _wait_options(p)
    p = add_command(g, "show", _show, "show one run", common, columns=COLUMNS)
    _run_id(p)
    p = add_command(g, "wait", _wait_cmd, "wait for a run to finish (exit 5 if it fails)", common, columns=COLUMNS)
    _run_id(p)
    _wait_options(p)
    p = add_command(g, "logs", _logs, "print the run's driver log", common)
    _run_id(p)
    p = add_command(g, "cancel", _cancel, "cancel a run", common)
    _run_id(p)
    p = add_command(g, "list", _list, "list runs of an experiment", common, columns=COLUMNS)
    _experiment(p)
