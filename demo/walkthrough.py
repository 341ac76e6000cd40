"""The article's walkthrough as numbered steps, all through the library's public API.

Each step prints its number and name, the HTTP calls it made (method, path, status: from the connection's
``HttpConfig.on_event`` hook, so nothing is sent twice and logging levels do not matter), and the few fields
that matter. The last line is ``demo succeeded: N steps in X.Y s`` on stdout (with :class:`Part` s, e.g. the
current API's, ``N steps (A of the article, B on the current API)``; they run before the article's compute and
workspace are deleted), or ``demo FAILED at step K (<name>): <one-line error>`` on stderr (exit status 1).
The embedded emulator and ``--azure`` differ only in the :class:`~demo.connection.Connection` and in the
dependent resource ids of the workspace; every step is the same code.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from . import PROJECT_DIR, clean_copy
from .connection import Connection
from .display import INDENT, Call, PathNames, StepProgress, describe
from .settings import DemoSettings

if TYPE_CHECKING:
    from azureml_rest import AzureML, Workspace

__all__ = ["EXIT_FAILED", "EXIT_OK", "CheckFailed", "Part", "Walkthrough"]

EXIT_OK = 0
EXIT_FAILED = 1
MODEL_NAME = "demo-model"
SERVICE_NAME = "demo-service"
#: The article's scoring request form; the tiny model answers bias + sum(weight * x) per row.
SCORE_REQUEST: dict[str, Any] = {"data": [[1, 2, 3, 4], [0, 0, 0, 0]]}
EXPECTED_SCORES = [6.5, 1.0]
HELLO_LINE = "Hello, REST!"
PROJECT_FILES = ("hello.py", "score.py", "definition.json")


class CheckFailed(Exception):
    """The service answered, but not what the walkthrough expects."""


class Part(Protocol):
    """More steps run after the article's, before its final deletes (the compute and the workspace), e.g.
    :class:`demo.walkthrough_v2.CurrentApiPart`."""

    title: str

    def steps(self) -> list[tuple[str, Callable[[], None]]]: ...  # (name, function) in order
    def cleanup(self) -> None: ...  # after a failed step: delete what the part created
    def close(self) -> None: ...  # at the end, whatever happened


@dataclass
class _State:
    ml: AzureML | None = None
    ws: Workspace | None = None
    run_id: str | None = None
    model_id: str | None = None
    service_id: str | None = None
    scoring: Any = None
    created: list[str] = field(default_factory=list)  # what to clean up after a failure, in creation order


class Walkthrough:
    """Runs the steps in order and prints them to ``out`` (the failure line and cleanup notes to ``err``)."""

    def __init__(self, settings: DemoSettings, conn: Connection, out: TextIO, err: TextIO, *,
                 parts: Sequence[Callable[[Walkthrough], Part]] = ()) -> None:
        self.s = settings
        self.conn = conn
        self.out = out
        self.err = err
        self.state = _State()
        self.progress = StepProgress(out)
        self.names = PathNames(conn.subscription_id, getattr(conn.credential, "tenant_id", None))
        steps: list[tuple[str, Callable[[], None]]] = [
            ("get a token", self.step_token),
            ("resource groups", self.step_resource_groups),
            ("create the workspace", self.step_workspace),
            ("follow discovery", self.step_discovery),
            ("list experiments and models", self.step_lists),
            ("create the compute", self.step_compute),
            ("submit hello.py", self.step_submit),
            ("stream the log and wait", self.step_wait),
            ("register the model", self.step_register),
            ("deploy the service", self.step_deploy),
            ("list the service keys", self.step_keys),
            ("score with the key", self.step_score),
            ("rotate the key and score again", self.step_rotate),
        ]
        if not settings.keep:
            steps += [
                ("delete the service", self.step_delete_service),
                ("delete the model", self.step_delete_model),
            ]
        final_deletes: list[tuple[str, Callable[[], None]]] = [] if settings.keep else [
            ("delete the compute", self.step_delete_compute),
            ("delete the workspace", self.step_delete_workspace),
        ]
        #: Headings printed before a step (its index in ``steps``): where each part begins.
        self.sections: dict[int, str] = {}
        self.article_steps = len(steps) + len(final_deletes)
        self.parts = [make(self) for make in parts]
        if self.parts:
            self.sections[0] = "the article, on the v1 API (deprecated since 2025-03-31)"
        for part in self.parts:  # they use the article's workspace and compute, deleted after them
            self.sections[len(steps)] = part.title
            steps += part.steps()
        self.steps = steps + final_deletes

    # -- printing --

    def say(self, text: str) -> None:
        self.progress.line(text)

    def _print_calls(self, calls: list[Call]) -> None:
        for c in calls:
            times = f" (x{c.count})" if c.count > 1 else ""
            self.out.write(f"{INDENT}{c.method} {self.names.short(c.path)} -> {c.outcome}{times}\n")

    # -- running --

    def run(self) -> int:
        start = time.monotonic()
        total = len(self.steps)
        more = ", then the same story on the current API," if self.parts else ""
        self.out.write(f"azureml-rest demo: the article's walkthrough{more} against {self.conn.label}\n")
        self.out.write(f"  paths: {{ws}} = /subscriptions/{{sub}}/resourceGroups/{self.s.resource_group}/providers/"
                       f"Microsoft.MachineLearningServices/workspaces/{self.s.workspace}\n")
        self.conn.calls.take()  # anything sent before the first step is not part of it
        for number, (name, fn) in enumerate(self.steps, start=1):
            if number - 1 in self.sections:
                self.out.write(f"-- {self.sections[number - 1]}\n")
            self.out.write(f"[{number:2d}/{total}] {name}\n")
            t0 = time.monotonic()
            try:
                fn()
            except (Exception, KeyboardInterrupt) as exc:
                self._print_calls(self.conn.calls.take())
                return self._failed(number, name, exc)
            self._print_calls(self.conn.calls.take())
            self.say(f"ok ({time.monotonic() - t0:.1f} s)")
        self._close()
        parts = (f" ({self.article_steps} of the article, {total - self.article_steps} on the current API)"
                 if self.parts else "")
        self.out.write(f"demo succeeded: {total} steps{parts} in {time.monotonic() - start:.1f} s\n")
        self.out.flush()
        return EXIT_OK

    def _failed(self, number: int, name: str, exc: BaseException) -> int:
        if self.s.debug:
            import traceback

            traceback.print_exception(exc, file=self.err)
        line = str(exc) if isinstance(exc, CheckFailed) else describe(exc)
        if not self.s.keep:
            self._cleanup()
        self._close()
        self.out.flush()
        self.err.write(f"demo FAILED at step {number} ({name}): {line}\n")
        self.err.flush()
        return EXIT_FAILED

    def _cleanup(self) -> None:
        """Best effort: delete what this run created, newest first (real Azure bills for it)."""
        for part in reversed(self.parts):
            part.cleanup()
        st, ws = self.state, self.state.ws
        for kind in reversed(st.created):
            try:
                if kind == "service" and ws is not None and st.service_id:
                    ws.v1.services.begin_delete(st.service_id).result(timeout=300)
                elif kind == "model" and ws is not None and st.model_id:
                    ws.v1.models.delete(st.model_id)
                elif kind == "compute" and ws is not None:
                    ws.computes.begin_delete(self.s.compute).result(timeout=600)
                elif kind == "workspace" and st.ml is not None:
                    st.ml.workspaces.begin_delete(self.s.resource_group, self.s.workspace).result(timeout=600)
                else:
                    continue
                self.err.write(f"cleanup: deleted the {kind}\n")
            except Exception as exc:  # keep cleaning the rest
                self.err.write(f"cleanup: could not delete the {kind}: {describe(exc)}\n")

    def _close(self) -> None:
        for part in self.parts:
            part.close()
        scoring, self.state.scoring = self.state.scoring, None
        if scoring is not None:
            scoring.close()
        ml, self.state.ml = self.state.ml, None
        if ml is not None:
            ml.close()
        close = getattr(self.conn.credential, "close", None)
        if callable(close):
            close()

    # -- helpers --

    def _ml(self) -> AzureML:
        if self.state.ml is None:
            from azureml_rest import AzureML

            self.state.ml = AzureML(self.conn.credential, self.conn.subscription_id, cloud=self.conn.cloud,
                                    http=self.conn.http)
        return self.state.ml

    def _ws(self) -> Workspace:
        if self.state.ws is None:
            self.state.ws = self._ml().workspace(self.s.resource_group, self.s.workspace)
        return self.state.ws

    def _artifact(self, path: str) -> str:
        from azureml_rest.operations.models import artifact_url

        assert self.state.run_id is not None
        return artifact_url(self.state.run_id, path)

    # -- the steps --

    def step_token(self) -> None:
        tok = self.conn.credential.get_token(self.conn.cloud.arm_scope)
        expires = datetime.fromtimestamp(int(tok.expires_on), UTC)
        left = int(tok.expires_on - time.time())
        self.say(f"audience {self.conn.cloud.arm_audience}; expires {expires:%Y-%m-%d %H:%M:%S} UTC (in {left} s); "
                 "the token itself is not shown")

    def step_resource_groups(self) -> None:
        from azureml_rest import NotFoundError

        groups = self._ml().resource_groups
        try:
            groups.get(self.s.resource_group)
            self.say(f"resource group {self.s.resource_group} exists")
        except NotFoundError:
            groups.create_or_update(self.s.resource_group, self.s.location, tags={"created-by": "azureml-rest demo"})
            self.say(f"created resource group {self.s.resource_group} in {self.s.location}")
        names = [str(g.name) for g in groups.list()]
        self.say(f"{len(names)} resource group(s): {', '.join(names)}")
        if self.s.resource_group not in names:
            raise CheckFailed(f"resource group {self.s.resource_group} is not in the list")

    def step_workspace(self) -> None:
        poller = self._ml().workspaces.begin_create_or_update(
            self.s.resource_group, self.s.workspace, location=self.s.location,
            storage_account=self.s.storage_account, key_vault=self.s.key_vault,
            application_insights=self.s.application_insights, container_registry=self.s.container_registry,
            friendly_name="azureml-rest demo", description="created by azureml-rest demo",
        )
        self.state.created.append("workspace")
        self.say(f"accepted; polling ({poller.strategy})")
        ws = self.progress.wait_poller(poller, "workspace", 1800)
        props = ws.properties
        self.say(f"provisioningState {props.provisioning_state}; discoveryUrl {props.discovery_url}")

    def step_discovery(self) -> None:
        endpoints = self._ws().discovery()
        width = max(len(k) for k in endpoints) if endpoints else 0
        for key in sorted(endpoints):
            self.say(f"{key.ljust(width)}  {endpoints[key]}")
        if "api" not in endpoints and "history" not in endpoints:
            raise CheckFailed("the discovery document names neither 'api' nor 'history'")

    def step_lists(self) -> None:
        ws = self._ws()
        experiments = [str(e.name) for e in ws.v1.experiments.list()]
        models = [f"{m.name}:{m.version}" for m in ws.v1.models.list()]
        self.say(f"{len(experiments)} experiment(s){': ' + ', '.join(experiments) if experiments else ''}")
        self.say(f"{len(models)} model(s){': ' + ', '.join(models) if models else ''}")

    def step_compute(self) -> None:
        # The article's body: a dedicated single-node Standard_D1 that scales down after 30 minutes.
        poller = self._ws().computes.begin_create_or_update(
            self.s.compute, vm_size="Standard_D1", vm_priority="Dedicated", min_nodes=0, max_nodes=1,
            idle_time_before_scale_down="PT30M", location=self.s.location,
        )
        self.state.created.append("compute")
        compute = self.progress.wait_poller(poller, "compute", 1800)
        props = compute.properties
        self.say(f"{compute.name}: {props.compute_type} {props.provisioning_state}")

    def step_submit(self) -> None:
        with tempfile.TemporaryDirectory(prefix="azureml-rest-demo-") as tmp:
            folder = clean_copy(PROJECT_DIR, PROJECT_FILES, Path(tmp))
            self.state.run_id = self._ws().v1.runs.submit(
                self.s.experiment, folder, definition=folder / "definition.json", target=self.s.compute,
                on_progress=self.progress.upload,
            )
        self.say(f"run id {self.state.run_id} (definition.json: the article's, Target {self.s.compute})")

    def step_wait(self) -> None:
        assert self.state.run_id is not None
        log: list[str] = []
        pending = [""]

        def sink(text: str) -> None:
            log.append(text)
            pending[0] += text
            *lines, pending[0] = pending[0].split("\n")
            for line in lines:
                self.say(f"| {line}")

        run = self._ws().v1.runs.wait(self.s.experiment, self.state.run_id, on_status=self.progress.run_status,
                                   log_sink=sink)
        if pending[0]:
            self.say(f"| {pending[0]}")
        self.say(f"status {run.status}")
        if HELLO_LINE not in "".join(log):
            raise CheckFailed(f"the driver log does not contain {HELLO_LINE!r}")

    def step_register(self) -> None:
        url = self._artifact("outputs/model.json")
        model = self._ws().v1.models.register(MODEL_NAME, url, run_id=self.state.run_id,
                                           experiment_name=self.s.experiment,
                                           description="tiny linear model written by hello.py")
        self.state.model_id = str(model.id)
        self.state.created.append("model")
        self.say(f"model {model.id} (version {model.version}) from {url}")

    def step_deploy(self) -> None:
        assert self.state.model_id is not None
        poller = self._ws().v1.services.begin_create(
            SERVICE_NAME, model_ids=[self.state.model_id], driver_program="score.py",
            assets=[self._artifact("outputs/score.py")], compute_type="ACI", cpu=0.1, memory_gb=0.5,
        )
        self.state.created.append("service")
        service = self.progress.wait_poller(poller, "service", 1800)
        self.state.service_id = str(service.id)
        self.say(f"service {service.id}: {service.state}; scoringUri {service.scoring_uri}")

    def step_keys(self) -> None:
        assert self.state.service_id is not None
        keys = self._ws().v1.services.keys(self.state.service_id)
        if not keys.primary_key or not keys.secondary_key:
            raise CheckFailed("listkeys returned no keys")
        self.say(f"primary key: {len(keys.primary_key)} characters; secondary key: {len(keys.secondary_key)} "
                 "characters (not shown)")

    def _score(self, scoring: Any, label: str, *, request: dict[str, Any] = SCORE_REQUEST,
               expected: list[float] = EXPECTED_SCORES) -> None:
        """Scores ``request`` and checks the answer (the current API's part passes its own model's scores)."""
        result = scoring.score(request)
        self.say(f"{label}: {request} -> {result}")
        if not isinstance(result, list) or [round(float(x), 6) for x in result] != expected:
            raise CheckFailed(f"scores {result!r}, expected {expected}")

    def step_score(self) -> None:
        assert self.state.service_id is not None
        self.state.scoring = self._ws().v1.scoring(self.state.service_id)
        self._score(self.state.scoring, "scored with the primary key")

    def step_rotate(self) -> None:
        from azureml_rest import AuthenticationError, ScoringClient

        ws, sid = self._ws(), self.state.service_id
        assert sid is not None
        old = ws.v1.services.keys(sid).primary_key or ""
        new = ws.v1.services.regenerate_key(sid, "Primary").primary_key
        if not new or new == old:
            raise CheckFailed("regenerateKeys did not change the primary key")
        self.say("regenerated the primary key")
        uri = str(ws.v1.services.get(sid).scoring_uri)
        with ScoringClient.from_uri(uri, key=old, http=self.conn.http) as stale:
            try:
                stale.score(SCORE_REQUEST)
            except AuthenticationError as exc:
                self.say(f"old key refused: {exc.status_code} {exc.reason}")
            else:
                raise CheckFailed("the old key still scores after regenerateKeys")
        # The client from the previous step still holds the old key: its first request gets 401, it asks
        # listkeys again and retries with the new key, with no restart.
        self._score(self.state.scoring, "same client, new key picked up")

    def step_delete_service(self) -> None:
        assert self.state.service_id is not None
        self.progress.wait_poller(self._ws().v1.services.begin_delete(self.state.service_id), "service delete", 600)
        self.state.created.remove("service")

    def step_delete_model(self) -> None:
        assert self.state.model_id is not None
        self._ws().v1.models.delete(self.state.model_id)
        self.state.created.remove("model")
        self.say(f"deleted model {self.state.model_id}")

    def step_delete_compute(self) -> None:
        self.progress.wait_poller(self._ws().computes.begin_delete(self.s.compute), "compute delete", 1800)
        self.state.created.remove("compute")

    def step_delete_workspace(self) -> None:
        poller = self._ml().workspaces.begin_delete(self.s.resource_group, self.s.workspace)
        self.progress.wait_poller(poller, "workspace delete", 1800)
        self.state.created.remove("workspace")
