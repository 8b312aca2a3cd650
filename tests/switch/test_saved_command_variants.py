"""Captures a user saved under another form of the command (older syntax, abbreviations) are
found and parsed: real captures are not named after the command xsfabric would have sent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.commands import Captures, abbreviates


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        ("show mac-address-table", "show mac address-table"),
        ("sh mac address-table", "show mac address-table"),
        ("show mac address-table dynamic", "show mac address-table"),
        ("sh vlan brief", "show vlan"),
        ("show lldp neighbor detail", "show lldp neighbors detail"),
        ("sh int switchport", "show interfaces switchport"),
    ],
)
def test_saved_variants_are_found(tmp_path: Path, saved: str, expected: str) -> None:
    (tmp_path / f"{saved}.txt").write_text("x\n")
    found = Captures(tmp_path).find(expected)
    assert found is not None
    assert found[0] == saved


def test_unrelated_commands_are_not_taken(tmp_path: Path) -> None:
    (tmp_path / "show interfaces status.txt").write_text("x\n")
    (tmp_path / "show mac address-table count.txt").write_text("x\n")
    captures = Captures(tmp_path)
    assert captures.find("show interfaces") is None
    assert captures.find("show mac address-table") is None
    assert abbreviates("s ver", "show version")
    assert not abbreviates("show ver extra", "show version")


def test_old_ios_mac_address_table_capture_is_parsed(tmp_path: Path, corpus_dir: Path) -> None:
    folder = corpus_dir / "ntc-templates" / "cisco_ios" / "show_mac-address-table"
    raw = folder / "cisco_ios_show_mac-address-table12.raw"
    expected = yaml.safe_load((folder / "cisco_ios_show_mac-address-table12.yml").read_text())
    device = tmp_path / "old-sw"
    device.mkdir()
    (device / "platform").write_text("cisco_ios\n")
    (device / "show mac-address-table.txt").write_text(raw.read_text())
    facts = parse_cli_device(device, "old-sw")
    assert facts.warnings == []
    assert facts.fdb is not None
    # the CPU ("Switch") entry is no switch port: it never places a host
    rows = [r for r in expected["parsed_sample"] if r["destination_port"] != ["Switch"]]
    assert len(facts.fdb) == len(rows) == 12
    assert {e.mac for e in facts.fdb} == {
        ":".join(r["destination_address"].replace(".", "")[i : i + 2] for i in range(0, 12, 2))
        for r in rows
    }


def test_terminal_residue_is_removed() -> None:
    from xsfabric.switch.capture import clean_capture

    saved = (
        "sw1#show vlan\r\nVLAN Name\r\n --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"
        "          \x08\x08\x08\x08\x08\x08\x08\x08\x08\x081 default\r\nsw1#"
    )
    assert clean_capture(saved, "show vlan") == "VLAN Name\n1 default\n"
    junos = "{master:0}\nadmin@ex1> show vlans \nRouting instance\n\n{master:0}\nadmin@ex1> "
    assert clean_capture(junos, "show vlans") == "Routing instance\n"
    # output that merely ends in a number or percent sign is not a prompt
    plain = "VLAN Name\n1 default\nUsage 100%\n"
    assert clean_capture(plain, "show vlan") == plain
    # a first line that echoes another command is kept
    assert clean_capture("sw1#show version\nx\n", "show vlan") == "sw1#show version\nx\n"


def test_saved_terminal_session_parses_like_the_clean_capture(tmp_path: Path) -> None:
    from xsfabric.lab.render_cli import write_cli_device
    from xsfabric.lab.switches import lab_switch
    from xsfabric.snapshot import command_filename

    write_cli_device(tmp_path, lab_switch("lab-sw1"), "cisco_ios")
    clean = parse_cli_device(tmp_path / "lab-sw1", "lab-sw1")
    for path in (tmp_path / "lab-sw1").glob("*.txt"):
        command = path.name.removesuffix(".txt").replace("%2F", "/")
        body = path.read_text().replace("\n", "\r\n")
        path.write_text(f"lab-sw1#{command}\r\n{body}lab-sw1#")
    assert command_filename("show vlan") == "show vlan.txt"
    messy = parse_cli_device(tmp_path / "lab-sw1", "lab-sw1")
    assert messy.warnings == []
    assert messy == clean
    assert clean.fdb and clean.ports and clean.lldp


def test_platform_from_show_version_or_alias(tmp_path: Path) -> None:
    from xsfabric.lab.render_cli import write_cli_device
    from xsfabric.lab.switches import CLI_LAB_PLATFORMS, cli_lab_switches
    from xsfabric.switch.detect import read_platform

    for truth in cli_lab_switches():
        platform = CLI_LAB_PLATFORMS[truth.device]
        write_cli_device(tmp_path, truth, platform)
        device = tmp_path / truth.device
        with_file = parse_cli_device(device, truth.device)
        (device / "platform").unlink()  # imported captures without a platform file
        assert read_platform(device) == platform
        facts = parse_cli_device(device, truth.device)
        assert facts.warnings == []
        assert facts == with_file
        assert facts.ports and facts.fdb is not None
    device = tmp_path / "aliased"
    device.mkdir()
    (device / "platform").write_text("cisco_xe\n")
    assert read_platform(device) == "cisco_ios"
    (device / "platform").write_text("junos\n")
    assert read_platform(device) == "juniper_junos"


def test_fdb_rows_with_a_mangled_mac_are_dropped() -> None:
    from xsfabric.switch.cli_tables import fdb_from_rows

    rows = [
        {
            "destination_address": "jenn.3057.8423",
            "destination_port": ["Po66"],
            "vlan_id": "10",
            "type": "dynamic",
        },
        {
            "destination_address": "001c.8220.1319",
            "destination_port": ["Po1"],
            "vlan_id": "10",
            "type": "dynamic",
        },
    ]
    assert [(e.mac, e.port) for e in fdb_from_rows(rows)] == [
        ("00:1c:82:20:13:19", "Port-channel1")
    ]


def test_older_ios_lldp_detail_takes_local_ports_from_the_summary(tmp_path: Path) -> None:
    from xsfabric.lab.render_cli import write_cli_device
    from xsfabric.lab.switches import lab_switch

    write_cli_device(tmp_path, lab_switch("lab-sw1"), "cisco_ios")
    device = tmp_path / "lab-sw1"
    full = parse_cli_device(device, "lab-sw1").lldp
    assert full
    detail = device / "show lldp neighbors detail.txt"
    detail.write_text(
        "\n".join(
            line for line in detail.read_text().splitlines() if not line.startswith("Local Intf:")
        )
        + "\n"
    )
    assert parse_cli_device(device, "lab-sw1").lldp == full
    (device / "show lldp neighbors.txt").unlink()
    assert parse_cli_device(device, "lab-sw1").lldp == []  # no local port: never guessed
