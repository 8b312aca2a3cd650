"""The SNMP parser on hand-written captures: value formats, PortLists, vendor quirks."""

from __future__ import annotations

from pathlib import Path

from pysnmp.proto import rfc1902

from xsfabric.switch.model import PortMode
from xsfabric.switch.snmp_collect import format_snmprec, from_pysnmp
from xsfabric.switch.snmp_files import read_capture
from xsfabric.switch.snmp_parse import parse_snmp_device, vlan_memberships
from xsfabric.switch.snmp_values import portlist_bits, vlan_bitmap

SYSTEM = """\
.1.3.6.1.2.1.1.1.0 = STRING: "Generic switch
second line"
.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.99999.1
.1.3.6.1.2.1.1.5.0 = STRING: "sw9"
"""


def _interfaces(count: int) -> str:
    lines = []
    for i in range(1, count + 1):
        lines += [
            f'.1.3.6.1.2.1.2.2.1.2.{i} = STRING: "GigabitEthernet0/{i}"',
            f".1.3.6.1.2.1.2.2.1.7.{i} = INTEGER: up(1)",
            f".1.3.6.1.2.1.2.2.1.8.{i} = INTEGER: {1 if i % 2 else 2}",
            f".1.3.6.1.2.1.17.1.4.1.2.{i} = INTEGER: {i}",
        ]
    return "\n".join(lines) + "\n"


def _device(tmp_path: Path, text: str, name: str = "snmpwalk.txt") -> Path:
    folder = tmp_path / "sw9"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_portlist_first_bit_is_bridge_port_one() -> None:
    assert portlist_bits(bytes([0x80])) == {1}
    assert portlist_bits(bytes([0x01, 0x80])) == {8, 9}
    assert portlist_bits(b"") == set()
    assert vlan_bitmap(bytes([0x40]), 0) == {1}  # Cisco: bit 0 is VLAN 0
    assert vlan_bitmap(bytes([0x80]), 1024) == {1024}


def test_qbridge_modes_from_multiline_hex_portlists(tmp_path: Path) -> None:
    egress_10 = "Hex-STRING: C0 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \n00 00 "
    text = (
        SYSTEM
        + _interfaces(17)
        + f"""\
.1.3.6.1.2.1.17.7.1.4.3.1.1.10 = STRING: "servers"
.1.3.6.1.2.1.17.7.1.4.3.1.2.10 = {egress_10}
.1.3.6.1.2.1.17.7.1.4.3.1.4.10 = Hex-STRING: 80
.1.3.6.1.2.1.17.7.1.4.3.1.1.20 = STRING: "storage"
.1.3.6.1.2.1.17.7.1.4.3.1.2.20 = Hex-STRING: 40 00
.1.3.6.1.2.1.17.7.1.4.3.1.4.20 = ""
.1.3.6.1.2.1.17.7.1.4.5.1.1.1 = Gauge32: 10
.1.3.6.1.2.1.17.7.1.4.5.1.1.2 = Gauge32: 10
"""
    )
    got = parse_snmp_device(_device(tmp_path, text), "sw9")
    assert got.warnings == []
    ports = {p.name: p for p in got.ports or []}
    assert ports["GigabitEthernet0/1"].mode is PortMode.ACCESS
    assert ports["GigabitEthernet0/1"].access_vlan == 10
    trunk = ports["GigabitEthernet0/2"]
    assert (trunk.mode, trunk.native_vlan, trunk.allowed_vlans) == (PortMode.TRUNK, None, (10, 20))
    assert ports["GigabitEthernet0/16"].mode is PortMode.TRUNK  # bit 128 → port 16
    assert ports["GigabitEthernet0/1"].admin_up is True  # "up(1)" with MIBs loaded
    assert ports["GigabitEthernet0/2"].oper_up is False
    assert [(v.vlan_id, v.name) for v in got.vlans or []] == [(10, "servers"), (20, "storage")]
    assert got.facts is not None and got.facts.hostname == "sw9"


