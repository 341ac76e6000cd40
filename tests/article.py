"""The article's run definition (definition.json, PascalCase as printed; target cpu-compute), shared by the
emulator, unit and integration tests. Tests must not modify it."""

from __future__ import annotations

from typing import Any

ARTICLE_DEFINITION: dict[str, Any] = {
    "Configuration": {
        "Script": "hello.py",
        "Arguments": ["234"],
        "SourceDirectoryDataStore": None,
        "Framework": "Python",
        "Communicator": "None",
        "Target": "cpu-compute",
        "MaxRunDurationSeconds": 1200,
        "NodeCount": 1,
        "Environment": {
            "Python": {
                "InterpreterPath": "python",
                "UserManagedDependencies": False,
                "CondaDependencies": {
                    "name": "project_environment",
                    "dependencies": ["python=3.6.2", {"pip": ["azureml-defaults"]}],
                },
            },
            "Docker": {"BaseImage": "mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04"},
        },
        "History": {"OutputCollection": True},
    }
}
