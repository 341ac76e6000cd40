"""The same story on the current API (``machinelearning``, 2025-12-01), after the article's walkthrough.

Steps, each shown like the article's (its HTTP calls from the ``HttpConfig.on_event`` hook, then ``ok``):
upload ``project_v2/`` as a code version (hashed as azure-ai-ml hashes it), submit ``train.py`` as a command job on
the article's compute (the code found again by its hash, nothing sent twice), stream its ``std_log.txt`` until it
completes, register ``model.json`` from the job's output as a model version, create a managed online endpoint
(key auth) and a deployment running ``score.py`` (``init()`` loads that model) with all the traffic, score with the
key, regenerate the primary key and score again with the same client (its 401 re-reads the keys), delete the
endpoint. The workspace and compute are the article's: :class:`~demo.walkthrough.Walkthrough` deletes them after
these steps. Everything goes through ``ws.jobs``, ``ws.model_versions``, ``ws.environments``,
``ws.online_endpoints`` and ``ws.online_deployments`` (or :class:`azureml_rest.operations.jobs.JobOperations`
with ``upload_options``, e.g. small blocks in the reliability tests).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import clean_copy
from .display import describe
from .walkthrough import CheckFailed

if TYPE_CHECKING:
    from azureml_rest.operations.jobs import JobOperations

    from .walkthrough import Walkthrough

__all__ = [
    "DEFAULT_DEPLOYMENT_IMAGE",
    "DEFAULT_INSTANCE_TYPE",
    "DEFAULT_JOB_IMAGE",
    "EXPECTED_SCORES",
    "PROJECT_V2_DIR",
    "PROJECT_V2_FILES",
    "SCORE_REQUEST",
    "STEPS",
    "CurrentApiPart",
    "CurrentApiSettings",
    "new_endpoint_name",
]

#: The project the current API's part uploads: the training script, its data and the scoring script.
PROJECT_V2_DIR = Path(__file__).resolve().parent / "project_v2"
PROJECT_V2_FILES = ("train.py", "data.csv", "score.py")
#: A curated Azure ML base image with Python (the job runs train.py, standard library only).
DEFAULT_JOB_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
#: Azure ML's minimal inference image (azureml-inference-server-http, which calls init()/run()).
DEFAULT_DEPLOYMENT_IMAGE = "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py311-cpu-inference:latest"
DEFAULT_INSTANCE_TYPE = "Standard_DS3_v2"
MODEL_NAME = "demo-model-v2"
ENVIRONMENT_NAME = "demo-scoring-env"
COMMAND = "python train.py --data data.csv --model-dir ${{outputs.model}}"
#: train.py fits data.csv exactly: bias 0.5, weights 0.1 0.2 0.3 0.4.
SCORE_REQUEST: dict[str, Any] = {"data": [[1, 2, 3, 4], [0, 0, 0, 0]]}
EXPECTED_SCORES = [3.5, 0.5]
STEPS = (
    "upload the code", "submit train.py", "stream the log and wait", "register the model from the job output",
    "create the endpoint", "create the deployment", "score with the key", "regenerate the key and score again",
    "delete the endpoint",
)


def new_endpoint_name() -> str:
    """A fresh endpoint name (names are unique per region on Azure): ``rest-demo-`` and 8 hex digits."""
    return f"rest-demo-{uuid.uuid4().hex[:8]}"


@dataclass
class CurrentApiSettings:
    """What the current API's part creates; every field has a default that works on the emulator and Azure."""

    job_image: str = DEFAULT_JOB_IMAGE
    deployment_image: str = DEFAULT_DEPLOYMENT_IMAGE
    instance_type: str = DEFAULT_INSTANCE_TYPE
    endpoint: str = field(default_factory=new_endpoint_name)
    deployment: str = "blue"
    #: Options for the blob uploads (``concurrency``, ``block_size``, ``single_put_size``); empty: ``ws.jobs``.
    upload_options: dict[str, Any] = field(default_factory=dict)
    poll_first: float = 0.25
    poll_max: float = 10.0


