"""``python -m demo``: the demo's options, the choice of connection, and the exit status.

Without options it starts the emulator in-process (``[emulator]`` extra) and runs every step against it;
``--endpoint URL`` uses an emulator that is already running (its development account unless credentials are
given); ``--azure`` runs against real Azure with ``AZURE_*`` credentials and the resources named by options or
``AZUREML_*`` variables. Exit status: 0 success, 1 a step failed, 2 missing or bad options.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from .connection import (
    Connection,
    EmbeddedEmulatorMissing,
    emulator_account,
    service_principal,
    start_embedded_emulator,
)
from .settings import DemoSettings, resolve_settings
from .walkthrough import EXIT_FAILED, Walkthrough
from .walkthrough_v2 import (
    DEFAULT_DEPLOYMENT_IMAGE,
    DEFAULT_INSTANCE_TYPE,
    DEFAULT_JOB_IMAGE,
    CurrentApiPart,
    CurrentApiSettings,
)

if TYPE_CHECKING:
    from azureml_rest import Cloud, HttpConfig

__all__ = ["EXIT_USAGE", "build_parser", "main"]

EXIT_USAGE = 2
CREDENTIALS = (("tenant_id", "AZURE_TENANT_ID"), ("client_id", "AZURE_CLIENT_ID"),
               ("client_secret", "AZURE_CLIENT_SECRET"), ("subscription", "AZURE_SUBSCRIPTION_ID"))


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m demo",
        description="The article's walkthrough end to end through azureml_rest (embedded emulator by default).",
    )
    g = p.add_argument_group("where")
    g.add_argument("--azure", action="store_true",
                   help="run against real Azure: credentials from AZURE_TENANT_ID/AZURE_CLIENT_ID/"
                        "AZURE_CLIENT_SECRET/AZURE_SUBSCRIPTION_ID (or the options below), plus -g, --location "
                        "and the dependent resource ids")
    g.add_argument("--endpoint", metavar="URL",
                   help="an emulator that is already running, e.g. http://127.0.0.1:PORT (env AZUREML_ENDPOINT)")
    g.add_argument("--cloud", metavar="NAME", help="with --azure: AzureCloud (default), AzureChinaCloud or "
                   "AzureUSGovernment (env AZUREML_CLOUD)")
    g.add_argument("--ca-file", metavar="PEM", help="trust this CA bundle (the emulator's --tls CA)")
    g = p.add_argument_group("credentials (prefer the environment)")
    g.add_argument("--tenant-id", metavar="ID", help="env AZURE_TENANT_ID")
    g.add_argument("--client-id", metavar="ID", help="env AZURE_CLIENT_ID")
    g.add_argument("--client-secret", metavar="SECRET", help="env AZURE_CLIENT_SECRET")
    g.add_argument("--subscription", metavar="ID", help="env AZURE_SUBSCRIPTION_ID")
    g = p.add_argument_group("what to create")
    g.add_argument("--resource-group", "-g", metavar="NAME",
                   help="env AZUREML_RESOURCE_GROUP (default azureml-rest-demo with the emulator)")
    g.add_argument("--workspace", "-w", metavar="NAME", help="env AZUREML_WORKSPACE (default azureml-rest-demo)")
    g.add_argument("--location", "-l", help="region (env AZUREML_LOCATION; default eastus with the emulator)")
    g.add_argument("--storage-account", metavar="ARM_ID", help="storage account id (env AZUREML_STORAGE_ACCOUNT)")
    g.add_argument("--key-vault", metavar="ARM_ID", help="key vault id (env AZUREML_KEY_VAULT)")
    g.add_argument("--application-insights", metavar="ARM_ID",
                   help="Application Insights id (env AZUREML_APPLICATION_INSIGHTS)")
    g.add_argument("--container-registry", metavar="ARM_ID",
                   help="container registry id, optional (env AZUREML_CONTAINER_REGISTRY)")
    g.add_argument("--experiment", default="my-first-experiment", help="default my-first-experiment")
    g.add_argument("--compute-name", default="cpu-compute", help="default cpu-compute (the article's Target)")
    g = p.add_argument_group("the current API's part (after the article; it uses the article's compute)")
    g.add_argument("--job-image", default=DEFAULT_JOB_IMAGE,
                   help=f"the command job's image (default {DEFAULT_JOB_IMAGE})")
    g.add_argument("--deployment-image", default=DEFAULT_DEPLOYMENT_IMAGE,
                   help=f"the deployment's environment image (default {DEFAULT_DEPLOYMENT_IMAGE})")
    g.add_argument("--instance-type", default=DEFAULT_INSTANCE_TYPE,
                   help=f"the deployment's VM size (default {DEFAULT_INSTANCE_TYPE})")
    g.add_argument("--endpoint-name", metavar="NAME",
                   help="the online endpoint's name, unique in its region (default rest-demo-<8 random hex>)")
    g.add_argument("--article-only", action="store_true", help="only the article's walkthrough (the v1 API)")
    g = p.add_argument_group("running")
    g.add_argument("--lro-delay", type=float, default=0.3, metavar="SECONDS",
                   help="embedded emulator: seconds a long-running operation takes (default 0.3)")
    g.add_argument("--keep", action="store_true", help="skip the delete steps (leave the resources)")
    g.add_argument("--debug", action="store_true",
                   help="the library's DEBUG log (secrets redacted) on stderr, and a traceback on failure")
    return p


class _Options:
    """Parsed options with their environment fall-backs."""

    def __init__(self, args: argparse.Namespace, environ: Mapping[str, str]) -> None:
        self.args = args
        self.environ = environ

    def get(self, name: str, env: str | None = None) -> str | None:
        value = getattr(self.args, name, None)
        if value not in (None, ""):
            return str(value)
        return (self.environ.get(env) or None) if env else None


def _http(opts: _Options) -> HttpConfig:
    from azureml_rest import HttpConfig

    ca = opts.get("ca_file")
    if ca is not None and not os.path.exists(ca):
        raise _UsageError(f"--ca-file {ca!r} does not exist")
    return HttpConfig(verify=ca) if ca else HttpConfig()


def _cloud(opts: _Options, endpoint: str | None) -> Cloud:
    from azureml_rest import Cloud, get_cloud

    try:
        return Cloud.emulator(endpoint) if endpoint else get_cloud(opts.get("cloud", "AZUREML_CLOUD") or "AzureCloud")
    except ValueError as exc:  # an unknown cloud name, or an --endpoint that is not an absolute URL
        raise _UsageError(str(exc)) from None


def _connect(opts: _Options, settings: DemoSettings) -> Connection:
    """The connection the options ask for (the embedded emulator by default); raises _UsageError."""
    endpoint = opts.get("endpoint", "AZUREML_ENDPOINT")
    http = _http(opts)
    if settings.azure:
        if endpoint:
            raise _UsageError("--azure and --endpoint exclude each other")
        cloud = _cloud(opts, None)
        tenant, client, secret, sub = (str(opts.get(o, e)) for o, e in CREDENTIALS)
        return service_principal(f"Azure ({cloud.name})", cloud, sub, tenant, client, secret, http=http,
                                 authority_host=opts.get("authority_host", "AZURE_AUTHORITY_HOST"))
    if endpoint:  # an emulator the user already runs: its development account fills what is not given
        cloud = _cloud(opts, endpoint)
        account = emulator_account()
        tenant, client, secret, sub = (opts.get(o, e) or account[k] for (o, e), k in zip(
            CREDENTIALS, ("tenant_id", "client_id", "client_secret", "subscription_id"), strict=True))
        return service_principal(f"the emulator at {endpoint}", cloud, sub, tenant, client, secret, http=http)
    return start_embedded_emulator(lro_delay=settings.lro_delay, location=settings.location, http=http)


def _parts(args: argparse.Namespace) -> list[Callable[[Walkthrough], CurrentApiPart]]:
    """The current API's part after the article (none with ``--article-only``)."""
    if args.article_only:
        return []
    v2 = CurrentApiSettings(job_image=args.job_image, deployment_image=args.deployment_image,
                            instance_type=args.instance_type)
    if args.endpoint_name:
        v2.endpoint = args.endpoint_name
    return [lambda walk: CurrentApiPart(walk, v2)]


