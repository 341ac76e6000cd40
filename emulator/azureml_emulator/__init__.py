"""azureml_emulator: a local, spec-conformant Azure Machine Learning service (like Azurite for Storage).

One port serves tokens, ARM, discovery, the data plane and scoring. Two public ways to run it:

- as a process: ``azureml-emulator [options]`` / ``python -m azureml_emulator`` (``azureml_emulator.cli.main``);
- embedded: :func:`start` serves from a background thread and returns a :class:`RunningEmulator`
  (``base_url``, ``config``, ``ca_file``, ``stop()``; also a context manager).

Importing this package is cheap: the server's dependencies (the ``[emulator]`` extra) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import EmulatorConfig
    from .server import RunningEmulator

__all__ = ["EmulatorConfig", "RunningEmulator", "__version__", "start"]

__version__ = "0.1.0"


def start(config: EmulatorConfig | None = None, /, *, timeout: float = 15.0, **settings: Any) -> RunningEmulator:
    """Start an emulator on a free loopback port in a background thread; returns once it serves.

    Give a whole :class:`EmulatorConfig`, or its fields as keywords (``start(lro_delay=0.3, location="eastus")``);
    the defaults are the development account of CONTRIBUTING.md, in memory, plain http. ``timeout`` (default
    15 s) bounds the wait for the server to come up. Stop it with ``stop()`` or by leaving ``with``.
    """
    from .config import EmulatorConfig
    from .server import start_in_thread

    if config is not None and settings:
        raise TypeError("give either a config or keyword settings, not both")
    return start_in_thread(config if config is not None else EmulatorConfig(**settings), timeout=timeout)


def __getattr__(name: str) -> Any:
    if name == "EmulatorConfig":
        from .config import EmulatorConfig

        return EmulatorConfig
    if name == "RunningEmulator":
        from .server import RunningEmulator

        return RunningEmulator
    raise AttributeError(f"module 'azureml_emulator' has no attribute {name!r}")
