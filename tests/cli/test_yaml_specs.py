"""az ml YAML files read by the library (``azureml_rest.yaml_specs``), without a service: the restated
azureml-examples files, paths against the file's folder, ``--set`` overrides, unknown fields named with file,
line and the closest known name."""

from __future__ import annotations

from pathlib import Path

import pytest
from azureml_rest.errors import YamlSpecError
from azureml_rest.job_spec import Input, Output
from azureml_rest.yaml_specs import (
    EnvironmentSpec,
    ModelSpec,
    load_environment,
    load_job,
    load_model,
    load_online_deployment,
    load_online_endpoint,
)

EXAMPLES = Path(__file__).parent / "azureml_examples"
JOBS = EXAMPLES / "jobs" / "basics"
ONLINE = EXAMPLES / "endpoints" / "online"


def write(tmp_path: Path, text: str, name: str = "spec.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hello_world_is_an_image_job_on_a_named_compute() -> None:
    spec = load_job(JOBS / "hello-world.yml")
    assert spec.command == 'echo "hello world"'
    assert spec.image == "library/python:latest" and spec.environment is None and spec.inline_environment is None
    assert spec.compute == "cpu-cluster"  # azureml:cpu-cluster, as az ml reads it
    kw = spec.submit_kwargs()
    assert kw["image"] == "library/python:latest" and "environment" not in kw and kw["code"] is None


def test_literal_inputs_and_environment_variables() -> None:
    spec = load_job(JOBS / "hello-world-input.yml")
    assert spec.inputs == {"hello_string": "hello world", "hello_number": 42}
    assert spec.command.splitlines() == ["echo ${{inputs.hello_string}}", "echo ${{inputs.hello_number}}"]
    assert load_job(JOBS / "hello-world-env-var.yml").environment_variables == {"hello_env_var": "hello world"}


def test_code_resolves_against_the_files_folder_not_the_working_directory(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_job(JOBS / "hello-code.yml").code == (JOBS / "src").resolve()


def test_inputs_outputs_resources_limits_and_references(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    spec = load_job(write(tmp_path, """\
$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
type: command
name: my-job
display_name: mine
experiment_name: exp
command: python train.py --data ${{inputs.data}} --out ${{outputs.model}}
code: ./src
environment: azureml:my-env:3
compute: azureml:gpu
inputs:
  data:
    type: uri_folder
    path: ./data
  remote:
    type: uri_file
    path: azureml://datastores/workspaceblobstore/paths/x.csv
    mode: download
  rate: 0.5
outputs:
  model:
    type: uri_folder
    mode: rw_mount
  plain:
resources:
  instance_count: 2
  instance_type: Standard_NC6
limits:
  timeout: 900
tags:
  owner: me
distribution:
  type: pytorch
"""))
    assert spec.environment == "azureml:my-env:3" and spec.image is None
    assert spec.code == (tmp_path / "src").resolve()
    assert spec.inputs["data"] == Input(path=(tmp_path / "data").resolve(), type="uri_folder")
    assert spec.inputs["remote"] == Input(uri="azureml://datastores/workspaceblobstore/paths/x.csv",
                                          type="uri_file", mode="download")
    assert spec.inputs["rate"] == 0.5
    assert spec.outputs == {"model": Output("uri_folder", mode="rw_mount"), "plain": Output()}
    assert (spec.instance_count, spec.timeout, spec.tags) == (2, 900.0, {"owner": "me"})
    assert set(spec.ignored) == {"distribution", "resources.instance_type"}
    kw = spec.submit_kwargs()
    assert kw["environment"] == "azureml:my-env:3" and kw["name"] == "my-job" and kw["compute"] == "gpu"


def test_an_inline_environment_with_a_conda_file_must_be_created_first(tmp_path: Path) -> None:
    spec = load_job(write(tmp_path, "command: ls\nenvironment:\n  image: python:3.11\n  conda_file: env/conda.yml\n"))
    assert spec.inline_environment == EnvironmentSpec(name=None, version=None, image="python:3.11",
                                                      conda_file=(tmp_path / "env" / "conda.yml").resolve())
    with pytest.raises(ValueError, match="inline environment"):
        spec.submit_kwargs()
    assert spec.submit_kwargs(environment="/subscriptions/x/environments/e/versions/1")["environment"].endswith("/1")


def test_set_overrides_by_dotted_path_with_yaml_values() -> None:
    spec = load_job(JOBS / "hello-world-input.yml", overrides=[
        "inputs.hello_number=7", "compute=azureml:other", "resources.instance_count=3", "environment.image=py:3",
        "tags.team=ml", "inputs.fresh=new value",
    ])
    assert spec.inputs == {"hello_string": "hello world", "hello_number": 7, "fresh": "new value"}
    assert (spec.compute, spec.instance_count, spec.image, spec.tags) == ("other", 3, "py:3", {"team": "ml"})


@pytest.mark.parametrize(("text", "line", "field", "hint"), [
    ("command: ls\ncomand: ls\nenvironment: azureml:e:1\n", 2, "comand", "did you mean 'command'"),
    ("command: ls\nenvironment:\n  image: x\n  conda: c.yml\n", 4, "environment.conda", "did you mean 'conda_file'"),
    ("command: ls\nenvironment: azureml:e:1\nresources:\n  instance_cont: 2\n", 4, "resources.instance_cont",
     "did you mean 'instance_count'"),
    ("command: ls\nenvironment: azureml:e:1\ninputs:\n  a:\n    type: uri_file\n    pth: x\n", 6, "inputs.a.pth",
     "did you mean 'path'"),
    ("command: ls\nenvironment: azureml:e:1\nzzz: 1\n", 3, "zzz", "known here: code, command"),
])
def test_an_unknown_field_names_the_field_the_file_and_the_line(tmp_path: Path, text: str, line: int, field: str,
                                                                hint: str) -> None:
    path = write(tmp_path, text, "job.yml")
    with pytest.raises(YamlSpecError) as info:
        load_job(path)
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert str(err).startswith(f"{path}, line {line}: unknown field {field!r}") and hint in str(err)


def test_an_unknown_set_key_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(YamlSpecError, match=r"--set resources.instance_cont: unknown field .*instance_count"):
        load_job(JOBS / "hello-world.yml", overrides=["resources.instance_cont=2"])
    with pytest.raises(YamlSpecError, match="KEY=VALUE"):
        load_job(JOBS / "hello-world.yml", overrides=["compute"])


def test_bad_values_missing_fields_and_broken_yaml_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(YamlSpecError, match=r"line 3: 'resources.instance_count' must be a whole number"):
        load_job(write(tmp_path, "command: ls\nresources:\n  instance_count: two\nenvironment: azureml:e:1\n"))
    with pytest.raises(YamlSpecError, match="'command' is required"):
        load_job(write(tmp_path, "environment: azureml:e:1\n"))
    with pytest.raises(YamlSpecError, match="'environment' is required"):
        load_job(write(tmp_path, "command: ls\n"))
    with pytest.raises(YamlSpecError, match=r"line 2: not valid YAML"):
        load_job(write(tmp_path, "command: ls\n  bad: [\n"))
    with pytest.raises(YamlSpecError, match="only command jobs"):
        load_job(write(tmp_path, "type: pipeline\ncommand: ls\nenvironment: azureml:e:1\n"))
    with pytest.raises(YamlSpecError, match="no such file"):
        load_job(tmp_path / "missing.yml")


def test_a_file_of_another_kind_is_refused_by_its_schema() -> None:
    with pytest.raises(YamlSpecError, match=r"managedOnlineEndpoint file .* not a commandJob file"):
        load_job(ONLINE / "managed" / "sample" / "endpoint.yml")


def test_the_sample_endpoint_and_blue_deployment() -> None:
    endpoint = load_online_endpoint(ONLINE / "managed" / "sample" / "endpoint.yml")
    assert (endpoint.name, endpoint.auth_mode) == ("my-endpoint", "Key")
    assert endpoint.create_kwargs()["auth_mode"] == "Key"
    blue = load_online_deployment(ONLINE / "managed" / "sample" / "blue-deployment.yml")
    assert (blue.name, blue.endpoint_name, blue.instance_type, blue.instance_count) == (
        "blue", "my-endpoint", "Standard_DS2_v2", 1)
    assert blue.model == ModelSpec(name=None, version=None, path=(ONLINE / "model-1" / "model").resolve())
    assert blue.code == (ONLINE / "model-1" / "onlinescoring").resolve() and blue.scoring_script == "score.py"
    assert isinstance(blue.environment, EnvironmentSpec)
    assert blue.environment.conda_file == (ONLINE / "model-1" / "environment" / "conda.yml").resolve()
    assert blue.environment.image.startswith("mcr.microsoft.com/azureml/openmpi3.1.2")


def test_deployment_references_overrides_and_auth_modes(tmp_path: Path) -> None:
    dep = load_online_deployment(write(tmp_path, """\
name: green
endpoint_name: ep
model: azureml:m:2
environment: azureml:e:1
request_settings:
  request_timeout_ms: 3000
"""), overrides=["instance_count=2"])
    assert (dep.model, dep.environment, dep.code, dep.instance_count) == ("azureml:m:2", "azureml:e:1", None, 2)
    assert dep.ignored == ("request_settings",)
    with pytest.raises(YamlSpecError, match="line 2: auth_mode 'keys' is not one of key, aml_token, aad_token"):
        load_online_endpoint(write(tmp_path, "name: e\nauth_mode: keys\n"))
    assert load_online_endpoint(write(tmp_path, "name: e\nauth_mode: aml_token\n")).auth_mode == "AMLToken"
    with pytest.raises(YamlSpecError, match="line 2: unknown field 'instance_typ'"):
        load_online_deployment(write(tmp_path, "name: b\ninstance_typ: x\n"))


def test_model_and_environment_files(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, """\
$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json
name: local-file-example
path: mlflow-model/model.pkl
description: Model created from local file.
"""))
    assert model == ModelSpec(name="local-file-example", version=None,
                              path=(tmp_path / "mlflow-model" / "model.pkl").resolve(),
                              description="Model created from local file.")
    uri = "azureml://jobs/j1/outputs/artifacts/paths/model/"
    assert load_model(write(tmp_path, f"name: m\nversion: 2\npath: {uri}\ntype: mlflow_model\n")).path == uri
    env = load_environment(write(tmp_path, """\
$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
name: docker-image-plus-conda-example
image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04
conda_file: conda-yamls/pydata.yml
description: Environment created from a Docker image plus Conda environment.
"""))
    assert env.name == "docker-image-plus-conda-example" and env.image.endswith("ubuntu20.04")
    assert env.conda_file == (tmp_path / "conda-yamls" / "pydata.yml").resolve()
    with pytest.raises(YamlSpecError, match="needs 'image'"):
        load_environment(write(tmp_path, "name: e\nbuild:\n  path: docker-context\n"))
