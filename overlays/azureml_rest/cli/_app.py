"""Argument parsing, the per-invocation context, output formatting and the error -> exit status mapping.

Nothing here imports httpx, the generated clients or the emulator: ``azureml-rest --help`` must stay fast.
Command modules register their sub-parsers through :func:`add_command`; each handler takes a :class:`Context`
and returns what to print on stdout (None prints nothing). Progress goes to stderr, so stdout stays clean JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..client import AzureML
    from ..clouds import Cloud
    from ..config import HttpConfig
    from ..workspace import Workspace

__all__ = [
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "Column",
    "Context",
    "Progress",
    "UsageError",
    "add_command",
    "add_group",
    "build_parser",
    "describe_error",
    "run",
]

EXIT_OK = 0
EXIT_ERROR = 1  # any other failure (service error, conflict, bad response, connection refused...)
EXIT_USAGE = 2  # bad or missing arguments (argparse's own code)
EXIT_AUTH = 3  # no token (wrong secret, unknown client) or 401/403 from a service
EXIT_NOT_FOUND = 4  # 404, or a service code ending in NotFound (e.g. ComputeNotFound)
EXIT_FAILED = 5  # a run or long-running operation ended Failed / Canceled
EXIT_TIMEOUT = 6  # gave up waiting (--timeout)
EXIT_INTERRUPTED = 130  # Ctrl-C

EPILOG = """\
exit status:
  0  success
  1  error (service error, conflict, invalid response, connection refused...)
  2  usage error (missing or bad arguments)
  3  authentication / authorization failed (wrong secret, 401, 403)
  4  not found (unknown resource group, workspace, compute, run, model, service)
  5  a run or long-running operation ended Failed or Canceled
  6  timed out waiting (--timeout)
  130 interrupted

environment (used when the option is not given):
  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID, AZURE_AUTHORITY_HOST,
  AZUREML_CLOUD, AZUREML_ENDPOINT, AZUREML_RESOURCE_GROUP, AZUREML_WORKSPACE
  With --endpoint (the local emulator) missing credentials default to the emulator's development account.

output: JSON on stdout (default); progress and errors on stderr. Secrets are never printed unless asked
(token --show-secret; service keys / regenerate-key print the keys they exist to show).
"""

class UsageError(Exception):
    """A missing or inconsistent argument found after parsing (exit status 2)."""


Handler = Callable[["Context"], Any]


@dataclass(frozen=True)
class Column:
    """One table/tsv column: ``header`` and a dotted ``path`` into the JSON form of a result."""

    header: str
    path: str
    fn: Callable[[Any], Any] | None = None


def arm_resource_group(arm_id: Any) -> Any:
    """The resource group named in an ARM id (``/subscriptions/s/resourceGroups/RG/...``), else the value."""
    if isinstance(arm_id, str):
        parts = arm_id.split("/")
        for i, part in enumerate(parts[:-1]):
            if part.lower() == "resourcegroups":
                return parts[i + 1]
    return arm_id


# --- parser ---------------------------------------------------------------------------------------------------


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command accepts, before or after the command name.

    On sub-parsers they default to SUPPRESS so that a value given before the command is not overwritten.
    """
    d: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    g = parser.add_argument_group("global options")
    g.add_argument("--subscription", metavar="ID", help="subscription id (env AZURE_SUBSCRIPTION_ID)", **d)
    g.add_argument("--resource-group", "-g", metavar="NAME", help="resource group (env AZUREML_RESOURCE_GROUP)", **d)
    g.add_argument("--workspace", "-w", metavar="NAME", help="workspace name (env AZUREML_WORKSPACE)", **d)
    g.add_argument("--cloud", metavar="NAME",
                   help="AzureCloud (default), AzureChinaCloud or AzureUSGovernment (env AZUREML_CLOUD)", **d)
    g.add_argument("--endpoint", metavar="URL",
                   help="one base URL for login, ARM and discovery, e.g. the emulator's http://127.0.0.1:PORT "
                        "(env AZUREML_ENDPOINT)", **d)
    g.add_argument("--tenant-id", metavar="ID", help="Azure AD tenant (env AZURE_TENANT_ID)", **d)
    g.add_argument("--client-id", metavar="ID", help="service principal's client id (env AZURE_CLIENT_ID)", **d)
    g.add_argument("--client-secret", metavar="SECRET",
                   help="service principal's secret (env AZURE_CLIENT_SECRET; prefer the environment)", **d)
    g.add_argument("--ca-file", metavar="PEM", help="trust this CA bundle (the emulator's --tls CA)", **d)
    g.add_argument("--output", "-o", choices=("json", "table", "tsv"), help="output format (default json)", **d)
    g.add_argument("--debug", action="store_true",
                   help="DEBUG logging of every request (secrets redacted) and full error detail", **d)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=110)


