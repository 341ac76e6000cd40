"""TLS for ``--tls``: a throwaway CA (trustme) and a server certificate for 127.0.0.1, localhost and ::1,
plus the blob store's virtual-hosted names (``{account}.blob.core.localhost``, ``{account}.blob.localhost``,
``*.localhost``: the storage suffix ``core.localhost`` a custom cloud gives azure-ai-ml).

Microsoft's token clients refuse plain-http authorities, so they need this mode. The CA certificate is
written to ``<data_dir or a temp dir>/emulator-ca.pem`` for clients to trust. With ``data_dir`` the CA key
is kept too (``emulator-ca.key``), so a restarted emulator is still trusted by the same CA file.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import trustme

HOSTS = ("127.0.0.1", "localhost", "::1", "*.localhost", "*.blob.localhost", "*.blob.core.localhost")


@dataclass(frozen=True)
class TlsFiles:
    """Paths of the CA certificate (for clients) and of the server's key + certificate chain."""

    ca_file: Path
    server_pem: Path


def make_tls(data_dir: Path | None, extra_hosts: tuple[str, ...] = ()) -> TlsFiles:
    """Create (or, with ``data_dir``, reuse) the CA and issue a fresh server certificate."""
    directory = data_dir if data_dir is not None else Path(tempfile.mkdtemp(prefix="azureml-emulator-tls-"))
    directory.mkdir(parents=True, exist_ok=True)
    ca_file = directory / "emulator-ca.pem"
    ca_key = directory / "emulator-ca.key"
    if data_dir is not None and ca_file.exists() and ca_key.exists():
        ca = trustme.CA.from_pem(ca_file.read_bytes(), ca_key.read_bytes())
    else:
        ca = trustme.CA(organization_name="azureml-emulator")
        ca.cert_pem.write_to_path(str(ca_file))
        if data_dir is not None:
            ca_key.touch(mode=0o600)
            ca.private_key_pem.write_to_path(str(ca_key))
    hosts = tuple(dict.fromkeys(HOSTS + extra_hosts))
    leaf = ca.issue_cert(*hosts)
    server_pem = directory / "emulator-server.pem"
    server_pem.touch(mode=0o600)
    leaf.private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    return TlsFiles(ca_file=ca_file, server_pem=server_pem)
