"""Benchmarks: ``python -m benchmarks [--quick] [--only NAME ...] [--json FILE]`` (see README.md).

Each module measures one thing against a reference, in the same run, with the emulator in its own process.
"""
