"""Property-based fuzzing of the emulator with schemathesis, for the management, history and model-management specs.

For every operation schemathesis generates requests from the spec (the spec's own examples first, then up to
``MAX_EXAMPLES`` generated ones, derandomized: the same cases on every run) and sends them to a dedicated emulator
with a valid bearer token; the subscription path parameter is pinned to the emulator's (the fuzzed one would stop at
"subscription not found"). Checks: ``not_a_server_error`` (no 5xx), ``status_code_conformance`` (the status is
declared) and ``response_schema_conformance`` (the body matches the declared schema).

Needs schemathesis (a test-only tool; skipped with a reason when absent).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_fixture import EmulatorFactory
from tests.generated.emulator_world import token
from tests.generated.support import METHODS, load_spec

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis (a test-only tool)")
hypothesis = pytest.importorskip("hypothesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance  # noqa: E402

MAX_EXAMPLES = 20
SEED = 20200131
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# The spec's examples, then MAX_EXAMPLES generated cases per operation from a fixed seed. schemathesis 4's
# "coverage" phase (boundary values, unbounded by max-examples) is off to keep the run within its time budget.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    print_blob=False,
)


@pytest.fixture(scope="module")
def target(session_emulator_factory: EmulatorFactory) -> Iterator[dict[str, Any]]:
    """A dedicated emulator (fuzzing leaves junk behind), stopped at the module's end, and what each call needs."""
    with session_emulator_factory(lro_delay=0.05) as emu:
        yield {
            "base_url": emu.base_url,
            "headers": {"Authorization": f"Bearer {token(emu)}"},
            "subscription": emu.config.subscription_id,
        }


CALLS: dict[str, list[str]] = {}  # spec group → "METHOD /path/template" of every request sent
# spec group → the operations ("METHOD /path/template") whose test ran in this process: under pytest-xdist the
# operations are spread over workers, so the coverage check below can only judge the ones run here.
RAN: dict[str, set[str]] = {}


def _call(group: str, case: Any, target: dict[str, Any], request: pytest.FixtureRequest) -> None:
    name = request.node.name
    RAN.setdefault(group, set()).add(name[name.index("[") + 1 : -1])
    CALLS.setdefault(group, []).append(f"{case.method.upper()} {case.path}")
    if "subscriptionId" in case.path_parameters:
        case.path_parameters["subscriptionId"] = target["subscription"]
    case.call_and_validate(base_url=target["base_url"], headers=target["headers"], checks=CHECKS, timeout=30)


management = schemathesis.openapi.from_dict(load_spec("management"), config=CONFIG)
history = schemathesis.openapi.from_dict(load_spec("history"), config=CONFIG)
modelmanagement = schemathesis.openapi.from_dict(load_spec("modelmanagement"), config=CONFIG)


@management.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is untyped
@SETTINGS  # type: ignore[untyped-decorator]
def test_management(case: Any, target: dict[str, Any], request: pytest.FixtureRequest) -> None:
    _call("management", case, target, request)


@history.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is untyped
@SETTINGS  # type: ignore[untyped-decorator]
def test_history(case: Any, target: dict[str, Any], request: pytest.FixtureRequest) -> None:
    _call("history", case, target, request)


@modelmanagement.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is untyped
@SETTINGS  # type: ignore[untyped-decorator]
def test_modelmanagement(case: Any, target: dict[str, Any], request: pytest.FixtureRequest) -> None:
    _call("modelmanagement", case, target, request)


def test_the_fuzzer_reached_every_operation() -> None:
    # Runs after the tests above (file order): guards against a set-up that silently generates nothing.
    if not RAN:
        pytest.skip("run together with the fuzzing tests above")
    for group, ran in RAN.items():
        calls = CALLS.get(group, [])
        spec = load_spec(group)
        declared = {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item if m in METHODS}
        assert ran <= declared, f"{group}: tests for undeclared operations {sorted(ran - declared)}"
        assert ran <= set(calls), f"{group}: never sent {sorted(ran - set(calls))}"
        assert len(calls) >= 2 * len(ran), f"{group}: only {len(calls)} requests"
