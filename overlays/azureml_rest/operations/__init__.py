"""Operation groups of the facade, one module per resource kind, each re-exporting its sync and async classes.

The async code is written once in :mod:`azureml_rest._async` and the sync code generated from it into
:mod:`azureml_rest._sync` (``python -m tools.unasync``), so the twins have the same names and behaviour.
Every call goes through a generated function (``sync_detailed`` / ``asyncio_detailed``) run by
:mod:`azureml_rest._call`; long-running ones return :class:`~azureml_rest.lro.Poller`, lists
:class:`~azureml_rest.paging.Pager`. Results are the generated models (``Workspace``, ``ComputeResource``...).
"""
