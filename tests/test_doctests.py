"""The examples in the docstrings of the pure helper modules run as tests (netutils' way)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "xsfabric.names",
    "xsfabric.xapi.sexpr",
    "xsfabric.xapi.records",
    "xsfabric.redact",
    "xsfabric.snapshot",
    "xsfabric.model.storage",
    "xsfabric.importer",
    "xsfabric.switch.commands",
    "xsfabric.switch.snmp_values",
    "xsfabric.switch.snmp_collect",
    "xsfabric.platforms",
    "xsfabric.xapi.collect",
    "xsfabric.switch.config",
    "xsfabric.switch.config_facts",
    "xsfabric.switch.wipe",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
