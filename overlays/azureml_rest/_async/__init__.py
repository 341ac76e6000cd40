"""The async code of the operation groups and runs, written once; ``azureml_rest._sync`` is generated from it.

Edit here, then run ``python -m tools.unasync`` (``--check`` in ``nox -s tests`` fails on a stale sync twin).
The public names live where users import them (``azureml_rest.operations.*``, ``azureml_rest.runs``), which
re-export both sides. Rules for code here: name the async forms the tool maps (``await ws.aclient(group)``,
``acall``, ``asyncio_detailed``, ``AsyncPoller``, ``asleep``, ``arun_blocking``... see ``tools/unasync.py``),
and keep whatever must be one object on both sides (result classes, errors, I/O-free logic) outside this folder.
"""
