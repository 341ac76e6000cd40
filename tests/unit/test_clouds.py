from __future__ import annotations

import pytest
from azureml_rest.clouds import (
    AZURE_CHINA_CLOUD,
    AZURE_PUBLIC_CLOUD,
    AZURE_US_GOVERNMENT,
    Cloud,
    get_cloud,
    resource_to_scope,
    scope_to_resource,
)


@pytest.mark.parametrize(
    ("name", "cloud"),
    [
        ("AzureCloud", AZURE_PUBLIC_CLOUD),
        ("azurecloud", AZURE_PUBLIC_CLOUD),
        ("AzurePublicCloud", AZURE_PUBLIC_CLOUD),
        ("AZURE_PUBLIC_CLOUD", AZURE_PUBLIC_CLOUD),
        ("AzureChinaCloud", AZURE_CHINA_CLOUD),
        ("china", AZURE_CHINA_CLOUD),
        ("AzureUSGovernment", AZURE_US_GOVERNMENT),
        ("AzureUSGovernmentCloud", AZURE_US_GOVERNMENT),
    ],
)
def test_lookup_by_name(name: str, cloud: Cloud) -> None:
    assert get_cloud(name) is cloud


def test_unknown_cloud_names_known_ones() -> None:
    with pytest.raises(ValueError, match="AzureChinaCloud"):
        get_cloud("AzureGermanCloud")


def test_table_values() -> None:
    assert AZURE_PUBLIC_CLOUD.authority_host == "https://login.microsoftonline.com"
    assert AZURE_PUBLIC_CLOUD.arm_scope == "https://management.azure.com/.default"
    assert AZURE_PUBLIC_CLOUD.ml_scope == "https://ml.azure.com/.default"
    assert AZURE_CHINA_CLOUD.arm_endpoint == "https://management.chinacloudapi.cn"
    assert AZURE_US_GOVERNMENT.authority_host == "https://login.microsoftonline.us"
    assert ".api.ml.azure.us" in AZURE_US_GOVERNMENT.ml_host_suffixes


@pytest.mark.parametrize(
    ("cloud", "url", "owned"),
    [
        (AZURE_PUBLIC_CLOUD, "https://management.azure.com/subscriptions", True),
        (AZURE_PUBLIC_CLOUD, "https://login.microsoftonline.com/t/oauth2/token", True),
        (AZURE_PUBLIC_CLOUD, "https://eastus.api.azureml.ms/history/v1.0/x", True),
        (AZURE_PUBLIC_CLOUD, "https://centralus.experiments.azureml.net/discovery", True),
        (AZURE_PUBLIC_CLOUD, "https://centralus.modelmanagement.azureml.net/x", True),
        (AZURE_PUBLIC_CLOUD, "https://evil.example.com/api.azureml.ms", False),
        (AZURE_PUBLIC_CLOUD, "https://api.azureml.ms.evil.com/", False),
        (AZURE_PUBLIC_CLOUD, "https://management.chinacloudapi.cn/", False),
        (AZURE_CHINA_CLOUD, "https://chinaeast2.api.ml.azure.cn/x", True),
        (AZURE_CHINA_CLOUD, "https://eastus.api.azureml.ms/x", False),
        (AZURE_US_GOVERNMENT, "https://usgovarizona.api.ml.azure.us/x", True),
        (AZURE_US_GOVERNMENT, "https://management.usgovcloudapi.net/x", True),
    ],
)
def test_owns_url(cloud: Cloud, url: str, owned: bool) -> None:
    assert cloud.owns_url(url) is owned


def test_trusted_hosts_exact_port_and_suffix() -> None:
    c = AZURE_PUBLIC_CLOUD.with_trusted_hosts("scoring.example.com", "gw.example.org:8443", "*.corp.example")
    assert c.owns_url("https://scoring.example.com/score")
    assert c.owns_url("https://scoring.example.com:444/score")
    assert c.owns_url("https://gw.example.org:8443/x")
    assert not c.owns_url("https://gw.example.org/x")
    assert c.owns_url("https://a.b.corp.example/x")
    assert not c.owns_url("https://corp.example.evil/x")
    # the original is unchanged (frozen)
    assert not AZURE_PUBLIC_CLOUD.owns_url("https://scoring.example.com/score")
    # per-call extra hosts
    assert AZURE_PUBLIC_CLOUD.owns_url("https://x.example.net/", ["x.example.net"])


def test_emulator_cloud() -> None:
    c = Cloud.emulator("http://127.0.0.1:5123/")
    assert c.authority_host == c.arm_endpoint == "http://127.0.0.1:5123"
    assert c.owns_url("http://127.0.0.1:5123/subscriptions")
    assert not c.owns_url("http://127.0.0.1:9999/subscriptions")
    assert not c.owns_url("https://management.azure.com/")
    assert c.arm_scope == AZURE_PUBLIC_CLOUD.arm_scope


def test_custom_cloud() -> None:
    c = Cloud.custom(
        "Stack",
        authority_host="https://login.stack.example/",
        arm_endpoint="https://management.stack.example",
        ml_host_suffixes=["api.ml.stack.example"],
    )
    assert c.arm_audience == "https://management.stack.example/"
    assert c.ml_audience == c.arm_audience
    assert c.owns_url("https://r1.api.ml.stack.example/x")
    assert c.owns_url("https://login.stack.example/t/oauth2/token")
    with pytest.raises(ValueError):
        Cloud.custom("bad", authority_host="login.example", arm_endpoint="https://m.example")


def test_scope_resource_conversions() -> None:
    assert resource_to_scope("https://management.azure.com/") == "https://management.azure.com/.default"
    assert resource_to_scope("https://ml.azure.com") == "https://ml.azure.com/.default"
    assert resource_to_scope("https://ml.azure.com/.default") == "https://ml.azure.com/.default"
    assert scope_to_resource("https://management.azure.com/.default") == "https://management.azure.com/"
    assert scope_to_resource("https://ml.azure.com") == "https://ml.azure.com/"
    assert scope_to_resource("api://my-app/.default") == "api://my-app/"


def test_storage_hosts_of_each_cloud() -> None:
    from azureml_rest.clouds import AZURE_CHINA_CLOUD, AZURE_PUBLIC_CLOUD, Cloud

    assert AZURE_PUBLIC_CLOUD.owns_storage_url("https://acct.blob.core.windows.net/c/b?sig=x")
    assert not AZURE_PUBLIC_CLOUD.owns_storage_url("https://acct.blob.core.windows.net.evil.example/c")
    assert not AZURE_PUBLIC_CLOUD.owns_storage_url("https://blob.core.windows.net/c")
    assert not AZURE_PUBLIC_CLOUD.owns_storage_url("https://a.b.blob.core.windows.net/c")
    assert not AZURE_PUBLIC_CLOUD.owns_storage_url("https://acct.blob.core.chinacloudapi.cn/c")
    assert AZURE_CHINA_CLOUD.owns_storage_url("https://acct.blob.core.chinacloudapi.cn/c")
    assert Cloud.emulator("http://127.0.0.1:8765").owns_storage_url("https://ws.blob.core.localhost:8765/c")
    private = Cloud.custom("Stack", authority_host="https://login.stack", arm_endpoint="https://arm.stack",
                           storage_suffix=".stack.local")
    assert private.owns_storage_url("https://acct.blob.stack.local/c")
