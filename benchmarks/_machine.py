"""The machine a table was measured on: CPU model, cores, Python, OS, load."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": f"{platform.system()} {platform.release()}",
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }


def header(info: dict[str, Any]) -> str:
    load = info.get("load_average_at_start")
    shown = f", load {load[0]:.2f}" if load else ""
    return (f"machine: {info['cpu']}, {info['cores']} cores, {info['implementation']} {info['python']}, "
            f"{info['os']}{shown}")
