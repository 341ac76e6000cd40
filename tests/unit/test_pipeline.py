from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import trustme
from azureml_rest.auth import BearerTokenAuth
from azureml_rest.config import HttpConfig
from azureml_rest.errors import UntrustedHostError
from azureml_rest.pipeline import _env_proxy_patterns, attach, build_async_client, build_client
from azureml_rest.transport import AsyncRetryTransport, RetryTransport

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_documented_values() -> None:
    cfg = HttpConfig()
    t = cfg.timeout
    assert (t.connect, t.read, t.write, t.pool) == (10.0, 60.0, 60.0, 10.0)
    assert cfg.full_user_agent().startswith("azureml-rest/0.1.0 python/")
    assert f"httpx/{httpx.__version__}" in cfg.full_user_agent()
    assert HttpConfig(user_agent="myapp/1").full_user_agent().startswith("myapp/1 azureml-rest/")


def test_build_client_sets_headers_timeout_request_id() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with build_client("https://management.azure.com", transport=httpx.MockTransport(handler)) as c:
        assert isinstance(c._transport, RetryTransport)
        c.get("/x")
        c.get("/x")
    assert seen[0].headers["user-agent"].startswith("azureml-rest/0.1.0")
    assert seen[0].extensions["timeout"] == {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 10.0}
    ids = [r.headers["x-ms-client-request-id"] for r in seen]
    assert ids[0] != ids[1]


@pytest.mark.anyio
async def test_build_async_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async with build_async_client("https://management.azure.com", transport=httpx.MockTransport(handler)) as c:
        assert isinstance(c._transport, AsyncRetryTransport)
        await c.get("/x")
    assert "x-ms-client-request-id" in seen[0].headers and seen[0].headers["user-agent"].startswith("azureml-rest/")


def test_config_trusted_hosts_reach_auth() -> None:
    class Tok:
        token = "t"
        expires_on = 2**31

    class Cred2:
        def get_token(self, *scopes: str, **kw: Any) -> Any:
            return Tok()

    cfg = HttpConfig(trusted_hosts=("gw.corp.example",))
    with build_client(
        "https://gw.corp.example",
        auth=BearerTokenAuth(Cred2()),
        config=cfg,
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    ) as c:
        assert c.get("/x").status_code == 200
    with build_client(
        "https://gw.corp.example",
        auth=BearerTokenAuth(Cred2()),
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    ) as c:
        with pytest.raises(UntrustedHostError):
            c.get("/x")


def test_env_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1,.internal.example")
    patterns = _env_proxy_patterns()
    assert patterns["https://"] == "http://proxy.corp.example:3128"
    assert patterns["all://localhost"] is None and patterns["all://127.0.0.1"] is None
    assert patterns["all://*.internal.example"] is None
    with build_client("https://management.azure.com") as c:
        proxied = c._transport_for_url(httpx.URL("https://management.azure.com/x"))
        direct = c._transport_for_url(httpx.URL("https://127.0.0.1/x"))
    assert isinstance(proxied, RetryTransport) and proxied is not c._transport
    assert direct is c._transport
    with build_client("https://management.azure.com", config=HttpConfig(trust_env=False)) as c:
        assert c._transport_for_url(httpx.URL("https://management.azure.com/x")) is c._transport
    monkeypatch.setenv("NO_PROXY", "*")
    assert _env_proxy_patterns() == {}


def test_verify_with_ca_file(tmp_path: Path) -> None:
    ca = trustme.CA()
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    with build_client("https://management.azure.com", config=HttpConfig(verify=str(path))) as c:
        assert isinstance(c._transport, RetryTransport)


# ---- attach() with a real openapi-python-client output --------------------------------------------------------

SPEC = textwrap.dedent(
    """
    openapi: 3.0.3
    info: {title: mini, version: "1"}
    paths:
      /subscriptions/{subscriptionId}/resourcegroups:
        get:
          operationId: ResourceGroups_List
          tags: [ResourceGroups]
          parameters:
            - {name: subscriptionId, in: path, required: true, schema: {type: string}}
            - {name: api-version, in: query, required: true, schema: {type: string, default: "2019-10-01"}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {type: object, properties: {value: {type: array, items: {type: object}}}}
    """
)


