"""3PAR/Primera capture parsers, both ways: every allowlisted ``hp_3par`` command has
fixtures, every fixture folder is a command, every ``.raw`` parses to its hand-written
``.yml`` (with the context captures it names)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsfabric.san.array_3par import parse_3par, vluns
from xsfabric.switch.allowlist import CLI_COMMANDS

FIXTURES = Path(__file__).parent / "fixtures" / "hp_3par"
ATTRIBUTE = {
    "showvv -d": "volumes",
    "showhost -d": "groups",
    "showhost -chap": "chap",
    "showvlun -t": "maps",
    "showvlun -a": None,
}


def _plain(record: Any) -> dict[str, Any]:
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(record).items()
    }


def test_every_command_has_fixtures_and_every_folder_a_command() -> None:
    assert set(CLI_COMMANDS["hp_3par"]) == set(ATTRIBUTE)
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == {c.replace(" ", "_") for c in ATTRIBUTE}


@pytest.mark.parametrize(
    "raw", sorted(FIXTURES.glob("*/*.raw")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_raw_parses_to_expected(raw: Path) -> None:
    command = raw.parent.name.replace("_", " ")
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())
    if command == "showvlun -a":
        assert vluns(raw.read_text()) == expected["parsed_sample"]
        return
    captures = {command: raw.read_text()}
    for context in expected.get("context", []):
        captures[context.split("/")[0].replace("_", " ")] = (FIXTURES / context).read_text()
    facts = parse_3par("3par1", captures)
    if "error" in expected:
        assert [w.message for w in facts.warnings] == [expected["error"]]
        return
    assert facts.warnings == []
    attribute = ATTRIBUTE[command]
    assert attribute is not None
    assert [_plain(r) for r in getattr(facts, attribute)] == expected["parsed_sample"]
    if "groups" in expected:
        assert facts.groups is not None
        extra = [g for g in facts.groups if g.name.startswith(("set:", "port-presents:"))]
        assert [_plain(g) for g in extra] == expected["groups"]


def test_a_host_set_sr_is_not_verified_and_port_presents_is_exposure() -> None:
    """The VV behind an SR is exported to a host set (members only partly visible) and
    presented on a port: no 'host not mapped' guess, one port-presents finding."""
    captures = {
        c: next((FIXTURES / c.replace(" ", "_")).glob("*.raw")).read_text()
        for c in ("showvv -d", "showhost -d", "showvlun -a", "showvlun -t")
    }
    captures["showvv -d"] = (FIXTURES / "showvv_-d" / "vvs.raw").read_text()
    facts = parse_3par("3par1", captures)
    assert facts.warnings == []
    from tests.san.test_array_rules import audit_with_arrays

    results = audit_with_arrays("360002ac000000000000000120001a2b3", {"3par1": facts})
    outside = [f for f in results.findings if f.rule_id == "array-lun-mapped-outside-pool"]
    assert [f.subject["initiator"].name for f in outside] == ["port-presents:0:3:1"]
    assert not [f for f in results.findings if f.rule_id == "array-pool-host-not-mapped"]
    assert any(
        "set:xen@xen-prod-01, whose members are not all known" in n.reason
        for n in results.not_checked
    )