def test_garbage_portlist_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    text = (
        SYSTEM
        + _interfaces(2)
        + """\
.1.3.6.1.2.1.17.7.1.4.3.1.2.10 = STRING: "ports 1,2 and more"
.1.3.6.1.2.1.17.7.1.4.3.1.4.10 = ""
.1.3.6.1.2.1.17.7.1.4.3.1.2.20 = Hex-STRING: 80
.1.3.6.1.2.1.17.7.1.4.3.1.4.20 = Hex-STRING: 80
"""
    )
    folder = _device(tmp_path, text)
    got = parse_snmp_device(folder, "sw9")
    [warning] = got.warnings
    assert (warning.device, warning.source) == ("sw9", "snmpwalk.txt")
    assert (
        warning.line
        == text.splitlines().index('.1.3.6.1.2.1.17.7.1.4.3.1.2.10 = STRING: "ports 1,2 and more"')
        + 1
    )
    assert "PortList" in warning.message
    assert vlan_memberships(folder, "sw9") == {(20, 1, True)}  # VLAN 10 left out, 20 kept


def test_juniper_comma_portlists_and_l2ald_fdb_ids(tmp_path: Path) -> None:
    text = """\
1.3.6.1.2.1.1.1.0|4|Juniper Networks, Inc. ex4300-48t Ethernet Switch, JUNOS 21.4R3
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.132
1.3.6.1.2.1.1.5.0|4|ex1
1.3.6.1.2.1.2.2.1.2.513|4|ge-0/0/0
1.3.6.1.2.1.2.2.1.2.514|4|ge-0/0/1
1.3.6.1.2.1.17.1.4.1.2.4097|2|513
1.3.6.1.2.1.17.1.4.1.2.4098|2|514
1.3.6.1.2.1.17.7.1.2.2.1.2.196608.0.22.62.1.2.3|2|4098
1.3.6.1.2.1.17.7.1.2.2.1.2.196608.0.27.33.10.186.60|2|0
1.3.6.1.2.1.17.7.1.4.3.1.2.100|4|4097,4098
1.3.6.1.2.1.17.7.1.4.3.1.4.100|4|4097
1.3.6.1.2.1.17.7.1.4.5.1.1.4097|66|100
1.3.6.1.4.1.2636.3.48.1.3.1.1.2.3|4|users
1.3.6.1.4.1.2636.3.48.1.3.1.1.3.3|2|100
"""
    got = parse_snmp_device(_device(tmp_path, text, "snmp.snmprec"), "ex1")
    assert got.warnings == []
    assert [(e.mac, e.vlan, e.port) for e in got.fdb or []] == [
        ("00:16:3e:01:02:03", 100, "ge-0/0/1")
    ]  # port 0 (the switch itself) left out
    ports = {p.name: p for p in got.ports or []}
    assert (ports["ge-0/0/0"].mode, ports["ge-0/0/0"].access_vlan) == (PortMode.ACCESS, 100)
    assert ports["ge-0/0/1"].mode is PortMode.TRUNK
    assert [(v.vlan_id, v.name) for v in got.vlans or []] == [(100, "users")]
    assert got.facts is not None and got.facts.os_version == "21.4R3"


def test_lldp_local_port_numbers_map_through_the_local_port_table(tmp_path: Path) -> None:
    text = (
        SYSTEM
        + _interfaces(3)
        + """\
.1.3.6.1.2.1.31.1.1.1.1.3 = STRING: "Gi0/3"
.1.0.8802.1.1.2.1.3.7.1.2.7 = INTEGER: 5
.1.0.8802.1.1.2.1.3.7.1.3.7 = STRING: "Gi0/3"
.1.0.8802.1.1.2.1.4.1.1.4.0.7.1 = INTEGER: 4
.1.0.8802.1.1.2.1.4.1.1.5.0.7.1 = Hex-STRING: 00 1C 73 AA 00 01
.1.0.8802.1.1.2.1.4.1.1.6.0.7.1 = INTEGER: 3
.1.0.8802.1.1.2.1.4.1.1.7.0.7.1 = STRING: 0:1b:21:a:ba:30
.1.0.8802.1.1.2.1.4.1.1.9.0.7.1 = STRING: "xs-host1"
.1.0.8802.1.1.2.1.4.1.1.12.0.7.1 = Hex-STRING: 28 00
.1.0.8802.1.1.2.1.4.2.1.3.0.7.1.1.4.192.0.2.9 = INTEGER: 2
"""
    )
    got = parse_snmp_device(_device(tmp_path, text), "sw9")
    [neighbour] = got.lldp or []
    assert neighbour.local_port == "GigabitEthernet0/3"  # local port 7 is no ifIndex here
    assert (neighbour.chassis_id, neighbour.chassis_id_subtype) == ("00:1c:73:aa:00:01", "mac")
    assert (neighbour.port_id, neighbour.port_id_subtype) == ("00:1b:21:0a:ba:30", "mac")
    assert neighbour.capabilities == ("bridge", "router")
    assert neighbour.management_address == "192.0.2.9"
    assert got.facts is not None and got.facts.vendor is None


