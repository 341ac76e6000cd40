"""The generated packages' runtime types, recognised with ``isinstance`` whichever package made the object.

openapi-python-client writes its runtime types into every package it generates, so each package in generated/
has its own ``errors.UnexpectedStatus``, ``errors.MalformedResponse`` and ``types.Unset``. Here each of them is
one tuple of classes over every package of the group registry (:mod:`._registry`, side-by-side api-versions
included), for ``isinstance``:

- :func:`is_unset` (a generated field left out of a body), :func:`unset_types`;
- :func:`unexpected_status_types` (a status the generated code cannot represent, such as 520);
- :func:`malformed_response_types` (a body that does not match the spec).

Nothing is imported here: a package's classes join its tuple once that package's ``types``/``errors`` module
has been imported by anyone (an object of a package never imported cannot exist). :func:`is_unset`, called
for every field the operations read, remembers its answer per type: about a dictionary lookup per call.
"""

from __future__ import annotations

import sys
import threading

from ._registry import GROUPS

__all__ = [
    "PACKAGES",
    "is_unset",
    "malformed_response_types",
    "unexpected_status_types",
    "unset_types",
]

#: Every generated package the registry names (each group's default first, then its other api-versions).
PACKAGES: tuple[str, ...] = tuple(
    dict.fromkeys(p for info in GROUPS.values() for p in (info.package, *info.versions.values()))
)


_LOADED = sys.modules.keys()  # a live view: isdisjoint() asks it about each missing name in C


class _Family:
    """The class named ``attr`` in module ``<package>.<module>`` of every package, for the packages imported."""

    def __init__(self, module: str, attr: str, packages: tuple[str, ...] = PACKAGES) -> None:
        self._attr = attr
        self._missing = tuple(f"{package}.{module}" for package in packages)
        self._lock = threading.Lock()
        self.classes: tuple[type, ...] = ()

    def current(self) -> tuple[type, ...]:
        """The classes of every package imported so far."""
        if self._missing and not _LOADED.isdisjoint(self._missing):
            self._collect()
        return self.classes

    def _collect(self) -> None:
        with self._lock:
            found, missing = list(self.classes), []
            for name in self._missing:
                cls = getattr(sys.modules.get(name), self._attr, None)  # None while the module is still importing
                if isinstance(cls, type):
                    found.append(cls)
                else:
                    missing.append(name)
            self.classes, self._missing = tuple(found), tuple(missing)


_UNSET = _Family("types", "Unset")
_UNEXPECTED_STATUS = _Family("errors", "UnexpectedStatus")
_MALFORMED_RESPONSE = _Family("errors", "MalformedResponse")


def unset_types() -> tuple[type, ...]:
    """Every imported generated package's ``types.Unset``."""
    return _UNSET.current()


#: type -> is it a generated Unset. A verdict cannot go stale: a package imported later brings a new Unset
#: class, and a type that existed before that class cannot derive from it. Bounded against dynamic classes.
_UNSET_VERDICTS: dict[type, bool] = {}


def is_unset(value: object) -> bool:
    """True for a generated package's ``UNSET`` (a field the body left out)."""
    kind = type(value)
    verdict = _UNSET_VERDICTS.get(kind)
    if verdict is None:
        verdict = isinstance(value, _UNSET.current())
        if len(_UNSET_VERDICTS) < 512:
            _UNSET_VERDICTS[kind] = verdict
    return verdict


def unexpected_status_types() -> tuple[type[Exception], ...]:
    """Every imported generated package's ``errors.UnexpectedStatus``."""
    return _UNEXPECTED_STATUS.current()


def malformed_response_types() -> tuple[type[Exception], ...]:
    """Every imported generated package's ``errors.MalformedResponse``."""
    return _MALFORMED_RESPONSE.current()
