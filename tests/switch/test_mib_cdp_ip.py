"""CDP and ARP from SNMP walks written by hand in ``snmpwalk -On`` form (OIDs and columns from
CISCO-CDP-MIB and IP-MIB / RFC 4293)."""

from __future__ import annotations

from pathlib import Path

from xsfabric.switch.mib_cdp import cdp_table
from xsfabric.switch.mib_ip import arp_table
from xsfabric.switch.model import ArpEntry
from xsfabric.switch.snmp_files import Walk, read_capture

IF_NAMES = {10101: "GigabitEthernet1/0/1", 6001: "VLAN10"}


def _walk(tmp_path: Path, text: str) -> Walk:
    path = tmp_path / "snmpwalk.txt"
    path.write_text(text)
    return read_capture(path)


def test_ip_net_to_physical_ipv4_ipv6_and_invalid_rows(tmp_path: Path) -> None:
    walk = _walk(
        tmp_path,
        """\
.1.3.6.1.2.1.4.35.1.4.6001.1.4.192.0.2.21 = Hex-STRING: 00 1B 21 0A BA 30
.1.3.6.1.2.1.4.35.1.4.6001.1.4.192.0.2.99 = Hex-STRING: 00 1B 21 0A BA 99
.1.3.6.1.2.1.4.35.1.4.10101.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1 = Hex-STRING: 00 DE FB 00 00 03
.1.3.6.1.2.1.4.35.1.6.6001.1.4.192.0.2.21 = INTEGER: 3
.1.3.6.1.2.1.4.35.1.6.6001.1.4.192.0.2.99 = INTEGER: 2
.1.3.6.1.2.1.4.22.1.2.6001.192.0.2.50 = Hex-STRING: 00 1B 21 0A BA 50
""",
    )
    # invalid(2) is an entry being removed; ipNetToMediaTable is read only without the newer
    assert arp_table(walk, IF_NAMES) == [
        ArpEntry("192.0.2.21", "00:1b:21:0a:ba:30", "Vlan10", 10),
        ArpEntry("2001:db8::1", "00:de:fb:00:00:03", "GigabitEthernet1/0/1", None),
    ]


def test_no_arp_table_is_not_available(tmp_path: Path) -> None:
    walk = _walk(tmp_path, '.1.3.6.1.2.1.1.5.0 = STRING: "sw"\n')
    assert arp_table(walk, IF_NAMES) is None


def test_cdp_running_with_empty_cache_is_no_neighbour(tmp_path: Path) -> None:
    running = _walk(tmp_path, ".1.3.6.1.4.1.9.9.23.1.3.1.0 = INTEGER: 1\n")
    assert cdp_table(running, IF_NAMES, lambda *_: None) == []
    silent = _walk(tmp_path, '.1.3.6.1.2.1.1.5.0 = STRING: "sw"\n')
    assert cdp_table(silent, IF_NAMES, lambda *_: None) is None


def test_cdp_neighbour_on_an_unknown_ifindex_is_a_warning(tmp_path: Path) -> None:
    walk = _walk(
        tmp_path,
        """\
.1.3.6.1.4.1.9.9.23.1.2.1.1.6.10101.1 = STRING: "core1(SSI17320ABC)"
.1.3.6.1.4.1.9.9.23.1.2.1.1.7.10101.1 = STRING: "Ethernet1/1"
.1.3.6.1.4.1.9.9.23.1.2.1.1.6.77.2 = STRING: "ghost"
""",
    )
    warnings: list[tuple[int | None, str]] = []
    got = cdp_table(walk, IF_NAMES, lambda line, text: warnings.append((line, text)))
    assert [(n.local_port, n.system_name, n.port_id, n.protocol) for n in got or []] == [
        ("GigabitEthernet1/0/1", "core1", "Ethernet1/1", "cdp")
    ]
    assert warnings == [(3, "CDP neighbour on ifIndex 77 that matches no interface")]
