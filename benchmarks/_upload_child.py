"""``python -m benchmarks._upload_child {ours|ref} BASE_URL PROJECT_DIR`` (token on stdin): one code upload in a
process of its own, so its memory baseline is clean (RSS sampled every 2 ms, :class:`~benchmarks._submit_child.
Sampler`). Prints one JSON line: seconds, baseline and peak RSS (bytes), and for ``ours`` the hash's share.

- ``ours``: ``ws.jobs.code.upload(PROJECT_DIR)`` (the v2 overlay): hash the folder, look the hash up,
  ``startPendingUpload``, upload every file below the SAS (parallel blocks for large files), mark the upload
  completed, register the code version. All of it is timed.
- ``ref``: azure-storage-blob's ``ContainerClient.upload_blob`` of every file of the same folder, with its
  defaults (``max_concurrency=1``, 4 MiB blocks above 64 MiB), into the container and below the prefix a
  ``startPendingUpload`` of the same emulator handed out (asked for before the clock starts; nothing else).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks._submit_child import Sampler


def files_of(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file())


def _ours(base_url: str, token: str, project: Path, sampler: Sampler) -> dict[str, float]:
    from azureml_rest.client import AzureML
    from azureml_rest.clouds import Cloud
    from azureml_rest.code_hash import content_hash, list_code_files

    from benchmarks._context import StaticTokenCredential
    from benchmarks._emulator import SUBSCRIPTION
    from benchmarks._seed import RG, WS

    credential: Any = StaticTokenCredential(token)
    with AzureML(credential, SUBSCRIPTION, cloud=Cloud.emulator(base_url)) as ml:
        ws = ml.workspace(RG, WS)
        ws.client("machinelearning")  # client set-up happens before the measured part
        sampler.start()
        t0 = time.perf_counter()
        uploaded = ws.jobs.code.upload(project)
        took = time.perf_counter() - t0
        sampler.stop()
        if not uploaded.uploaded:
            raise RuntimeError("the code was found by its hash: nothing was uploaded (the project must be new)")
        h0 = time.perf_counter()  # the hash alone, measured after (same files, same page cache)
        content_hash(list_code_files(project))
        hashing = time.perf_counter() - h0
    return {"seconds": took, "hash_seconds": hashing}


def _ref(base_url: str, token: str, project: Path, sampler: Sampler) -> dict[str, float]:
    import httpx
    from azure.storage.blob import ContainerClient
    from azureml_machinelearning_client import API_VERSION

    from benchmarks._seed import ws_path

    url = f"{base_url}{ws_path()}/codes/{uuid.uuid4()}/versions/1/startPendingUpload"
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60, trust_env=False) as c:
        r = c.post(url, params={"api-version": API_VERSION}, json={"pendingUploadType": "TemporaryBlobReference"})
        r.raise_for_status()
    sas_url = r.json()["blobReferenceForConsumption"]["credential"]["sasUri"]
    base, sas = sas_url.split("?", 1)
    # {base_url}/{account}/{container}/LocalUpload/{id}: path-style, as the emulator serves loopback hosts
    account, container, prefix = base[len(base_url) + 1:].split("/", 2)
    client = ContainerClient(f"{base_url}/{account}", container, credential=sas)
    with client:
        sampler.start()
        t0 = time.perf_counter()
        for path in files_of(project):
            name = f"{prefix}/{project.name}/{path.relative_to(project).as_posix()}"
            with path.open("rb") as data:
                client.upload_blob(name, data, overwrite=True)
        took = time.perf_counter() - t0
        sampler.stop()
    return {"seconds": took}


def main(argv: list[str]) -> int:
    mode, base_url, project = argv
    token = sys.stdin.readline().strip()
    if mode == "ours":
        import azureml_rest.operations.jobs  # noqa: F401  (imports are not part of the measurement)
    else:
        import azure.storage.blob  # noqa: F401
    sampler = Sampler()
    fn = _ours if mode == "ours" else _ref
    result = fn(base_url, token, Path(project), sampler)
    print(json.dumps({**result, "baseline": sampler.baseline, "peak": sampler.peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
