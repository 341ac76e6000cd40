"""Azure clouds: login, ARM and Azure ML hosts and token audiences, in one table.

Values follow specs/README.md "Sovereign clouds" (azureml-core 1.0.85 ``azureml/_vendor/azure_cli_core/cloud.py``
and azure-ai-ml ``_azure_environments.py``). Hosts for Azure ML data-plane calls
should come from the workspace's ``discoveryUrl``; the suffixes here only decide which hosts may receive a
bearer token (see :meth:`Cloud.owns_url`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._hosts import host_matches, normalize_host_entry, split_url_host

__all__ = [
    "AZURE_CHINA_CLOUD",
    "AZURE_PUBLIC_CLOUD",
    "AZURE_US_GOVERNMENT",
    "Cloud",
    "get_cloud",
    "resource_to_scope",
    "scope_to_resource",
]


def resource_to_scope(resource: str) -> str:
    """``https://management.azure.com/`` -> ``https://management.azure.com/.default`` (v2 scope form)."""
    if resource.endswith("/.default"):
        return resource
    return resource.rstrip("/") + "/.default"


def scope_to_resource(scope: str) -> str:
    """Inverse of :func:`resource_to_scope` for the v1 ``resource=`` form.

    A bare origin gets a trailing slash (``https://management.azure.com/``), the form the REST article uses.
    """
    resource = scope[: -len("/.default")] if scope.endswith("/.default") else scope
    parts = urlsplit(resource)
    if parts.scheme and parts.netloc and parts.path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}/"
    return resource


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"expected an absolute URL with scheme and host, got {url!r}")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class Cloud:
    """One Azure cloud (or a private/emulated one).

    ``authority_host``: Azure AD login origin. ``arm_endpoint``: ARM origin. ``arm_audience``: token
    resource for ARM (v1 ``resource=``; the v2 scope is :attr:`arm_scope`). ``ml_audience``: audience newer
    Azure ML SDKs use for data-plane calls. ``ml_host_suffixes``: host suffixes of Azure ML data-plane
    services. ``trusted_hosts``: further hosts (``host``, ``host:port`` or ``.suffix``) allowed to get tokens.
    ``storage_suffix``: the cloud's Azure Storage endpoint suffix (``core.windows.net``): blob hosts are
    ``{account}.blob.{storage_suffix}`` (:meth:`owns_storage_url`).
    """

    name: str
    authority_host: str
    arm_endpoint: str
    arm_audience: str
    ml_audience: str
    ml_host_suffixes: tuple[str, ...] = ()
    trusted_hosts: tuple[str, ...] = ()
    storage_suffix: str = "core.windows.net"

    @property
    def arm_scope(self) -> str:
        """The v2 scope for ARM tokens (``<arm_audience>/.default``)."""
        return resource_to_scope(self.arm_audience)

    @property
    def ml_scope(self) -> str:
        """The v2 scope for the Azure ML audience."""
        return resource_to_scope(self.ml_audience)

    @classmethod
    def custom(
        cls,
        name: str,
        *,
        authority_host: str,
        arm_endpoint: str,
        arm_audience: str | None = None,
        ml_audience: str | None = None,
        ml_host_suffixes: tuple[str, ...] | list[str] = (),
        trusted_hosts: tuple[str, ...] | list[str] = (),
        storage_suffix: str = "core.windows.net",
    ) -> Cloud:
        """A private cloud or endpoint set. ``arm_audience`` defaults to ``arm_endpoint + "/"``,
        ``ml_audience`` to ``arm_audience``."""
        arm = _origin(arm_endpoint)
        arm_aud = arm_audience or arm + "/"
        return cls(
            name=name,
            authority_host=_origin(authority_host),
            arm_endpoint=arm,
            arm_audience=arm_aud,
            ml_audience=ml_audience or arm_aud,
            ml_host_suffixes=tuple(_suffix(s) for s in ml_host_suffixes),
            trusted_hosts=tuple(normalize_host_entry(h) for h in trusted_hosts),
            storage_suffix=storage_suffix.strip().strip(".").lower(),
        )

    @classmethod
    def emulator(cls, base_url: str) -> Cloud:
        """The local emulator: authority, ARM and Azure ML are all served from ``base_url``.

        Audiences stay those of the public cloud so that requests look like the real service's.
        """
        origin = _origin(base_url)
        return cls(
            name="Emulator",
            authority_host=origin,
            arm_endpoint=origin,
            arm_audience=AZURE_PUBLIC_CLOUD.arm_audience,
            ml_audience=AZURE_PUBLIC_CLOUD.ml_audience,
            ml_host_suffixes=(),
            trusted_hosts=(normalize_host_entry(origin),),
            storage_suffix="core.localhost",  # the emulator's blob hosts: {account}.blob.core.localhost
        )

    def with_trusted_hosts(self, *hosts: str) -> Cloud:
        """A copy that also trusts ``hosts`` (``host``, ``host:port``, ``.suffix`` or a URL)."""
        extra = tuple(normalize_host_entry(h) for h in hosts)
        return dataclasses.replace(self, trusted_hosts=self.trusted_hosts + extra)

    def owns_storage_url(self, url: str) -> bool:
        """Is the URL's host a blob host of this cloud (``{account}.blob.{storage_suffix}``)?"""
        host, _port = split_url_host(url)
        suffix = f".blob.{self.storage_suffix}"
        return host.endswith(suffix) and len(host) > len(suffix) and "." not in host[: -len(suffix)]

    def owns_url(self, url: str, extra_trusted_hosts: tuple[str, ...] | list[str] = ()) -> bool:
        """Does the URL's host belong to this cloud?

        True for the ARM host, the authority host, any host ending in one of :attr:`ml_host_suffixes`, and
        the cloud's or the caller's trusted hosts. The scheme is not checked here (auth does that).
        """
        host, port = split_url_host(url)
        if not host:
            return False
        for origin in (self.arm_endpoint, self.authority_host):
            o_host, o_port = split_url_host(origin)
            if host == o_host and (o_port is None or o_port == port):
                return True
        if any(host.endswith(s) for s in self.ml_host_suffixes):
            return True
        entries = self.trusted_hosts + tuple(normalize_host_entry(h) for h in extra_trusted_hosts)
        return any(host_matches(host, port, e) for e in entries)