def test_collector_format_reads_back(tmp_path: Path) -> None:
    """What the collector writes (snmpsim .snmprec records) reads back to the same values,
    types and octets; text that cannot be one record line is hex, after redaction."""
    rows = [
        ("1.3.6.1.2.1.1.1.0", rfc1902.OctetString(b'say "hi" \\ there\r\nline 2 s3cret')),
        ("1.3.6.1.2.1.1.2.0", rfc1902.ObjectName("1.3.6.1.4.1.9.1.1")),
        ("1.3.6.1.2.1.1.3.0", rfc1902.TimeTicks(8640001)),
        ("1.3.6.1.2.1.2.2.1.6.1", rfc1902.OctetString(bytes(range(40)))),
        ("1.3.6.1.2.1.31.1.1.1.15.1", rfc1902.Gauge32(1000)),
        ("1.3.6.1.2.1.4.20.1.1.10.0.0.1", rfc1902.IpAddress("10.0.0.1")),
        ("1.3.6.1.2.1.1.4.0", rfc1902.OctetString(b"")),
        ("1.3.6.1.2.1.2.2.1.2.1", rfc1902.OctetString(b"a|b")),
        ("1.3.6.1.2.1.1.5.0", rfc1902.OctetString(b"last")),  # before the final newline
    ]
    text = format_snmprec(
        [from_pysnmp(oid, value) for oid, value in rows],
        redact=lambda t: t.replace("s3cret", "<redacted>"),
    )
    assert "1.3.6.1.2.1.1.3.0|67|8640001\n" in text
    assert "1.3.6.1.2.1.1.5.0|4|last\n" in text
    assert "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n" in text
    path = tmp_path / "snmpwalk.snmprec"
    path.write_text(text)
    walk = read_capture(path)
    assert walk.errors == []
    values = {".".join(map(str, k)): v for k, v in walk.values.items()}
    assert values["1.3.6.1.2.1.1.1.0"].octets == b'say "hi" \\ there\r\nline 2 <redacted>'
    assert values["1.3.6.1.2.1.2.2.1.6.1"].octets == bytes(range(40))  # binary: not redacted
    assert values["1.3.6.1.2.1.1.2.0"].text == "1.3.6.1.4.1.9.1.1"
    assert values["1.3.6.1.2.1.31.1.1.1.15.1"].integer == 1000
    assert values["1.3.6.1.2.1.1.3.0"].integer == 8640001
    assert values["1.3.6.1.2.1.4.20.1.1.10.0.0.1"].text == "10.0.0.1"
    assert values["1.3.6.1.2.1.1.4.0"].octets == b""
    assert values["1.3.6.1.2.1.2.2.1.2.1"].octets == b"a|b"
    assert values["1.3.6.1.2.1.1.5.0"].octets == b"last"
    assert [v.kind for v in values.values()] == [
        "STRING",
        "OID",
        "Timeticks",
        "STRING",
        "Gauge32",
        "IpAddress",
        "STRING",
        "STRING",
        "STRING",
    ]


def test_unreadable_lines_are_warnings_not_tracebacks(tmp_path: Path) -> None:
    text = "this is not a walk\n" + SYSTEM + ".1.3.6.1.2.1.2.2.1.7.1 = INTEGER: banana\n"
    got = parse_snmp_device(_device(tmp_path, text), "sw9")
    assert [(w.line, w.source) for w in got.warnings] == [(1, "snmpwalk.txt"), (6, "snmpwalk.txt")]