def _debug_logging(err: TextIO) -> logging.Handler:
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("azureml_rest")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None,
         environ: Mapping[str, str] | None = None) -> int:
    """Run the demo; returns the exit status (0 success, 1 a step failed, 2 missing or bad options)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse already printed
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    opts = _Options(args, os.environ if environ is None else environ)
    if args.azure and opts.get("endpoint", "AZUREML_ENDPOINT"):
        err.write("error: --azure and --endpoint exclude each other\n")
        return EXIT_USAGE
    if args.azure:
        missing = [f"{env} (or --{opt.replace('_', '-')})" for opt, env in CREDENTIALS if not opts.get(opt, env)]
    else:
        missing = []
    subscription = opts.get("subscription", "AZURE_SUBSCRIPTION_ID") if args.azure else None
    settings, more = resolve_settings(
        opts.get, azure=args.azure, subscription_id=subscription or emulator_account()["subscription_id"],
        experiment=args.experiment, compute=args.compute_name, lro_delay=args.lro_delay, keep=args.keep,
        debug=args.debug)
    missing += more
    if missing or settings is None:
        err.write("error: demo --azure needs: " + "; ".join(missing) + "\n")
        return EXIT_USAGE
    handler = _debug_logging(err) if args.debug else None
    try:
        try:
            conn = _connect(opts, settings)
        except _UsageError as exc:
            err.write(f"error: {exc}\n")
            return EXIT_USAGE
        except EmbeddedEmulatorMissing as exc:
            err.write(f"error: the demo's embedded emulator is not installed ({exc} is missing). "
                      "Hint: pip install 'azureml-rest[emulator]', or run against Azure with --azure\n")
            return EXIT_FAILED
        try:
            return Walkthrough(settings, conn, out, err, parts=_parts(args)).run()
        finally:
            conn.stop()
    finally:
        if handler is not None:
            logging.getLogger("azureml_rest").removeHandler(handler)