def _suffix(s: str) -> str:
    s = s.strip().lower()
    if s.startswith("*."):
        s = s[1:]
    return s if s.startswith(".") else "." + s


#: Azure's public cloud (``AzureCloud``): login.microsoftonline.com, management.azure.com, ``*.api.azureml.ms``.
AZURE_PUBLIC_CLOUD = Cloud(
    name="AzureCloud",
    authority_host="https://login.microsoftonline.com",
    arm_endpoint="https://management.azure.com",
    # The article's resource (Azure AD also accepts https://management.core.windows.net/ for ARM).
    arm_audience="https://management.azure.com/",
    ml_audience="https://ml.azure.com",
    ml_host_suffixes=(".api.azureml.ms", ".experiments.azureml.net", ".modelmanagement.azureml.net"),
)

#: Azure China (``AzureChinaCloud``): login.chinacloudapi.cn, management.chinacloudapi.cn, ``*.api.ml.azure.cn``.
AZURE_CHINA_CLOUD = Cloud(
    name="AzureChinaCloud",
    authority_host="https://login.chinacloudapi.cn",
    arm_endpoint="https://management.chinacloudapi.cn",
    arm_audience="https://management.core.chinacloudapi.cn/",
    ml_audience="https://ml.azure.cn",
    # The 2020 SDK hard-coded chinaeast2.modelmanagement.ml.azure.cn for model management.
    ml_host_suffixes=(".api.ml.azure.cn", ".modelmanagement.ml.azure.cn"),
    storage_suffix="core.chinacloudapi.cn",
)

#: Azure US Government (``AzureUSGovernment``): login.microsoftonline.us, management.usgovcloudapi.net.
AZURE_US_GOVERNMENT = Cloud(
    name="AzureUSGovernment",
    authority_host="https://login.microsoftonline.us",
    arm_endpoint="https://management.usgovcloudapi.net",
    arm_audience="https://management.core.usgovcloudapi.net/",
    ml_audience="https://ml.azure.us",
    ml_host_suffixes=(".api.ml.azure.us",),
    storage_suffix="core.usgovcloudapi.net",
)

_BY_NAME: dict[str, Cloud] = {
    "azurecloud": AZURE_PUBLIC_CLOUD,
    "azurepubliccloud": AZURE_PUBLIC_CLOUD,
    "public": AZURE_PUBLIC_CLOUD,
    "azurechinacloud": AZURE_CHINA_CLOUD,
    "china": AZURE_CHINA_CLOUD,
    "azureusgovernment": AZURE_US_GOVERNMENT,
    "azureusgovernmentcloud": AZURE_US_GOVERNMENT,
    "usgovernment": AZURE_US_GOVERNMENT,
    "usgov": AZURE_US_GOVERNMENT,
}


def get_cloud(name: str | Cloud) -> Cloud:
    """Look a cloud up by name, case-insensitively.

    Accepts the Azure CLI names (``AzureCloud``, ``AzureChinaCloud``, ``AzureUSGovernment``) and the
    ``AZURE_CLOUD``-style ones (``AzurePublicCloud``, ``AzureUSGovernmentCloud``), plus ``public``,
    ``china``, ``usgov``. A :class:`Cloud` is returned unchanged.
    """
    if isinstance(name, Cloud):
        return name
    key = name.strip().lower().replace("_", "").replace("-", "").replace(" ", "")
    try:
        return _BY_NAME[key]
    except KeyError:
        known = ", ".join(c for c in ("AzureCloud", "AzureChinaCloud", "AzureUSGovernment"))
        raise ValueError(f"unknown cloud {name!r}; known: {known} (or use Cloud.custom)") from None