@pytest.fixture(scope="module")
def mini_client(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    exe = Path(sys.executable).with_name("openapi-python-client")
    if not exe.exists():
        pytest.skip("openapi-python-client is not installed")
    d = tmp_path_factory.mktemp("gen")
    (d / "spec.yaml").write_text(SPEC)
    (d / "cfg.yaml").write_text("post_hooks: []\npackage_name_override: azureml_mini_client\n")
    subprocess.run(
        [
            str(exe),
            "generate",
            "--path",
            "spec.yaml",
            "--config",
            "cfg.yaml",
            "--meta",
            "none",
            "--output-path",
            "azureml_mini_client",
        ],
        cwd=d,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(d))
    import azureml_mini_client

    return azureml_mini_client


def test_attach_generated_client_sync_and_async(mini_client: ModuleType) -> None:
    import importlib

    op = importlib.import_module("azureml_mini_client.api.resource_groups.resource_groups_list")
    seen: list[httpx.Request] = []
    answers = [503, 200]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(answers.pop(0), json={"value": [{"name": "rg"}]})

    httpx_client = build_client(
        "https://management.azure.com", transport=httpx.MockTransport(handler), sleep=lambda s: None
    )
    gen = attach(mini_client.Client, "https://management.azure.com", httpx_client)
    assert gen.get_httpx_client() is httpx_client
    r = op.sync_detailed("sub-1", client=gen)
    assert r.status_code == 200 and len(seen) == 2
    assert seen[0].url.params["api-version"] == "2019-10-01"
    assert seen[0].headers["x-ms-client-request-id"] == seen[1].headers["x-ms-client-request-id"]
    with pytest.raises(ValueError):
        attach(mini_client.Client, "https://other.example", httpx_client)
    actx = build_async_client("https://management.azure.com", transport=httpx.MockTransport(handler))
    agen = attach(mini_client.Client, "https://management.azure.com", actx)
    assert agen.get_async_httpx_client() is actx


def test_import_is_lazy() -> None:
    code = (
        "import sys, azureml_rest; assert 'httpx' not in sys.modules, 'httpx loaded';"
        "assert 'azureml_rest.errors' not in sys.modules; azureml_rest.RetryPolicy;"
        "assert azureml_rest.__version__ == '0.1.0'; print(sorted(azureml_rest.__all__)[:1]);"
        # httpx imports httpcore when a transport is built (~40 ms), and so may we, not before
        "import azureml_rest.pipeline, azureml_rest.client; assert 'httpcore' not in sys.modules, 'httpcore loaded'"
    )
    env = {"PYTHONPATH": str(ROOT / "overlays"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import azureml_rest

    for name in azureml_rest.__all__:
        assert getattr(azureml_rest, name) is not None
    with pytest.raises(AttributeError):
        azureml_rest.nope  # noqa: B018


def test_first_job_call_loads_only_its_own_path() -> None:
    """A sync ``ws.jobs`` handle (the first call of many scripts, benchmarks/firstcall.py) loads neither the async
    credential, nor asyncio, nor paging, nor the environment credential, nor job submission's modules."""
    code = (
        "import sys\n"
        "from azureml_rest import AzureML\n"
        "ml = AzureML.for_emulator('https://127.0.0.1:9')\n"
        "ml.workspace('rg', 'ws').jobs\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {"PYTHONPATH": f"{ROOT / 'overlays'}{os.pathsep}{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert {"azureml_rest._sync.jobs", "azureml_rest._sync.credential"} <= loaded  # the test sees the path
    unwanted = {"asyncio", "azureml_rest._async.credential", "azureml_rest.credentials.environment",
                "azureml_rest.paging", "azureml_rest._paging_core", "azureml_rest.job_spec",
                "azureml_rest._network_backend",
                "azureml_machinelearning_client.api.jobs.jobs_create_or_update"}
    assert not unwanted & loaded, sorted(unwanted & loaded)



def test_model_versions_handle_loads_no_blob_client() -> None:
    """``ws.model_versions`` imports its own module only: the blob clients are loaded by the first upload of a
    local path, and the async classes not at all by a sync handle."""
    code = (
        "import sys\n"
        "from azureml_rest import AzureML\n"
        "ml = AzureML.for_emulator('https://127.0.0.1:9')\n"
        "ml.workspace('rg', 'ws').model_versions\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {"PYTHONPATH": f"{ROOT / 'overlays'}{os.pathsep}{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert "azureml_rest._sync.models_v2" in loaded  # the test sees the path
    unwanted = {"azureml_rest._async.blob", "azureml_rest._sync.blob", "azureml_rest.blob_protocol",
                "azureml_rest._async.models_v2", "azureml_rest._async._v2_calls", "azureml_rest._sync._v2_calls"}
    assert not unwanted & loaded, sorted(unwanted & loaded)

def test_credentials_package_resolves_every_name_lazily() -> None:
    import azureml_rest.credentials as credentials

    for name in credentials.__all__:
        assert getattr(credentials, name) is not None
    assert set(credentials.__all__) <= set(dir(credentials))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        credentials.nope  # noqa: B018
