"""The article's walkthrough as numbered steps, all through the library (AzureML, Workspace, operations).

Each step prints its number and name, the HTTP calls it made (method, path, status: read from the library's
DEBUG request log, so nothing is sent twice), and the few fields that matter. The last line is
``demo succeeded: N steps in X.Y s`` or ``demo FAILED at step K (<name>): <one-line error>`` (exit status 1).

The embedded emulator and ``--azure`` differ only in the :class:`Connection` (credential, subscription, cloud,
HTTP settings) and in the dependent resource ids of the workspace; every step is the same code.
"""

from __future__ import annotations

import importlib
import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from ..cli._app import EXIT_ERROR, EXIT_OK, EXIT_USAGE, Context, Progress, describe_error

if TYPE_CHECKING:
    from ..client import AzureML
    from ..clouds import Cloud
    from ..config import HttpConfig
    from ..workspace import Workspace

__all__ = ["Connection", "DemoSettings", "Walkthrough", "run_from_cli"]

DEFAULT_RESOURCE_GROUP = "azureml-rest-demo"
DEFAULT_WORKSPACE = "azureml-rest-demo"
DEFAULT_LOCATION = "eastus"
MODEL_NAME = "demo-model"
SERVICE_NAME = "demo-service"
#: The article's scoring request form; the tiny model answers bias + sum(weight * x) per row.
SCORE_REQUEST: dict[str, Any] = {"data": [[1, 2, 3, 4], [0, 0, 0, 0]]}
EXPECTED_SCORES = [6.5, 1.0]
HELLO_LINE = "Hello, REST!"


class CheckFailed(Exception):
    """The service answered, but not what the walkthrough expects."""


@dataclass
class Connection:
    """Everything that differs between the emulator and real Azure."""

    label: str
    credential: Any
    subscription_id: str
    cloud: Cloud
    http: HttpConfig
    stop: Callable[[], None] = lambda: None


@dataclass
class DemoSettings:
    """The resources the walkthrough creates (and deletes) and where."""

    azure: bool
    resource_group: str
    workspace: str
    location: str
    storage_account: str
    key_vault: str
    application_insights: str
    container_registry: str | None
    experiment: str
    compute: str
    lro_delay: float
    keep: bool
    debug: bool = False


# --- reading the HTTP calls from the library's DEBUG log ------------------------------------------------------


@dataclass
class _Call:
    method: str
    path: str
    status: int
    count: int = 1


class HttpRecorder(logging.Handler):
    """Collects ``response METHOD URL status=...`` records of ``azureml_rest.transport`` (URLs already redacted)."""

    LOGGER = "azureml_rest.transport"

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.calls: list[_Call] = []
        self._logger = logging.getLogger(self.LOGGER)
        self._old_level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        if not str(record.msg).startswith("response ") or not isinstance(record.args, tuple):
            return
        method, url, status = record.args[0], record.args[1], record.args[2]
        path = urlsplit(str(url)).path
        for call in self.calls:
            if (call.method, call.path, call.status) == (method, path, status):
                call.count += 1
                return
        self.calls.append(_Call(str(method), path, int(str(status))))

    def take(self) -> list[_Call]:
        calls, self.calls = self.calls, []
        return calls

    def __enter__(self) -> HttpRecorder:
        self._logger.addHandler(self)
        if self._logger.getEffectiveLevel() > logging.DEBUG:
            self._logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._old_level)


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def _short_segment(segment: str) -> str:
    if _UUID.match(segment):
        return segment[:8] + "…"
    return segment if len(segment) <= 48 else segment[:20] + "…"


class _PathNames:
    """Shortens paths for display: the workspace prefix becomes ``{ws}``, ids become ``{sub}``/``{tenant}``."""

    def __init__(self, subscription_id: str, tenant_id: str | None) -> None:
        self._ws = re.compile(r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                              r"Microsoft\.MachineLearningServices/workspaces/[^/]+", re.IGNORECASE)
        self._sub = subscription_id
        self._tenant = tenant_id

    def short(self, path: str) -> str:
        path = self._ws.sub("/{ws}", path)
        path = path.replace(self._sub, "{sub}")
        if self._tenant:
            path = path.replace(self._tenant, "{tenant}")
        return "/".join(_short_segment(p) for p in path.split("/"))


