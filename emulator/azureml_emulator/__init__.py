"""azureml_emulator: a local, spec-conformant Azure Machine Learning service (like Azurite for Storage).

One port serves tokens, ARM, discovery, the data plane and scoring. Start it with
``python -m azureml_emulator`` or :func:`azureml_emulator.server.start_in_thread`.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
