"""Maintainer tooling over specs/: change reports and bumps, fidelity to Microsoft's specs, other languages."""
