"""The article's walkthrough, then the same story on the current API, end to end through the library:
``python -m demo`` (``nox -s demo``).

It lives beside the library, not in it (not shipped in the wheel), and uses only the public API of
``azureml_rest``. By default it starts the emulator in-process on a free loopback port through the emulator's
public entry point (:func:`azureml_emulator.start`); ``--endpoint URL`` uses an emulator that is already
running; ``--azure`` runs the same steps against real Azure with credentials from the environment.

Rooms: :mod:`.command` (options, exit status), :mod:`.settings` (what gets created, and where),
:mod:`.connection` (credential, cloud and HTTP settings; the embedded emulator), :mod:`.display` (each step's
HTTP calls from the ``HttpConfig.on_event`` hook, progress lines, one-line errors), :mod:`.walkthrough` (the
article's steps, and the runner), :mod:`.walkthrough_v2` (the current API's steps, run after the article's, before
its final deletes). ``project/`` holds the article's project files (``hello.py``, ``definition.json``) and the
scoring script the deployment needs (``score.py``); ``project_v2/`` the current API's (``train.py``, its
``data.csv``, and ``score.py`` with ``init()``/``run()``); :func:`clean_copy` copies the listed files of either
into a fresh folder before they are uploaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PROJECT_DIR", "clean_copy"]

#: The project folder the walkthrough submits (hello.py, score.py, definition.json).
PROJECT_DIR = Path(__file__).resolve().parent / "project"


def clean_copy(project: Path, names: Iterable[str], parent: Path) -> Path:
    """A new folder ``parent/<project's name>`` holding only the named files of ``project`` (no __pycache__ or
    editor files in what gets uploaded)."""
    folder = parent / project.name
    folder.mkdir()
    for name in names:
        shutil.copyfile(project / name, folder / name)
    return folder
