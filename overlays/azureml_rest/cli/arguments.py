"""argparse helpers every command module uses: :func:`add_group`, :func:`add_command`, the global options,
``--no-wait``/``--timeout`` and ``KEY=VALUE`` lists, plus the help epilog (exit statuses, environment).

A handler takes a :class:`~azureml_rest.cli.context.Context` and returns what to print on stdout (None prints
nothing). The parser itself (which command groups exist) is :mod:`azureml_rest.cli.parser`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .context import Context
    from .output import Column

__all__ = [
    "EPILOG",
    "Handler",
    "HelpFormatter",
    "SubParsers",
    "add_command",
    "add_global_options",
    "add_group",
    "add_wait_options",
    "legacy_help",
    "parse_pairs",
]

Handler = Callable[["Context"], Any]
SubParsers = argparse._SubParsersAction  # argparse's own name for the object add_subparsers() returns

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


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's layout; wider than argparse's default."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=110)


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
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


def legacy_help(name: str, help_text: str, *, top_level: bool) -> str:
    """The help of a legacy v1 group: as given under ``azureml-rest v1`` (its home); registered at the top level
    as well (people's scripts), it says it is the legacy API and where it lives now."""
    if not top_level:
        return help_text
    return f"legacy v1 API (deprecated 2025-03-31): also `azureml-rest v1 {name}`; {help_text}"


def add_group(
    sub: SubParsers[argparse.ArgumentParser], name: str, help_text: str
) -> SubParsers[argparse.ArgumentParser]:
    """A command group (``group``, ``workspace``...) whose sub-commands are added with :func:`add_command`."""
    p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=HelpFormatter, epilog=EPILOG)
    inner = p.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", title="commands")
    inner.required = True
    return inner


def add_command(
    sub: SubParsers[argparse.ArgumentParser],
    name: str,
    handler: Handler,
    help_text: str,
    common: argparse.ArgumentParser,
    *,
    columns: Sequence[Column] = (),
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A leaf command: accepts the global options too (``common``); ``columns`` drive table/tsv output."""
    p = sub.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        parents=[common],
        formatter_class=HelpFormatter,
        epilog=EPILOG,
    )
    p.set_defaults(_handler=handler, _columns=tuple(columns))
    return p


def add_wait_options(p: argparse.ArgumentParser) -> None:
    """``--no-wait`` and ``--timeout`` for commands that start a long-running operation (see ``context.finish``)."""
    p.add_argument("--no-wait", action="store_true", help="return once the operation is accepted")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give up waiting after this long (exit 6)")


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