def build_parser() -> argparse.ArgumentParser:
    """The whole ``azureml-rest`` parser (command modules are imported here; none imports httpx)."""
    from . import computes, experiments, groups, misc, models, runs, services, workspaces

    parser = argparse.ArgumentParser(
        prog="azureml-rest",
        description="Drive Azure Machine Learning over its REST APIs (the article's walkthrough, as commands).",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub.required = True
    for module in (misc, groups, workspaces, experiments, computes, runs, models, services):
        module.register(sub, common)
    return parser


def add_group(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """A command group (``group``, ``workspace``...) whose sub-commands are added with :func:`add_command`."""
    p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=_Formatter, epilog=EPILOG)
    inner = p.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", title="commands")
    inner.required = True
    return inner


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Handler,
    help_text: str,
    common: argparse.ArgumentParser,
    *,
    columns: Sequence[Column] = (),
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A leaf command: accepts the global options too; ``columns`` drive table/tsv output."""
    p = sub.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        parents=[common],
        formatter_class=_Formatter,
        epilog=EPILOG,
    )
    p.set_defaults(_handler=handler, _columns=tuple(columns))
    return p


# --- the per-invocation context -------------------------------------------------------------------------------


class Context:
    """Parsed arguments plus lazily built library objects (nothing touches the network until asked)."""

    def __init__(self, args: argparse.Namespace, *, out: TextIO, err: TextIO,
                 environ: dict[str, str] | None = None) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.environ = dict(os.environ) if environ is None else environ
        self.progress = Progress(err)
        self._ml: AzureML | None = None
        self._ws: Workspace | None = None

    # -- plain settings --

    def opt(self, name: str, *env_names: str) -> str | None:
        """An option's value, else the first non-empty environment variable of ``env_names``."""
        value = getattr(self.args, name, None)
        if value not in (None, ""):
            return str(value)
        for env in env_names:
            v = self.environ.get(env)
            if v:
                return v
        return None

    @property
    def debug(self) -> bool:
        return bool(getattr(self.args, "debug", False))

    @property
    def output(self) -> str:
        return str(getattr(self.args, "output", None) or "json")

    @property
    def endpoint(self) -> str | None:
        return self.opt("endpoint", "AZUREML_ENDPOINT")

    def resource_group_or_none(self) -> str | None:
        return self.opt("resource_group", "AZUREML_RESOURCE_GROUP")

    def resource_group(self) -> str:
        rg = self.resource_group_or_none()
        if rg is None:
            raise UsageError("no resource group: pass --resource-group/-g or set AZUREML_RESOURCE_GROUP")
        return rg

    def workspace_name(self) -> str:
        ws = self.opt("workspace", "AZUREML_WORKSPACE")
        if ws is None:
            raise UsageError("no workspace: pass --workspace/-w or set AZUREML_WORKSPACE")
        return ws

    def subscription_id(self) -> str:
        sub = self.opt("subscription", "AZURE_SUBSCRIPTION_ID")
        if sub is None and self.endpoint:
            from ..client import EMULATOR_ACCOUNT

            sub = EMULATOR_ACCOUNT["subscription_id"]
        if sub is None:
            raise UsageError("no subscription: pass --subscription or set AZURE_SUBSCRIPTION_ID")
        return sub

    def cloud(self) -> Cloud:
        from ..clouds import Cloud, get_cloud

        try:
            if self.endpoint:
                return Cloud.emulator(self.endpoint)
            return get_cloud(self.opt("cloud", "AZUREML_CLOUD") or "AzureCloud")
        except ValueError as exc:  # an unknown cloud name, or an --endpoint that is not an absolute URL
            raise UsageError(str(exc)) from None

    def http_config(self) -> HttpConfig:
        from ..config import HttpConfig

        ca = self.opt("ca_file")
        if ca is not None and not os.path.exists(ca):
            raise UsageError(f"--ca-file {ca!r} does not exist")
        return HttpConfig(verify=ca) if ca else HttpConfig()

    def credential(self) -> Any:
        """A service-principal credential from the options / environment (the emulator's account with --endpoint)."""
        from ..credentials import ServicePrincipalCredential

        tenant = self.opt("tenant_id", "AZURE_TENANT_ID")
        client = self.opt("client_id", "AZURE_CLIENT_ID")
        secret = self.opt("client_secret", "AZURE_CLIENT_SECRET")
        if self.endpoint:  # the emulator's development account fills what is not given
            from ..client import EMULATOR_ACCOUNT

            tenant = tenant or EMULATOR_ACCOUNT["tenant_id"]
            client = client or EMULATOR_ACCOUNT["client_id"]
            secret = secret or EMULATOR_ACCOUNT["client_secret"]
        missing = [n for n, v in (("--tenant-id/AZURE_TENANT_ID", tenant), ("--client-id/AZURE_CLIENT_ID", client),
                                  ("--client-secret/AZURE_CLIENT_SECRET", secret)) if not v]
        if missing:
            raise UsageError(f"no credentials: missing {', '.join(missing)}")
        assert tenant and client and secret
        authority = None if self.endpoint else self.opt("authority_host", "AZURE_AUTHORITY_HOST")
        return ServicePrincipalCredential(tenant, client, secret, cloud=self.cloud(), authority_host=authority,
                                          http_config=self.http_config())

    # -- library objects --

    def ml(self) -> AzureML:
        """The :class:`~azureml_rest.client.AzureML` facade for this invocation (built once)."""
        if self._ml is None:
            from ..client import AzureML

            self._ml = AzureML(credential=self.credential(), subscription_id=self.subscription_id(),
                               cloud=self.cloud(), http=self.http_config())
        return self._ml

    def workspace(self) -> Workspace:
        """The workspace handle named by -g/-w."""
        if self._ws is None:
            rg, name = self.resource_group(), self.workspace_name()  # usage errors before any credential work
            self._ws = self.ml().workspace(rg, name)
        return self._ws

    def close(self) -> None:
        ml, self._ml = self._ml, None
        close = getattr(ml, "close", None)
        if callable(close):
            close()

    # -- output --

    def emit(self, result: Any, columns: Sequence[Column] = ()) -> None:
        """Print ``result`` on stdout in the chosen format."""
        emit(result, self.output, columns, self.out)


# --- output ---------------------------------------------------------------------------------------------------


def to_jsonable(obj: Any) -> Any:
    """Generated models (``to_dict``), pagers, dataclasses, enums and datetimes -> JSON-compatible values."""
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return to_jsonable(to_dict())
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items() if type(v).__name__ != "Unset"}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    value = getattr(obj, "value", None)  # enums
    if isinstance(value, (str, int)):
        return value
    if hasattr(obj, "__dataclass_fields__"):
        import dataclasses

        return to_jsonable(dataclasses.asdict(obj))
    if isinstance(obj, Iterable):  # a Pager
        return [to_jsonable(v) for v in obj]
    return str(obj)


