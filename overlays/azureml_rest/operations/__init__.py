"""Operation groups of the facade, one module per resource kind; sync and async classes side by side.

Every call goes through a generated function (``sync_detailed`` / ``asyncio_detailed``) run by
:mod:`azureml_rest._call`; long-running ones return :class:`~azureml_rest.lro.Poller`, lists
:class:`~azureml_rest.paging.Pager`. Results are the generated models (``Workspace``, ``ComputeResource``...).
"""
