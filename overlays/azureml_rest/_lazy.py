"""Public names loaded on first use (PEP 562), for packages whose ``__init__`` must stay cheap to import.

``lazy_exports(__name__, {"Name": ".submodule"})`` returns the module's ``__getattr__`` and ``__dir__``: the first
look-up of ``Name`` imports the submodule (relative to the package), caches the value in the package's globals
and returns it. Written without ``typing`` (its import costs more than a package ``__init__`` should).
"""

import importlib
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Hooks = tuple[Callable[[str], object], Callable[[], list[str]]]


def lazy_exports(package: str, exports: "dict[str, str]", *, submodules: bool = False) -> "Hooks":
    """``(__getattr__, __dir__)`` for ``package``. ``submodules=True`` also resolves any other public name as a
    submodule (``azureml_rest.transport`` after a bare ``import azureml_rest``)."""

    def __getattr__(name: str) -> "object":
        module = exports.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module, package), name)
            vars(sys.modules[package])[name] = value  # later look-ups skip __getattr__
            return value
        if submodules and not name.startswith("_"):
            try:
                return importlib.import_module(f".{name}", package)
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> "list[str]":
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
