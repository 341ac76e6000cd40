"""Every maintainer entry point. `pip install nox` is the only prerequisite.

    nox -s demo              the article's walkthrough against the embedded emulator (-- --azure for real Azure)
    nox -s tests             the whole test gate (what .ci/run runs)
    nox -s regen             regenerate generated/ from specs/
    nox -s check_generated   fail, naming files, if generated/ is stale
"""

from __future__ import annotations

import os
import shutil

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "uv|virtualenv"

GENERATOR_PINS = "generator/requirements.txt"
CHECKED_DIRS = ["overlays", "emulator", "generator", "tests", "benchmarks", "noxfile.py"]


def _install_toolchain(session: nox.Session) -> None:
    session.install("-r", GENERATOR_PINS)


def _install_project(session: nox.Session, extras: str) -> None:
    session.install(f".[{extras}]")


@nox.session
def regen(session: nox.Session) -> None:
    """Regenerate every client package in generated/ with the pinned toolchain."""
    _install_toolchain(session)
    session.run("python", "-m", "generator.regen", *session.posargs)


@nox.session
def check_generated(session: nox.Session) -> None:
    """Regenerate into a temporary folder and fail, naming the files, if generated/ differs."""
    _install_toolchain(session)
    session.run("python", "-m", "generator.regen", "--check")


def _node_tools(session: nox.Session) -> None:
    """Install the pinned Node tools of package.json (Redocly CLI, openapi-typescript, tsc)."""
    if not shutil.which("npm"):
        session.error("Node.js and npm are needed for the spec linter (Redocly CLI); install them first")
    if not os.path.exists("node_modules/.bin/redocly"):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


def _lint_specs(session: nox.Session) -> None:
    session.run("python", "-m", "tests.tools.validate_specs")
    _node_tools(session)
    session.run("node_modules/.bin/redocly", "lint", "--format", "stylish", *_spec_files(), external=True)


def _spec_files() -> list[str]:
    return sorted(os.path.join("specs", f) for f in os.listdir("specs") if f.endswith(".yaml"))


@nox.session
def tests(session: nox.Session) -> None:
    """The whole gate: drift check, spec validation and lint, ruff, mypy --strict, pytest."""
    _install_toolchain(session)
    _install_project(session, "emulator,test")
    session.run("python", "-m", "generator.regen", "--check")
    _lint_specs(session)
    session.run("ruff", "check", *[d for d in CHECKED_DIRS if os.path.exists(d)])
    session.run("mypy", "--strict", "overlays/azureml_rest", "emulator/azureml_emulator",
                *[os.path.join("generated", p) for p in sorted(os.listdir("generated"))
                  if os.path.isdir(os.path.join("generated", p))])
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The article's walkthrough end to end against the embedded emulator (`-- --azure` for real Azure)."""
    _install_project(session, "emulator")
    session.run("azureml-rest", "demo", *session.posargs)