@dataclass
class _State:
    folder: Path | None = None
    code: Any = None  # the code version uploaded (azureml_rest.operations.jobs.UploadedCode)
    job: str | None = None
    log: list[str] = field(default_factory=list)
    model_id: str | None = None
    scoring: Any = None
    endpoint_created: bool = False


class CurrentApiPart:
    """The current API's steps, run by a :class:`~demo.walkthrough.Walkthrough` between the article's steps and
    its final deletes (``Walkthrough(..., parts=[lambda w: CurrentApiPart(w, settings)])``)."""

    title = "the same story on the current API (machinelearning 2025-12-01)"

    def __init__(self, walk: Walkthrough, settings: CurrentApiSettings | None = None) -> None:
        self.walk = walk
        self.s = settings or CurrentApiSettings()
        self.state = _State()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._jobs: JobOperations | None = None

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        fns = (self.step_upload, self.step_submit, self.step_wait, self.step_register, self.step_endpoint,
               self.step_deployment, self.step_score, self.step_rotate, self.step_delete)
        steps = list(zip(STEPS, fns, strict=True))
        return steps[:-1] if self.walk.s.keep else steps  # --keep: the endpoint stays

    # -- helpers --

    def say(self, text: str) -> None:
        self.walk.say(text)

    def _ws(self) -> Any:
        return self.walk._ws()

    def jobs(self) -> JobOperations:
        if self._jobs is None:
            if self.s.upload_options:
                from azureml_rest.operations.jobs import JobOperations

                self._jobs = JobOperations(self._ws(), **self.s.upload_options)
            else:
                self._jobs = self._ws().jobs
        return self._jobs

    def _project(self) -> Path:
        """A clean copy of project_v2/ (no __pycache__ or editor files), kept until :meth:`close`."""
        if self.state.folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="azureml-rest-demo-v2-")
            self.state.folder = clean_copy(PROJECT_V2_DIR, PROJECT_V2_FILES, Path(self._tmp.name))
        return self.state.folder

    def _score(self, label: str) -> None:
        self.walk._score(self.state.scoring, label, request=SCORE_REQUEST, expected=EXPECTED_SCORES)

    # -- the steps --

    def step_upload(self) -> None:
        code = self.jobs().code.upload(self._project())
        self.state.code = code
        how = "uploaded" if code.uploaded else "already there (same hash), reused"
        self.say(f"code {code.name}:{code.version} {how}; hash {code.hash[:16]}…")

    def step_submit(self) -> None:
        code = self.state.code
        job = self.jobs().submit(COMMAND, code=self._project(), image=self.s.job_image, compute=self.walk.s.compute,
                                 outputs={"model": "uri_folder"}, experiment_name=self.walk.s.experiment,
                                 display_name="train the demo model", timeout=3600)
        self.state.job = str(job.name)
        props = job.to_dict().get("properties") or {}
        if code is not None and props.get("codeId") != code.id:
            raise CheckFailed(f"the job's code {props.get('codeId')!r} is not the version just uploaded")
        self.say(f"job {job.name}: {props.get('status')} on {self.walk.s.compute}; code found by its hash "
                 "(not uploaded again)")

    def step_wait(self) -> None:
        from azureml_rest.operations.jobs import job_status

        assert self.state.job is not None

        def line(text: str) -> None:
            self.state.log.append(text)
            self.say(f"| {text}")

        job = self.jobs().wait(self.state.job, on_log_line=line, poll_first=self.s.poll_first,
                               poll_max=self.s.poll_max, timeout=3600)
        self.say(f"status {job_status(job)}")
        if not any("wrote model.json" in x for x in self.state.log):
            raise CheckFailed("the job's log does not say it wrote model.json")

    def step_register(self) -> None:
        assert self.state.job is not None
        uri = f"azureml://jobs/{self.state.job}/outputs/model/paths/model.json"
        version = time.strftime("%Y%m%d%H%M%S", time.gmtime())  # versions are immutable: a new one per run
        model = self._ws().model_versions.create(MODEL_NAME, version, uri,
                                                 description="fitted by train.py in the demo's command job")
        self.state.model_id = str(model.id)
        self.say(f"model {MODEL_NAME}:{version} from {uri}")

    def step_endpoint(self) -> None:
        poller = self._ws().online_endpoints.begin_create_or_update(
            self.s.endpoint, auth_mode="Key", location=self.walk.s.location,
            description="created by azureml-rest demo")
        self.state.endpoint_created = True
        self.say(f"accepted; polling ({poller.strategy})")
        ep = self.walk.progress.wait_poller(poller, "endpoint", 1800)
        self.say(f"endpoint {ep.name}: {ep.properties.provisioning_state}; scoringUri {ep.properties.scoring_uri}")

    def step_deployment(self) -> None:
        ws, code = self._ws(), self.state.code
        assert code is not None and self.state.model_id is not None
        # Versions are immutable: one per image, so another --deployment-image never collides with an old one.
        env_version = hashlib.sha256(self.s.deployment_image.encode()).hexdigest()[:12]
        env = ws.environments.create(ENVIRONMENT_NAME, env_version, image=self.s.deployment_image,
                                     description="azureml-rest demo: the scoring image")
        poller = ws.online_deployments.begin_create_or_update(
            self.s.endpoint, self.s.deployment, model=self.state.model_id, code=code.id, scoring_script="score.py",
            environment=env, instance_type=self.s.instance_type, instance_count=1, location=self.walk.s.location)
        dep = self.walk.progress.wait_poller(poller, "deployment", 3600)
        self.say(f"deployment {dep.name}: {dep.properties.provisioning_state} ({self.s.instance_type}, "
                 f"environment {ENVIRONMENT_NAME}:{env_version}, score.py from code {code.name})")
        self.walk.progress.wait_poller(ws.online_endpoints.begin_set_traffic(self.s.endpoint, {self.s.deployment: 100}),
                                       "traffic", 1800)
        self.say(f"traffic: {self.s.deployment} 100%")

    def step_score(self) -> None:
        ws = self._ws()
        keys = ws.online_endpoints.keys(self.s.endpoint)
        self.say(f"primary key: {len(keys.primary_key or '')} characters (not shown)")
        self.state.scoring = ws.online_endpoints.scoring_client(self.s.endpoint)
        self._score("scored with the primary key")

    def step_rotate(self) -> None:
        ops = self._ws().online_endpoints
        old = ops.keys(self.s.endpoint).primary_key
        self.walk.progress.wait_poller(ops.begin_regenerate_key(self.s.endpoint, "Primary"), "regenerate", 600)
        if ops.keys(self.s.endpoint).primary_key == old:
            raise CheckFailed("regenerateKeys did not change the primary key")
        self.say("regenerated the primary key")
        # The client from the previous step still holds the old key: its first request gets 401, it reads the
        # keys again and retries with the new one, with no restart.
        self._score("same client, new key picked up")

    def step_delete(self) -> None:
        self.walk.progress.wait_poller(self._ws().online_endpoints.begin_delete(self.s.endpoint), "endpoint delete",
                                       1800)
        self.state.endpoint_created = False
        self.say(f"deleted endpoint {self.s.endpoint} and its deployment")

    # -- after a failure, and at the end --

    def cleanup(self) -> None:
        """Best effort after a failed step: delete the endpoint (real Azure bills for it)."""
        if not self.state.endpoint_created:
            return
        try:
            self._ws().online_endpoints.begin_delete(self.s.endpoint).result(timeout=1800)
            self.walk.err.write("cleanup: deleted the endpoint\n")
        except Exception as exc:
            self.walk.err.write(f"cleanup: could not delete the endpoint: {describe(exc)}\n")

    def close(self) -> None:
        scoring, self.state.scoring = self.state.scoring, None
        if scoring is not None:
            scoring.close()
        tmp, self._tmp = self._tmp, None
        if tmp is not None:
            tmp.cleanup()