def test_no_capture_means_nothing_available(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    got = parse_snmp_device(tmp_path / "empty", "sw9")
    assert (got.ports, got.fdb, got.lldp, got.vlans) == (None, None, None, None)
    assert len(got.warnings) == 1


def test_walk_without_on_is_read_or_named(tmp_path: Path) -> None:
    """``snmpwalk`` without ``-On`` prints ``iso.3.6…`` (no MIBs) or MIB names (with MIBs):
    the first is read as the numeric OID, the second is reported, never merged into the
    previous value."""
    from xsfabric.switch.snmp_files import read_capture

    walk_file = tmp_path / "snmpwalk.txt"
    walk_file.write_text(
        'iso.3.6.1.2.1.1.5.0 = STRING: "sw1"\n'
        'SNMPv2-SMI::mib-2.31.1.1.1.1.1 = STRING: "Gi1/0/1"\n'
        "IF-MIB::ifAlias.1 = STRING: uplink\n"
        '.1.3.6.1.2.1.2.2.1.2.1 = STRING: "GigabitEthernet1/0/1"\n'
    )
    walk = read_capture(walk_file)
    assert walk.values[(1, 3, 6, 1, 2, 1, 1, 5, 0)].text == "sw1"
    assert walk.values[(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 1)].text == "Gi1/0/1"
    assert walk.values[(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1)].text == "GigabitEthernet1/0/1"
    assert walk.errors == [
        (3, "OID given as a MIB name; save walks with 'snmpwalk -On' (numeric OIDs)")
    ]


def test_lldp_v2_mib_remote_table(tmp_path: Path) -> None:
    """IEEE 802.1AB-2009 LLDP-V2-MIB: index timeMark.ifIndex.destMacIndex.remIndex, columns
    5 (chassis subtype) to 13 (capabilities enabled), management address in the index."""
    from xsfabric.switch.snmp_parse import parse_snmp_device

    rem = ".1.3.111.2.802.1.1.13.1.4.1.1"
    index = "0.5.1.7"
    device = tmp_path / "v2sw"
    device.mkdir()
    (device / "snmpwalk.txt").write_text(
        "\n".join(
            [
                '.1.3.6.1.2.1.1.5.0 = STRING: "v2sw"',
                '.1.3.6.1.2.1.2.2.1.2.5 = STRING: "GigabitEthernet1/0/5"',
                '.1.3.6.1.2.1.31.1.1.1.1.5 = STRING: "Gi1/0/5"',
                f"{rem}.5.{index} = INTEGER: 4",
                f"{rem}.6.{index} = Hex-STRING: 00 11 22 33 44 55 ",
                f"{rem}.7.{index} = INTEGER: 3",
                f"{rem}.8.{index} = Hex-STRING: 00 16 3E AA BB CC ",
                f'{rem}.9.{index} = STRING: "eth1"',
                f'{rem}.10.{index} = STRING: "xs-prod-01"',
                f"{rem}.13.{index} = Hex-STRING: 20 00 ",
                f".1.3.111.2.802.1.1.13.1.4.2.1.3.{index}.1.4.10.10.0.11 = INTEGER: 2",
                "",
            ]
        )
    )
    facts = parse_snmp_device(device, "v2sw")
    assert facts.lldp is not None
    assert len(facts.lldp) == 1
    neighbour = facts.lldp[0]
    assert neighbour.local_port == "GigabitEthernet1/0/5"
    assert (neighbour.chassis_id, neighbour.chassis_id_subtype) == ("00:11:22:33:44:55", "mac")
    assert (neighbour.port_id, neighbour.port_id_subtype) == ("00:16:3e:aa:bb:cc", "mac")
    assert (neighbour.port_description, neighbour.system_name) == ("eth1", "xs-prod-01")
    assert neighbour.management_address == "10.10.0.11"
    assert neighbour.capabilities == ("bridge",)  # bit 2 of the LLDP capability map