# --- the walkthrough ------------------------------------------------------------------------------------------


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
    """Runs the steps in order and prints them to ``out``."""

    def __init__(self, settings: DemoSettings, conn: Connection, out: TextIO, err: TextIO) -> None:
        self.s = settings
        self.conn = conn
        self.out = out
        self.err = err
        self.state = _State()
        self.progress = Progress(out, prefix="      ")
        self.names = _PathNames(conn.subscription_id, getattr(conn.credential, "tenant_id", None))
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
                ("delete the compute", self.step_delete_compute),
                ("delete the workspace", self.step_delete_workspace),
            ]
        self.steps = steps

    # -- printing --

    def say(self, text: str) -> None:
        self.out.write(f"      {text}\n")
        self.out.flush()

    def _print_calls(self, calls: list[_Call]) -> None:
        for c in calls:
            times = f" (x{c.count})" if c.count > 1 else ""
            self.out.write(f"      {c.method} {self.names.short(c.path)} -> {c.status}{times}\n")

    # -- running --

    def run(self) -> int:
        start = time.monotonic()
        total = len(self.steps)
        self.out.write(f"azureml-rest demo: the article's walkthrough against {self.conn.label}\n")
        self.out.write(f"  paths: {{ws}} = /subscriptions/{{sub}}/resourceGroups/{self.s.resource_group}/providers/"
                       f"Microsoft.MachineLearningServices/workspaces/{self.s.workspace}\n")
        with HttpRecorder() as recorder:
            for number, (name, fn) in enumerate(self.steps, start=1):
                self.out.write(f"[{number:2d}/{total}] {name}\n")
                t0 = time.monotonic()
                try:
                    fn()
                except (Exception, KeyboardInterrupt) as exc:
                    self._print_calls(recorder.take())
                    return self._failed(number, name, exc)
                self._print_calls(recorder.take())
                self.say(f"ok ({time.monotonic() - t0:.1f} s)")
        self._close()
        self.out.write(f"demo succeeded: {total} steps in {time.monotonic() - start:.1f} s\n")
        self.out.flush()
        return EXIT_OK

    def _failed(self, number: int, name: str, exc: BaseException) -> int:
        if self.s.debug:
            import traceback

            traceback.print_exception(exc, file=self.err)
        if isinstance(exc, CheckFailed):
            line = str(exc)
        else:
            line = describe_error(exc)[1].removeprefix("error: ")
        if not self.s.keep:
            self._cleanup()
        self._close()
        message = f"demo FAILED at step {number} ({name}): {line}"
        self.out.flush()
        self.err.write(message + "\n")
        self.err.flush()
        return EXIT_ERROR

    def _cleanup(self) -> None:
        """Best effort: delete what this run created, newest first (real Azure bills for it)."""
        st, ws = self.state, self.state.ws
        for kind in reversed(st.created):
            try:
                if kind == "service" and ws is not None and st.service_id:
                    ws.services.begin_delete(st.service_id).result(timeout=300)
                elif kind == "model" and ws is not None and st.model_id:
                    ws.models.delete(st.model_id)
                elif kind == "compute" and ws is not None:
                    ws.computes.begin_delete(self.s.compute).result(timeout=600)
                elif kind == "workspace" and st.ml is not None:
                    st.ml.workspaces.begin_delete(self.s.resource_group, self.s.workspace).result(timeout=600)
                else:
                    continue
                self.err.write(f"cleanup: deleted the {kind}\n")
            except Exception as exc:  # keep cleaning the rest
                self.err.write(f"cleanup: could not delete the {kind}: {describe_error(exc)[1]}\n")

    def _close(self) -> None:
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
            from ..client import AzureML

            self.state.ml = AzureML(self.conn.credential, self.conn.subscription_id, cloud=self.conn.cloud,
                                    http=self.conn.http)
        return self.state.ml

    def _ws(self) -> Workspace:
        if self.state.ws is None:
            self.state.ws = self._ml().workspace(self.s.resource_group, self.s.workspace)
        return self.state.ws

    def _artifact(self, path: str) -> str:
        from ..operations.models import artifact_url

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
        from ..errors import NotFoundError

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
        experiments = [str(e.name) for e in ws.experiments.list()]
        models = [f"{m.name}:{m.version}" for m in ws.models.list()]
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
        project = resources.files("azureml_rest.demo").joinpath("project")
        with tempfile.TemporaryDirectory(prefix="azureml-rest-demo-") as tmp:
            folder = Path(tmp) / "project"
            folder.mkdir()
            for name in ("hello.py", "score.py", "definition.json"):
                folder.joinpath(name).write_bytes(project.joinpath(name).read_bytes())
            self.state.run_id = self._ws().runs.submit(
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

        run = self._ws().runs.wait(self.s.experiment, self.state.run_id, on_status=self.progress.run_status,
                                   log_sink=sink)
        if pending[0]:
            self.say(f"| {pending[0]}")
        self.say(f"status {run.status}")
        if HELLO_LINE not in "".join(log):
            raise CheckFailed(f"the driver log does not contain {HELLO_LINE!r}")

    def step_register(self) -> None:
        url = self._artifact("outputs/model.json")
        model = self._ws().models.register(MODEL_NAME, url, run_id=self.state.run_id,
                                           experiment_name=self.s.experiment,
                                           description="tiny linear model written by hello.py")
        self.state.model_id = str(model.id)
        self.state.created.append("model")
        self.say(f"model {model.id} (version {model.version}) from {url}")

    def step_deploy(self) -> None:
        assert self.state.model_id is not None
        poller = self._ws().services.begin_create(
            SERVICE_NAME, model_ids=[self.state.model_id], driver_program="score.py",
            assets=[self._artifact("outputs/score.py")], compute_type="ACI", cpu=0.1, memory_gb=0.5,
        )
        self.state.created.append("service")
        service = self.progress.wait_poller(poller, "service", 1800)
        self.state.service_id = str(service.id)
        self.say(f"service {service.id}: {service.state}; scoringUri {service.scoring_uri}")

    def step_keys(self) -> None:
        assert self.state.service_id is not None
        keys = self._ws().services.keys(self.state.service_id)
        if not keys.primary_key or not keys.secondary_key:
            raise CheckFailed("listkeys returned no keys")
        self.say(f"primary key: {len(keys.primary_key)} characters; secondary key: {len(keys.secondary_key)} "
                 "characters (not shown)")

    def _score(self, scoring: Any, label: str) -> None:
        result = scoring.score(SCORE_REQUEST)
        self.say(f"{label}: {SCORE_REQUEST} -> {result}")
        if not isinstance(result, list) or [round(float(x), 6) for x in result] != EXPECTED_SCORES:
            raise CheckFailed(f"scores {result!r}, expected {EXPECTED_SCORES}")

    def step_score(self) -> None:
        assert self.state.service_id is not None
        self.state.scoring = self._ws().scoring(self.state.service_id)
        self._score(self.state.scoring, "scored with the primary key")

    def step_rotate(self) -> None:
        from ..cli.misc import fixed_key_scoring
        from ..errors import AuthenticationError

        ws, sid = self._ws(), self.state.service_id
        assert sid is not None
        old = ws.services.keys(sid).primary_key or ""
        new = ws.services.regenerate_key(sid, "Primary").primary_key
        if not new or new == old:
            raise CheckFailed("regenerateKeys did not change the primary key")
        self.say("regenerated the primary key")
        uri = str(ws.services.get(sid).scoring_uri)
        with fixed_key_scoring(uri, old, self.conn.http) as stale:
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
        self.progress.wait_poller(self._ws().services.begin_delete(self.state.service_id), "service delete", 600)
        self.state.created.remove("service")

    def step_delete_model(self) -> None:
        assert self.state.model_id is not None
        self._ws().models.delete(self.state.model_id)
        self.state.created.remove("model")
        self.say(f"deleted model {self.state.model_id}")

    def step_delete_compute(self) -> None:
        self.progress.wait_poller(self._ws().computes.begin_delete(self.s.compute), "compute delete", 1800)
        self.state.created.remove("compute")

    def step_delete_workspace(self) -> None:
        poller = self._ml().workspaces.begin_delete(self.s.resource_group, self.s.workspace)
        self.progress.wait_poller(poller, "workspace delete", 1800)
        self.state.created.remove("workspace")


# --- connections ----------------------------------------------------------------------------------------------


def _emulator_connection(settings: DemoSettings, err: TextIO) -> Connection | None:
    try:
        server = importlib.import_module("azureml_emulator.server")
        config = importlib.import_module("azureml_emulator.config")
    except ModuleNotFoundError as exc:
        err.write(f"error: the demo's embedded emulator is not installed ({exc.name} is missing). "
                  "Hint: pip install 'azureml-rest[emulator]', or run against Azure with --azure\n")
        return None
    from ..client import EMULATOR_ACCOUNT
    from ..clouds import Cloud
    from ..credentials import ServicePrincipalCredential
    from ..config import HttpConfig

    emu = server.start_in_thread(config.EmulatorConfig(lro_delay=settings.lro_delay, location=settings.location))
    cloud = Cloud.emulator(emu.base_url)
    http = HttpConfig()
    cred = ServicePrincipalCredential(EMULATOR_ACCOUNT["tenant_id"], EMULATOR_ACCOUNT["client_id"],
                                      EMULATOR_ACCOUNT["client_secret"], cloud=cloud, http_config=http)
    return Connection(f"the embedded emulator at {emu.base_url}", cred, EMULATOR_ACCOUNT["subscription_id"], cloud,
                      http, stop=emu.stop)


def _emulator_ids(subscription_id: str, rg: str) -> dict[str, str]:
    """Well-formed ids for the four dependent resources (the emulator checks their form, not their existence)."""
    base = f"/subscriptions/{subscription_id}/resourceGroups/{rg}/providers"
    return {
        "storage_account": f"{base}/Microsoft.Storage/storageAccounts/azuremlrestdemo",
        "key_vault": f"{base}/Microsoft.KeyVault/vaults/azureml-rest-demo-kv",
        "application_insights": f"{base}/Microsoft.Insights/components/azureml-rest-demo-ai",
        "container_registry": f"{base}/Microsoft.ContainerRegistry/registries/azuremlrestdemo",
    }


def _settings(ctx: Context, *, azure: bool, subscription_id: str | None) -> tuple[DemoSettings | None, list[str]]:
    a = ctx.args

    def pick(name: str, env: str) -> str | None:
        return ctx.opt(name, env)

    rg = ctx.resource_group_or_none()
    ws = ctx.opt("workspace", "AZUREML_WORKSPACE")
    location = pick("location", "AZUREML_LOCATION")
    ids = {k: pick(k, f"AZUREML_{k.upper()}") for k in
           ("storage_account", "key_vault", "application_insights", "container_registry")}
    missing: list[str] = []
    if azure:
        if not rg:
            missing.append("--resource-group/-g (or AZUREML_RESOURCE_GROUP)")
        if not location:
            missing.append("--location (or AZUREML_LOCATION)")
        for k in ("storage_account", "key_vault", "application_insights"):
            if not ids[k]:
                missing.append(f"--{k.replace('_', '-')} (or AZUREML_{k.upper()})")
        if missing:
            return None, missing
    else:
        rg = rg or DEFAULT_RESOURCE_GROUP
        location = location or DEFAULT_LOCATION
        defaults = _emulator_ids(str(subscription_id), rg)
        ids = {k: v or defaults[k] for k, v in ids.items()}
    assert rg and location
    return DemoSettings(
        azure=azure, resource_group=rg, workspace=ws or DEFAULT_WORKSPACE, location=location,
        storage_account=str(ids["storage_account"]), key_vault=str(ids["key_vault"]),
        application_insights=str(ids["application_insights"]), container_registry=ids["container_registry"],
        experiment=a.experiment, compute=a.compute_name, lro_delay=a.lro_delay, keep=a.keep, debug=ctx.debug,
    ), []


def _azure_missing_credentials(ctx: Context) -> list[str]:
    names = (("tenant_id", "AZURE_TENANT_ID"), ("client_id", "AZURE_CLIENT_ID"),
             ("client_secret", "AZURE_CLIENT_SECRET"), ("subscription", "AZURE_SUBSCRIPTION_ID"))
    return [f"{env} (or --{opt.replace('_', '-')})" for opt, env in names if not ctx.opt(opt, env)]


def run_from_cli(ctx: Context) -> int:
    """``azureml-rest demo``: build the connection, run the walkthrough, return the exit status."""
    if ctx.args.azure:
        if ctx.endpoint:
            ctx.err.write("error: --azure and --endpoint exclude each other\n")
            return EXIT_USAGE
        missing = _azure_missing_credentials(ctx)
        settings, more = _settings(ctx, azure=True, subscription_id=ctx.opt("subscription", "AZURE_SUBSCRIPTION_ID"))
        missing += more
        if missing or settings is None:
            ctx.err.write("error: demo --azure needs: " + "; ".join(missing) + "\n")
            return EXIT_USAGE
        conn = Connection(f"Azure ({ctx.cloud().name})", ctx.credential(), ctx.subscription_id(), ctx.cloud(),
                          ctx.http_config())
    else:
        from ..client import EMULATOR_ACCOUNT

        settings, _ = _settings(ctx, azure=False, subscription_id=EMULATOR_ACCOUNT["subscription_id"])
        assert settings is not None
        if ctx.endpoint:  # an emulator the user already runs (its development account unless told otherwise)
            conn = Connection(f"the emulator at {ctx.endpoint}", ctx.credential(), ctx.subscription_id(),
                              ctx.cloud(), ctx.http_config())
            return Walkthrough(settings, conn, ctx.out, ctx.err).run()
        started = _emulator_connection(settings, ctx.err)
        if started is None:
            return EXIT_ERROR
        conn = started
    try:
        return Walkthrough(settings, conn, ctx.out, ctx.err).run()
    finally:
        conn.stop()