def _lookup(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(doc, dict):
            doc = doc.get(part)
        else:
            return None
    return doc


def _value(item: Any, column: Column) -> Any:
    value = _lookup(item, column.path)
    return column.fn(value) if column.fn is not None and value is not None else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value).replace("\t", " ").replace("\n", " ")


def _rows(data: Any, columns: Sequence[Column]) -> tuple[list[str], list[list[str]]]:
    items = data if isinstance(data, list) else [data]
    if not columns:
        if all(isinstance(i, dict) for i in items) and items:
            keys: list[str] = []
            for item in items:
                for k, v in item.items():
                    if k not in keys and not isinstance(v, (dict, list)):
                        keys.append(k)
            columns = [Column(k, k) for k in keys]
        else:
            return ["Value"], [[_cell(i)] for i in items]
    if not isinstance(data, list) and isinstance(data, dict) and not any(c.path in data or "." in c.path
                                                                         for c in columns):
        columns = [Column(k, k) for k in data]
    headers = [c.header for c in columns]
    return headers, [[_cell(_value(item, c)) for c in columns] for item in items]


def emit(result: Any, fmt: str, columns: Sequence[Column], out: TextIO) -> None:
    """Write ``result`` as JSON (indented), an aligned table or tab-separated values (no header)."""
    if result is None:
        return
    data = to_jsonable(result)
    if fmt == "json":
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if isinstance(data, dict) and not columns and all(not isinstance(v, (dict, list)) for v in data.values()) \
            and fmt == "table":
        # A flat map (discovery, keys): one Key/Value row per entry reads best.
        data = [{"Key": k, "Value": v} for k, v in data.items()]
    headers, rows = _rows(data, columns)
    if fmt == "tsv":
        for row in rows:
            out.write("\t".join(row) + "\n")
        return
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


