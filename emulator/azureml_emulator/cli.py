"""Command line: ``python -m azureml_emulator [options]`` (also ``azureml-rest emulator``).

Every option falls back to an environment variable ``AZUREML_EMULATOR_<OPTION>`` (e.g.
``AZUREML_EMULATOR_CLIENT_SECRET``), then to the development account of CONTRIBUTING.md.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from .config import EmulatorConfig
from .faults import KINDS

_TRUE = {"1", "true", "yes", "on"}


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get("AZUREML_EMULATOR_" + name)
    return value if value not in (None, "") else None


def build_parser(environ: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; defaults come from ``environ`` (default ``os.environ``)."""
    env = os.environ if environ is None else environ
    d = EmulatorConfig()

    def dflt(name: str, fallback: object) -> object:
        value = _env(env, name)
        return fallback if value is None else value

    p = argparse.ArgumentParser(
        prog="azureml-emulator",
        description="A local Azure Machine Learning REST service (tokens, ARM, discovery, data plane, scoring) "
        "on one port. Options fall back to AZUREML_EMULATOR_<OPTION> environment variables.",
    )
    p.add_argument("--host", default=dflt("HOST", d.host), help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=dflt("PORT", d.port), help="port; 0 picks a free one (default 0)")
    p.add_argument(
        "--tls",
        action="store_true",
        default=str(dflt("TLS", "")).lower() in _TRUE,
        help="serve https with a throwaway CA (needed by azure-identity / MSAL)",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=dflt("DATA_DIR", None),
        help="persist state in this folder (SQLite); default: in memory",
    )
    p.add_argument("--tenant-id", default=dflt("TENANT_ID", d.tenant_id))
    p.add_argument("--client-id", default=dflt("CLIENT_ID", d.client_id))
    p.add_argument(
        "--client-secret",
        default=dflt("CLIENT_SECRET", d.client_secret),
        help="the service principal's secret (default: the well-known development secret)",
    )
    p.add_argument("--subscription-id", default=dflt("SUBSCRIPTION_ID", d.subscription_id))
    p.add_argument("--location", default=dflt("LOCATION", d.location), help="default region (default eastus)")
    p.add_argument(
        "--token-lifetime",
        type=float,
        default=dflt("TOKEN_LIFETIME", d.token_lifetime),
        help="seconds an access token lives (default 3600)",
    )
    p.add_argument(
        "--lro-delay",
        type=float,
        default=dflt("LRO_DELAY", d.lro_delay),
        help="seconds a long-running operation takes (default 0.5)",
    )
    p.add_argument(
        "--page-size",
        type=int,
        default=dflt("PAGE_SIZE", d.page_size),
        help="ARM list page size before nextLink (default 100)",
    )
    p.add_argument(
        "--max-upload-bytes",
        type=int,
        default=dflt("MAX_UPLOAD_BYTES", d.max_upload_bytes),
        help="largest project upload accepted by startrun (default: the service's 300 MB snapshot limit)",
    )
    p.add_argument(
        "--lax-api-version",
        action="store_true",
        default=str(dflt("LAX_API_VERSION", "")).lower() in _TRUE,
        help="accept any (or no) api-version",
    )
    p.add_argument(
        "--fault-rate",
        type=float,
        default=dflt("FAULT_RATE", d.fault_rate),
        help="fraction of requests that get an injected fault (default 0)",
    )
    p.add_argument(
        "--fault-kinds",
        default=dflt("FAULT_KINDS", ",".join(d.fault_kinds)),
        help=f"comma-separated fault kinds from {','.join(KINDS)} (default 429,503)",
    )
    p.add_argument("--fault-seed", type=int, default=dflt("FAULT_SEED", None), help="seed for the fault draw")
    p.add_argument(
        "--log-level",
        default=dflt("LOG_LEVEL", d.log_level),
        choices=["critical", "error", "warning", "info", "debug", "trace"],
    )
    return p


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The configuration the parsed arguments describe."""
    kinds = tuple(k.strip() for k in str(args.fault_kinds).split(",") if k.strip())
    return EmulatorConfig(
        host=args.host,
        port=int(args.port),
        tenant_id=args.tenant_id,
        client_id=args.client_id,
        client_secret=args.client_secret,
        subscription_id=args.subscription_id,
        token_lifetime=float(args.token_lifetime),
        lro_delay=float(args.lro_delay),
        strict_api_version=not args.lax_api_version,
        data_dir=Path(args.data_dir) if args.data_dir is not None else None,
        tls=bool(args.tls),
        location=args.location,
        fault_rate=float(args.fault_rate),
        fault_kinds=kinds,
        fault_seed=int(args.fault_seed) if args.fault_seed is not None else None,
        page_size=int(args.page_size),
        max_upload_bytes=int(args.max_upload_bytes),
        log_level=args.log_level,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until interrupted; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    config = config_from_args(args)
    bad = [k for k in config.fault_kinds if k.lower() not in KINDS]
    if bad:
        parser.error(f"unknown fault kind(s) {bad}; known: {','.join(KINDS)}")
    if not 0.0 <= config.fault_rate <= 1.0:
        parser.error("--fault-rate must be between 0 and 1")
    level = "DEBUG" if config.log_level == "trace" else config.log_level.upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    from .server import run  # uvicorn is only needed to serve

    try:
        run(config)
    except KeyboardInterrupt:
        pass
    return 0
