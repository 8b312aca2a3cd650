"""NAPALM ``get_arp_table`` results → ARP entries. The results are written by hand in the
shape ``napalm/base/base.py`` documents for the getter (interface, upper-case MAC, IP, age)."""

from __future__ import annotations

import json
from pathlib import Path

from xsfabric.switch.model import ArpEntry
from xsfabric.switch.napalm_parse import parse_napalm_device


def _device(tmp_path: Path, result: object) -> Path:
    folder = tmp_path / "sw" / "napalm"
    folder.mkdir(parents=True)
    (folder / "get_arp_table.json").write_text(json.dumps(result))
    return folder.parent


def test_arp_rows_with_svis_routed_ports_and_no_interface(tmp_path: Path) -> None:
    result = [
        {"interface": "Vlan10", "mac": "00:1B:21:0A:BA:30", "ip": "192.0.2.21", "age": 720.0},
        {"interface": "Ethernet1/53", "mac": "00:DE:FB:00:00:03", "ip": "10.0.0.3", "age": 14.0},
        # ios: a static entry has no interface
        {"interface": "", "mac": "00:10:23:45:1C:DA", "ip": "10.0.0.1", "age": -1.0},
    ]
    got = parse_napalm_device(_device(tmp_path, result), "sw")
    assert got.warnings == []
    assert got.arp == [
        ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "Vlan10", 10),
        ArpEntry("10.0.0.3", "00:de:fb:00:00:03", "Ethernet1/53", None),
        ArpEntry("10.0.0.1", "00:10:23:45:1c:da", None, None),
    ]


def test_ios_empty_dict_is_a_cut_table_not_an_empty_one(tmp_path: Path) -> None:
    """NAPALM ios returns ``{}`` when ``show arp`` holds a blank line (it stops there)."""
    got = parse_napalm_device(_device(tmp_path, {}), "sw")
    assert got.arp is None
    assert [w.source for w in got.warnings] == ["napalm/get_arp_table.json"]
    assert "list of ARP entries" in got.warnings[0].message


def test_empty_arp_list_is_an_answer(tmp_path: Path) -> None:
    assert parse_napalm_device(_device(tmp_path, []), "sw").arp == []
