"""Timestamps in the forms the service uses."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(ts: float) -> str:
    """``ts`` (epoch seconds) as ISO 8601 UTC with a ``Z`` suffix."""
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp written by :func:`iso`."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