# --- progress on stderr ---------------------------------------------------------------------------------------


def _human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


class Progress:
    """Progress lines on stderr: uploads, run status changes, long-running operations."""

    def __init__(self, err: TextIO, *, interval: float = 2.0, prefix: str = "") -> None:
        self.err = err
        self.interval = interval
        self.prefix = prefix
        self._last_upload = 0.0
        self._upload_start: float | None = None

    def line(self, text: str) -> None:
        self.err.write(self.prefix + text + "\n")
        self.err.flush()

    def upload(self, sent: int, total: int | None) -> None:
        """``on_progress`` callback of run submission: a line at most every ``interval`` s, and at the end."""
        now = time.monotonic()
        if self._upload_start is None:
            self._upload_start = now
        done = total is not None and sent >= total
        if not done and now - self._last_upload < self.interval:
            return
        self._last_upload = now
        elapsed = max(now - self._upload_start, 1e-6)
        of = f" of {_human_bytes(total)}" if total else ""
        self.line(f"upload: {_human_bytes(sent)}{of} ({_human_bytes(sent / elapsed)}/s, {elapsed:.1f} s)")

    def run_status(self, status: str, elapsed: float) -> None:
        """``on_status`` callback of run waits."""
        self.line(f"run: {status} ({elapsed:.1f} s)")

    def wait_poller(self, poller: Any, label: str, timeout: float | None = None) -> Any:
        """``poller.result(timeout)`` while a ticker thread prints status changes (and a heartbeat).

        The poller keeps its own cadence (server ``Retry-After`` hints); the ticker only reads ``status()``.
        """
        stop = threading.Event()
        start = time.monotonic()
        shown: list[str | None] = [None]  # the last status printed

        def tick() -> None:
            last_print = 0.0
            while not stop.wait(0.2):
                status = str(poller.status())
                now = time.monotonic()
                if status != shown[0] or now - last_print >= 10 * self.interval:
                    self.line(f"{label}: {status} ({now - start:.1f} s)")
                    shown[0], last_print = status, now

        ticker = threading.Thread(target=tick, name="azureml-rest-progress", daemon=True)
        ticker.start()
        try:
            result = poller.result(timeout)
        finally:
            stop.set()
            ticker.join()
        if str(poller.status()) != shown[0]:
            self.line(f"{label}: {poller.status()} ({time.monotonic() - start:.1f} s)")
        return result


# --- errors ---------------------------------------------------------------------------------------------------


