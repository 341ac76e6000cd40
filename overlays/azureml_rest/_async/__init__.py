"""The code of the operation groups and runs, written once; ``_sync`` is generated from ``_async``.

Edit ``_async``, then run ``python -m tools.unasync`` (``--check``, in ``nox -s tests``, fails on a stale
``_sync`` file). The public names live where users import them (``azureml_rest.operations.*``,
``azureml_rest.runs``), which re-export both sides. Code in ``_async`` names the async forms that
``tools/unasync.py`` (``SUBSTITUTIONS``) maps to their sync twins, and keeps whatever must be one object on both
sides (result classes, errors, I/O-free logic) outside this folder.
"""
