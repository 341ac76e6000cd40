"""Per-emulator state of the data plane (one per Context; several emulators may share a process)."""

from __future__ import annotations

import threading

from ..context import Context
from .blobs import BlobSigner
from .deploy import ServiceManager
from .runner import RunManager


class DataPlane:
    """The data plane's long-lived helpers: blob signer, run supervisor, scoring workers."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.signer = BlobSigner(ctx)
        self.runs = RunManager(ctx)
        self.services = ServiceManager(ctx, self.signer)


_STATES: dict[int, DataPlane] = {}
_LOCK = threading.Lock()


def state_of(ctx: Context) -> DataPlane:
    """The data-plane state of ``ctx``, created on first use."""
    with _LOCK:
        st = _STATES.get(id(ctx))
        if st is None or st.ctx is not ctx:
            st = DataPlane(ctx)
            _STATES[id(ctx)] = st
        return st


def drop_state(ctx: Context) -> None:
    """Forget the state of ``ctx`` (after shutdown)."""
    with _LOCK:
        st = _STATES.get(id(ctx))
        if st is not None and st.ctx is ctx:
            del _STATES[id(ctx)]