def _hint(code: str | None, status: int | None, text: str) -> str | None:
    c = (code or "").lower()
    if c in ("aadsts7000215", "invalid_client") or "aadsts7000215" in text.lower():
        return "check the client secret (--client-secret or AZURE_CLIENT_SECRET)"
    if not c and "failed:" in text and ("Error" in text or "Timeout" in text):
        return "cannot reach the login endpoint: check --endpoint/--cloud, the network and --ca-file"
    if c.startswith("aadsts700016") or "unauthorized_client" in c:
        return "check the client id and tenant id"
    if c in ("invalidapiversionparameter", "missingapiversionparameter", "noregisteredproviderfound"):
        return "use an api-version the service lists as supported"
    if c == "computenotfound":
        return "create it first: azureml-rest compute create NAME (or use target 'local')"
    if c in ("resourcegroupnotfound",):
        return "list them with: azureml-rest group list"
    if c in ("resourcenotfound", "workspacenotfound") or (status == 404 and "workspace" in text.lower()):
        return "check --resource-group/--workspace (azureml-rest workspace list)"
    if status == 403:
        return "the service principal lacks a role on this scope (e.g. Contributor)"
    if status == 401:
        return "the token was refused: check the tenant, the cloud (--cloud) and the credentials"
    return None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def describe_error(exc: BaseException) -> tuple[int, str]:
    """(exit status, one line for stderr) for anything a command may raise."""
    from .. import errors as e

    code: str | None = None
    status: int | None = None
    request_id: str | None = None
    exit_code = EXIT_ERROR
    if isinstance(exc, UsageError):
        return EXIT_USAGE, f"error: {_one_line(str(exc))}"
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "error: interrupted"
    if isinstance(exc, e.CredentialError):
        # Azure AD appends "Trace ID: ... Correlation ID: ... Timestamp: ..."; useful only with --debug.
        desc = re.split(r"\s+Trace ID:", str(exc.description or exc), maxsplit=1)[0]
        what = f"authentication failed: {desc.removeprefix(f'{exc.error_code}: ')}"
        code = exc.error_code or exc.error
        # No answer from Azure AD (connection, TLS) is not a rejected credential.
        exit_code = EXIT_AUTH if (exc.status_code is not None or code) else EXIT_ERROR
    elif isinstance(exc, e.ServiceError):
        status = exc.status_code
        code = exc.error_code
        request_id = exc.request_id or exc.client_request_id
        what = exc.message or (f"body: {exc.excerpt}" if exc.excerpt else exc.reason)
        if exc.method and exc.url:
            what = f"{what} [{exc.method} {exc.url.split('?', 1)[0]}]"
        if isinstance(exc, (e.AuthenticationError, e.PermissionDeniedError)):
            exit_code = EXIT_AUTH
        elif isinstance(exc, e.NotFoundError) or (code or "").lower().endswith("notfound"):
            exit_code = EXIT_NOT_FOUND
    elif isinstance(exc, e.OperationTimeoutError):
        what = str(exc)
        exit_code = EXIT_TIMEOUT
    elif isinstance(exc, e.OperationFailedError):
        what = f"{exc.operation} ended with status {exc.status}" + (f": {exc.message}" if exc.message else "")
        code = exc.error_code
        exit_code = EXIT_FAILED
    elif isinstance(exc, e.AzureMLError):
        what = str(exc)
        code = getattr(exc, "error_code", None)
    elif type(exc).__module__.split(".")[0] in ("httpx", "httpcore"):
        url = getattr(getattr(exc, "request", None), "url", None) if _has_request(exc) else None
        where = f" {url.scheme}://{url.netloc.decode()}" if url is not None else ""
        what = f"cannot reach{where}: {type(exc).__name__}"
        return EXIT_ERROR, f"error: {what}. Hint: check the network, --endpoint/--cloud and that the service is up"
    elif isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError)):
        return EXIT_USAGE, f"error: {_one_line(str(exc))}"
    else:
        what = f"{type(exc).__name__}: {exc}"
    from .._redact import redact_text

    what = redact_text(_one_line(str(what))).rstrip(".")
    meta = "; ".join(p for p in (code, f"HTTP {status}" if status else None,
                                 f"request id {request_id}" if request_id else None) if p)
    line = f"error: {what}" + (f" ({meta})" if meta else "")
    hint = _hint(code, status, what)
    if hint:
        line += f". Hint: {hint}"
    return exit_code, line


def _has_request(exc: BaseException) -> bool:
    try:
        return getattr(exc, "request", None) is not None
    except RuntimeError:  # httpx raises when the request is not set
        return False


def _debug_detail(exc: BaseException, err: TextIO) -> None:
    import traceback

    traceback.print_exception(exc, file=err)
    details = getattr(exc, "details", None)
    excerpt = getattr(exc, "excerpt", None)
    if details:
        err.write("details: " + json.dumps(details, default=str)[:2000] + "\n")
    if excerpt:
        err.write(f"response excerpt: {excerpt}\n")


# --- running --------------------------------------------------------------------------------------------------


def _configure_logging(debug: bool, err: TextIO) -> logging.Handler | None:
    if not debug:
        return None
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("azureml_rest")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Parse ``argv``, run the command, print its result; returns the exit status."""
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
            _debug_detail(exc, err)
        err.write(line + "\n")
        err.flush()
        return code
    finally:
        try:
            ctx.close()
        finally:
            if log_handler is not None:
                logging.getLogger("azureml_rest").removeHandler(log_handler)


# --- small shared argument helpers ----------------------------------------------------------------------------


def parse_pairs(values: Sequence[str] | None, what: str = "--tag") -> dict[str, str] | None:
    """``["k=v", ...]`` -> dict (None when empty); a value without ``=`` is a usage error."""
    if not values:
        return None
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} expects KEY=VALUE, got {item!r}")
        pairs[key] = value
    return pairs


def add_wait_options(p: argparse.ArgumentParser) -> None:
    """``--no-wait`` and ``--timeout`` for commands that start a long-running operation."""
    p.add_argument("--no-wait", action="store_true", help="return once the operation is accepted")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give up waiting after this long (exit 6)")


def finish(ctx: Context, poller: Any, label: str, accepted: dict[str, Any]) -> Any:
    """Wait for ``poller`` with progress on stderr (unless --no-wait); the final resource, or ``accepted``."""
    if getattr(ctx.args, "no_wait", False):
        return {**accepted, "status": str(poller.status())}
    return ctx.progress.wait_poller(poller, label, getattr(ctx.args, "timeout", None))
