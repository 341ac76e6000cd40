"""v2 jobs (the current API, 2025-12-01): ``ws.jobs``; code upload and the Blob REST client it uses.

The code is written once, async, in :mod:`azureml_rest._async.jobs`, :mod:`azureml_rest._async.code_upload` and
:mod:`azureml_rest._async.blob`; the sync classes in :mod:`azureml_rest._sync` are generated from them
(``python -m tools.unasync``). Both are re-exported here, with the job spec helpers.
"""

from __future__ import annotations

from .._async.blob import AsyncBlobContainerClient
from .._async.code_upload import AsyncCodeUploader, UploadedCode
from .._async.jobs import AsyncJobOperations
from .._sync.blob import BlobContainerClient
from .._sync.code_upload import CodeUploader
from .._sync.jobs import JobOperations, job_status
from ..job_spec import Input, Output

__all__ = [
    "AsyncBlobContainerClient",
    "AsyncCodeUploader",
    "AsyncJobOperations",
    "BlobContainerClient",
    "CodeUploader",
    "Input",
    "JobOperations",
    "Output",
    "UploadedCode",
    "job_status",
]
