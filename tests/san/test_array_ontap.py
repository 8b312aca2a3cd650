"""ONTAP capture parsers, tested like the TextFSM templates, both ways: every command the
array collector sends (and every variant the parser accepts) has fixtures, every fixture
folder is a command the parser knows, and every ``.raw`` parses to its hand-written ``.yml``
(records, or the one-line error a truncated or foreign capture must give)."""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsfabric.san.array_ontap import (
    COMMANDS,
    OntapParseError,
    parse_capture,
    parse_instances,
    parse_ontap,
)
from xsfabric.switch.allowlist import CLI_COMMANDS

FIXTURES = Path(__file__).parent / "fixtures" / "netapp_cdot"
PARSERS = {command: parser for command, _attr, parser in COMMANDS}


def _folder(command: str) -> Path:
    return FIXTURES / command.replace(" ", "_")


def _plain(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dataclasses.asdict(record).items():
        if isinstance(value, tuple):
            out[key] = list(value)
        elif isinstance(value, ipaddress.IPv4Interface | ipaddress.IPv6Interface):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def test_every_collected_command_has_fixtures() -> None:
    for command in CLI_COMMANDS["netapp_cdot"]:
        assert command in PARSERS, command
        assert sorted(_folder(command).glob("*.raw")), f"no fixture for {command!r}"


def test_every_fixture_folder_is_a_known_command() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders - {_folder(c).name for c in PARSERS} == set()


@pytest.mark.parametrize(
    "raw", sorted(FIXTURES.glob("*/*.raw")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_raw_parses_to_expected(raw: Path) -> None:
    command = raw.parent.name.replace("_", " ")
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())
    if "error" in expected:
        with pytest.raises(OntapParseError) as caught:
            parse_capture("fas1", command, raw.read_text())
        assert str(caught.value) == expected["error"]
        return
    records = parse_capture("fas1", command, raw.read_text())
    assert [_plain(r) for r in records] == expected["parsed_sample"]


def test_a_bad_capture_is_a_warning_naming_device_command_and_line() -> None:
    raw = (_folder("network interface show") / "not_this_command.raw").read_text()
    facts = parse_ontap("fas1", {"network interface show": raw})
    assert facts.lifs is None  # unknown, never "no LIFs"
    [warning] = facts.warnings
    assert (warning.device, warning.source, warning.line) == ("fas1", "network interface show", 3)


def test_fewer_rows_than_the_footer_counts_is_truncation() -> None:
    raw = (_folder("lun mapping show") / "mappings.raw").read_text()
    cut = raw.replace(
        "svm_san    /vol/win/lun0                             win01         0  fcp\n", ""
    )
    facts = parse_ontap("fas1", {"lun mapping show": cut})
    assert facts.maps is None
    assert "3 entries read but the output says 4" in facts.warnings[0].message


def test_the_fuller_capture_wins_and_absent_ones_stay_unknown() -> None:
    full = (_folder("lun show -fields path,serial,ostype") / "xen_luns.raw").read_text()
    short = (_folder("lun show -fields serial") / "serial_only.raw").read_text()
    facts = parse_ontap(
        "fas1", {"lun show -fields serial": short, "lun show -fields path,serial,ostype": full}
    )
    assert facts.volumes is not None and len(facts.volumes) == 3
    assert facts.export_rules is None and facts.groups is None


def test_instance_labels_repeat_without_blank_line() -> None:
    records = parse_instances("Vserver: a\nRule Index: 1\nVserver: b\nRule Index: 2\n")
    assert [r["Vserver"] for r in records] == ["a", "b"]


def test_fc_lifs_are_the_target_ports() -> None:
    raw = (_folder("network interface show") / "lifs.raw").read_text()
    facts = parse_ontap("fas1", {"network interface show": raw})
    assert facts.target_ports is not None
    assert [(p.vserver, p.name, p.wwpn) for p in facts.target_ports] == [
        ("svm_san", "fc_a", "20:01:00:a0:98:3d:c4:b0")
    ]


def test_captures_saved_per_svm_and_abbreviated_add_up() -> None:
    one = (_folder("vserver export-policy rule show -instance") / "rules_9x.raw").read_text()
    two = (
        _folder("vserver export-policy rule show -instance") / "rules_wrapped_916.raw"
    ).read_text()
    volumes = (_folder("volume show -fields junction-path,policy") / "volumes.raw").read_text()
    facts = parse_ontap(
        "fas1",
        {
            "export-policy rule show -instance -vserver svm_nas -policyname xen_prod": one,
            "vserver export-policy rule show -vserver svm_nas -policyname default -instance": two,
            "vol show -fields policy,junction-path": volumes,
            "lun show": "unrelated",  # no serial asked: not a capture the parser reads
        },
    )
    assert facts.warnings == []
    assert facts.export_rules is not None
    assert sorted((r.policy, r.index) for r in facts.export_rules) == [
        ("default", 1),
        ("xen_prod", 1),
        ("xen_prod", 2),
    ]
    assert facts.nas_volumes is not None and len(facts.nas_volumes) == 4
    assert facts.volumes is None


def test_a_value_starting_in_the_gap_before_its_column_is_that_columns() -> None:
    """Copied terminal output often loses a space: a node name one column early must not be
    glued to the address before it."""
    text = (
        "            Logical    Status     Network            Current       Current Is\n"
        "Vserver     Interface  Admin/Oper Address/Mask       Node          Port    Home\n"
        "----------- ---------- ---------- ------------------ ------------- ------- ----\n"
        "svm1\n"
        "            lif1         up/up    10.0.0.5/24       node-01       e0a     true\n"
    )
    facts = parse_ontap("fas1", {"network interface show": text})
    assert facts.warnings == []
    assert facts.lifs is not None and str(facts.lifs[0].address) == "10.0.0.5/24"
