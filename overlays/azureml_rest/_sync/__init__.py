# Generated from overlays/azureml_rest/_async/__init__.py by `python -m tools.unasync`: do not edit.
"""The async code of the operation groups and runs, written once; ``azureml_rest._sync`` is generated from it.

Edit here, then run ``python -m tools.unasync`` (``--check`` in ``nox -s tests`` fails on a stale sync twin).
The public names live where users import them (``azureml_rest.operations.*``, ``azureml_rest.runs``), which
re-export both sides. Rules for code here: name the async forms the tool maps (``ws.client(group)``,
``call``, ``sync_detailed``, ``Poller``, ``sleep``, ``run_blocking``... see ``tools/unasync.py``),
and keep whatever must be one object on both sides (result classes, errors, I/O-free logic) outside this folder.
"""
