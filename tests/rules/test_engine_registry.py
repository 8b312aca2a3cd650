"""The rule registry finds rule modules by discovery, and ``subject()`` names every subject key."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from xsfabric.rules.engine import SUBJECT_KEYS, SubjectRef, load_rules, subject

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "xsfabric" / "rules"


def _declared_rule_ids() -> dict[str, set[str]]:
    """Rule ids per module, read from the source (``@rule("id", …)``), not from the registry."""
    declared: dict[str, set[str]] = {}
    for path in sorted(RULES_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Name)
                    and decorator.func.id == "rule"
                    and decorator.args
                    and isinstance(decorator.args[0], ast.Constant)
                ):
                    declared.setdefault(path.stem, set()).add(str(decorator.args[0].value))
    return declared


def test_every_rule_module_in_the_package_is_loaded() -> None:
    declared = _declared_rule_ids()
    registry = load_rules()
    assert len(declared) >= 8, "rule modules were not found in the source tree"
    for module, ids in declared.items():
        assert ids <= set(registry), f"rules of {module} were not discovered"
        assert {registry[i].check.__module__ for i in ids} == {f"xsfabric.rules.{module}"}
    assert set(registry) == set().union(*declared.values())


def test_registration_order_is_module_name_order() -> None:
    modules = [r.check.__module__ for r in load_rules().values()]
    first_seen = list(dict.fromkeys(modules))
    assert first_seen == sorted(first_seen)


def test_subject_accepts_every_subject_key() -> None:
    """Pool objects by their typed parameter; every other key of SUBJECT_KEYS by name."""
    parameters = set(inspect.signature(subject).parameters)
    objects = {"pool", "host", "network", "pif", "vm", "vif", "sr"}
    assert objects <= parameters
    for key in set(SUBJECT_KEYS) - objects:
        value = "7" if key == "vlan" else f"{key}-name"
        assert subject(**{key: value}) == {key: SubjectRef(value)}  # type: ignore[arg-type]


def test_subject_refuses_a_key_outside_subject_keys() -> None:
    with pytest.raises(TypeError, match="colour not in SUBJECT_KEYS"):
        subject(colour="blue")


def test_subject_names_switch_fabric_and_array_objects_in_report_order() -> None:
    got = subject(
        mac="00:1b:21:0a:ba:3c",
        volume="vol7",
        array="pure1",
        wwpn="10:00:00:90:fa:12:34:56",
        zone="z_h1_pure1",
        interface="Ethernet1/7",
        device="leaf1",
    )
    assert list(got) == ["device", "interface", "zone", "wwpn", "array", "volume", "mac"]
    assert got["interface"] == SubjectRef("Ethernet1/7")
    assert got["wwpn"] == SubjectRef("10:00:00:90:fa:12:34:56")
    assert subject() == {}
