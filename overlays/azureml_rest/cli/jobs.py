"""``azureml-rest job create|show|list|stream|cancel|download`` (current API, az ml v2's ``job`` commands).

``job create -f job.yml`` reads an az ml command job file (``commandJob.schema.json``); ``--stream`` (and ``job
stream``) follow the job's log on stderr while waiting, so stdout stays the JSON of the job. Upload progress
(``upload: ...``) and every status change of a followed job (``job: Running (3.0 s)``) go to stderr too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .arguments import SubParsers, add_command, add_group
from .context import Context
from .output import Column
from .v2_assets import asset_id, create_environment, load_spec, note_ignored

__all__ = ["COLUMNS", "register"]

COLUMNS = (
    Column("Name", "name"),
    Column("Status", "properties.status"),
    Column("Type", "properties.jobType"),
    Column("Experiment", "properties.experimentName"),
    Column("Compute", "properties.computeId", lambda v: str(v).rsplit("/", 1)[-1]),
)


def _ops(ctx: Context) -> Any:
    return ctx.workspace().jobs


def _status(job: Any) -> str:
    from azureml_rest.operations.jobs import job_status

    return str(job_status(job))


def _follow(ctx: Context, name: str) -> Any:
    """Wait for the job, its log lines on stderr; the final job (exit 5 when it failed, 6 on --timeout)."""
    ctx.progress.line(f"job: streaming {name}")

    def line(text: str) -> None:
        ctx.err.write(text + "\n")
        ctx.err.flush()

    job = _ops(ctx).wait(name, timeout=getattr(ctx.args, "timeout", None), on_log_line=line,
                         on_status=ctx.progress.job_status)
    ctx.progress.line(f"job: {name} {_status(job)}")
    return job


def _create(ctx: Context) -> Any:
    from azureml_rest.yaml_specs import load_job

    a = ctx.args
    spec = load_spec(load_job, a.file, a.set)
    note_ignored(ctx, spec.ignored)
    environment = None
    if spec.inline_environment is not None:
        environment = str(create_environment(ctx, spec.inline_environment).id)
    elif spec.environment is not None and spec.environment.startswith("azureml:"):
        environment = asset_id(ctx, "environments", spec.environment)  # name:version, or name@latest looked up
    kwargs = spec.submit_kwargs(environment=environment)
    if a.name:
        kwargs["name"] = a.name
    if a.experiment_name:
        kwargs["experiment_name"] = a.experiment_name
    if spec.code is not None:
        ctx.progress.line(f"job: code from {spec.code} (uploaded unless already there)")
    job = _ops(ctx).submit(**kwargs, on_progress=ctx.progress.job_upload)
    ctx.progress.line(f"job: created {job.name} ({_status(job)})")
    if a.stream:
        return _follow(ctx, str(job.name))
    return job


def _show(ctx: Context) -> Any:
    return _ops(ctx).get(ctx.args.name)


def _list(ctx: Context) -> Any:
    view = "All" if ctx.args.all_results else "ActiveOnly"
    jobs = _ops(ctx).list(list_view_type=view)
    limit = ctx.args.max_results
    return [j for i, j in zip(range(limit), jobs, strict=False)] if limit else list(jobs)


def _stream(ctx: Context) -> Any:
    return _follow(ctx, ctx.args.name)


def _cancel(ctx: Context) -> Any:
    _ops(ctx).cancel(ctx.args.name)
    ctx.progress.line(f"job: cancel requested for {ctx.args.name}")
    return {"name": ctx.args.name, "cancelRequested": True}


def _download(ctx: Context) -> Any:
    a = ctx.args
    target = Path(a.download_path or ".") / a.name
    files = _ops(ctx).download_outputs(a.name, target, output_name=a.output_name or "default")
    ctx.progress.line(f"job: downloaded {len(files)} file(s) to {target}")
    return {"name": a.name, "outputName": a.output_name or "default", "downloadPath": str(target),
            "files": [str(f) for f in files]}


def _name(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", "-n", required=True, help="the job's name")


def register(sub: SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    g = add_group(sub, "job", "command jobs of the current API, az ml v2's `job` (needs -g and -w)")
    p = add_command(g, "create", _create, "submit a command job from an az ml YAML file", common, columns=COLUMNS)
    p.add_argument("--file", "-f", required=True, metavar="YAML", help="a commandJob file (paths relative to it)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a field by dotted path, e.g. inputs.n=3 or resources.instance_count=2")
    p.add_argument("--name", "-n", help="the job's name (default: the file's, else a fresh one)")
    p.add_argument("--experiment-name", "-e", help="the experiment (default: the file's)")
    p.add_argument("--stream", "-s", action="store_true", help="follow the log on stderr until the job ends")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="with --stream: give up waiting (exit 6)")
    p = add_command(g, "show", _show, "show one job", common, columns=COLUMNS)
    _name(p)
    p = add_command(g, "list", _list, "list the workspace's jobs", common, columns=COLUMNS)
    p.add_argument("--all-results", action="store_true", help="archived jobs too")
    p.add_argument("--max-results", "-r", type=int, metavar="N", help="at most N jobs")
    p = add_command(g, "stream", _stream, "follow a job's log on stderr until it ends (exit 5 if it fails)",
                    common, columns=COLUMNS)
    _name(p)
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give up waiting (exit 6)")
    p = add_command(g, "cancel", _cancel, "cancel a job", common)
    _name(p)
    p = add_command(g, "download", _download, "download a finished job's output", common)
    _name(p)
    p.add_argument("--download-path", "-p", metavar="DIR", help="where to (default: the current folder); files go "
                   "to DIR/NAME")
    p.add_argument("--output-name", help="which output (default: the job's default artifacts output)")
