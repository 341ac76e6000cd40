"""Workspace handles: :class:`Workspace` and :class:`AsyncWorkspace`, made by ``ml.workspace(rg, name)``.

One source, ``_async/workspace.py`` (its docstring lists what a handle offers); the sync class is produced from
it by ``python -m tools.unasync``, so both have the same names and behaviour (``await ws.client(group)`` and
``ws.client(group)`` both run discovery when needed).
"""

from __future__ import annotations

from ._async.workspace import AsyncWorkspace
from ._sync.workspace import Workspace

__all__ = ["AsyncWorkspace", "Workspace"]
