"""Conformance tests: the emulator and the clients against outside references (specs, the article, fuzzing).

Microsoft's own clients against the emulator (azure-identity over --tls, azure-mgmt-resource and
azure-mgmt-machinelearningservices: groups, workspace and compute create/get/list with LRO polling) are covered by
tests/emulator/test_microsoft_clients.py and are not duplicated here.
"""
