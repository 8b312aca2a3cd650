"""Real captures: MAC tables and LLDP neighbours from ``../shared/corpus`` (ntc-templates,
LibreNMS), joined with a generated pool whose NIC MACs are taken from them.

Each capture is stored in a device folder the way a user saves it and read by the product's
parsers; the expected port of every MAC is written from the reference's own ``.yml`` / ``.json``
by the small mapping below (MAC text, port as the device prints it), never by xsfabric.
Uplinks (a switch neighbour, many MACs, a switch's static MAC) are never chosen.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsfabric.correlate import Cabling, Placement, Status, correlate_pools
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import pool_model
from xsfabric.model.xen import Pool
from xsfabric.names import canonical_interface
from xsfabric.switch.cli_parse import parse_cli_device
from xsfabric.switch.model import SwitchFacts
from xsfabric.switch.snmp_parse import parse_snmp_device

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
NTC = CORPUS / "ntc-templates"
pytestmark = pytest.mark.skipif(not NTC.is_dir(), reason=f"corpus not found at {CORPUS}")

#: (platform, ntc folder, command the capture is saved as, reference file stem)
MAC_CAPTURES = [
    (
        "arista_eos",
        "show_mac_address-table",
        "show mac address-table",
        "arista_eos_show_mac_address-table",
    ),
    (
        "cisco_nxos",
        "show_mac_address-table",
        "show mac address-table",
        "cisco_nxos_show_mac_address-table",
    ),
    *[
        (
            "cisco_ios",
            "show_mac-address-table",
            "show mac address-table",
            f"cisco_ios_show_mac-address-table{n}",
        )
        for n in ("", "2", "6", "7", "9", "12")
    ],
]
#: Ports that are not interfaces (the switch itself).
NOT_PORTS = ("cpu", "router", "drop", "sup-eth", "vl", "switch")


def mac_text(text: str) -> str:
    """``0012.3694.03ec`` / ``00:12:36:94:03:EC`` → ``00:12:36:94:03:ec`` (test-side mapping);
    "" for what is not a MAC (the Arista capture's multicast table has ``jenn.3057.8423``)."""
    digits = "".join(c for c in text.lower() if c not in ".:-")
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return ""
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def pool_with(macs: list[str]) -> Pool:
    """One host per MAC, its eth0 carrying it."""
    spec = parse_estate(
        {
            "pools": [
                {
                    "name": "real",
                    "hosts": len(macs),
                    "host_name": "hv{i:02}",
                    "nics": 1,
                    "networks": [
                        {
                            "name": "Mgmt",
                            "on": "eth0",
                            "management": True,
                            "ip": {"subnet": "10.0.0.0/16"},
                        }
                    ],
                    "overrides": {
                        i: {"macs": {"eth0": mac}} for i, mac in enumerate(macs, start=1)
                    },
                }
            ]
        }
    )
    return pool_model(spec.pools[0])


def device(tmp: Path, name: str, platform: str, files: dict[str, Path]) -> SwitchFacts:
    folder = tmp / name
    folder.mkdir(parents=True)
    (folder / "platform").write_text(platform + "\n")
    for command, source in files.items():
        shutil.copyfile(source, folder / f"{command}.txt")
    facts = parse_cli_device(folder, name)
    assert facts.warnings == []
    return facts


def by_mac(cabling: Cabling, pool: Pool) -> dict[str, Placement]:
    return {pool.pifs[p.pif_uuid].mac: p for p in cabling.placements}


def _rows(stem_dir: Path, stem: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = yaml.safe_load((stem_dir / f"{stem}.yml").read_text())[
        "parsed_sample"
    ]
    return rows


def _ports(row: dict[str, Any]) -> list[str]:
    value = row.get("destination_port") or row.get("ports") or row.get("logical_interface")
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@pytest.mark.parametrize(
    ("platform", "folder", "command", "stem"), MAC_CAPTURES, ids=[c[3] for c in MAC_CAPTURES]
)
def test_macs_of_real_tables_land_on_the_captured_edge_ports(
    tmp_path: Path, platform: str, folder: str, command: str, stem: str
) -> None:
    rows = _rows(NTC / platform / folder, stem)
    ports_of: dict[str, set[str]] = {}
    for row in rows:
        mac = row.get("destination_address") or row.get("mac_address")
        ports_of.setdefault(mac_text(str(mac)), set()).update(_ports(row))
    macs_per_port = Counter(p for ports in ports_of.values() for p in ports)
    # MACs on exactly one real interface, on a port with few MACs: where the host must land
    # (unicast, not all-zero: a placeholder never places a NIC)
    wanted = {
        mac: next(iter(ports))
        for mac, ports in ports_of.items()
        if mac
        and mac != "00:00:00:00:00:00"
        and int(mac[:2], 16) % 2 == 0
        and len(ports) == 1
        and not next(iter(ports)).lower().startswith(NOT_PORTS)
    }
    assert wanted, stem
    facts = device(tmp_path, "sw", platform, {command: NTC / platform / folder / f"{stem}.raw"})
    pool = pool_with(sorted(wanted))
    cabling = correlate_pools([pool], {"sw": facts})
    placed = by_mac(cabling, pool)
    for mac, port in wanted.items():
        got = placed[mac]
        expected = canonical_interface(port)
        if ("sw", expected) in cabling.uplinks:
            assert got.status == Status.UNPLACED, (mac, got)
            assert got.reason.startswith("MAC learned only on uplinks")
            assert macs_per_port[port] > 1  # an uplink is never a single-MAC edge port
            continue
        assert got.status == Status.PLACED, (mac, got)
        assert got.endpoint is not None and got.endpoint.port == expected, (mac, got)
        assert got.evidence_kinds == ("fdb",)


def test_arista_peer_link_with_static_peer_mac_is_an_uplink(tmp_path: Path) -> None:
    """In the Arista capture, Po1 holds 001c.8220.1319 static in seven VLANs (the MLAG peer's
    MAC) and 001c.822b.033e is learned on Et11 (VLAN 3912) and on Po1 (VLAN 3913)."""
    folder = NTC / "arista_eos" / "show_mac_address-table"
    facts = device(
        tmp_path,
        "leaf",
        "arista_eos",
        {"show mac address-table": folder / "arista_eos_show_mac_address-table.raw"},
    )
    pool = pool_with(
        ["00:1c:82:2b:03:3e", "00:1c:82:29:a0:f3", "00:1c:82:24:36:d7", "00:1c:73:13:a3:de"]
    )
    cabling = correlate_pools([pool], {"leaf": facts})
    placed = by_mac(cabling, pool)
    assert cabling.uplinks[("leaf", canonical_interface("Po1"))].startswith(
        "static MAC 00:1c:82:20:13:19"
    )
    both = placed["00:1c:82:2b:03:3e"]
    assert both.endpoint is not None and both.endpoint.port == "Ethernet11"
    assert placed["00:1c:82:29:a0:f3"].status == Status.UNPLACED  # only behind the peer link
    lag = placed["00:1c:82:24:36:d7"].endpoint
    po2 = canonical_interface("Po2")
    assert lag is not None and (lag.port, lag.lag) == (po2, po2)
    assert placed["00:1c:73:13:a3:de"].endpoint.port == "Ethernet32"  # type: ignore[union-attr]


def test_lldp_neighbours_place_hosts_and_mark_switch_uplinks(tmp_path: Path) -> None:
    """ios LLDP detail: Gi1/0/9 hears a station whose port id is its MAC (4448.c1c4.dddd);
    Gi1/0/2 (B,R) and Gi1/0/1 (HpSwitch, B) lead to switches."""
    folder = NTC / "cisco_ios" / "show_lldp_neighbors_detail"
    facts = device(
        tmp_path,
        "acc",
        "cisco_ios",
        {"show lldp neighbors detail": folder / "cisco_ios_show_lldp_neighbors_detail1.raw"},
    )
    pool = pool_with(["44:48:c1:c4:dd:dd"])
    cabling = correlate_pools([pool], {"acc": facts})
    got = cabling.placements[0]
    assert got.status == Status.PLACED and got.evidence_kinds == ("switch-lldp",)
    assert got.endpoint is not None
    assert got.endpoint.port == canonical_interface("Gi1/0/9")
    assert got.evidence[0].source == "acc LLDP neighbours"
    assert {p for s, p in cabling.uplinks if s == "acc"} == {
        canonical_interface("Gi1/0/1"),
        canonical_interface("Gi1/0/2"),
    }


def test_librenms_fdb_many_macs_port_is_an_uplink(tmp_path: Path) -> None:
    """TP-Link JetStream recording: LibreNMS's fdb-table lists 50 MACs on ifIndex 49170 (port
    18) and one or two on the other ports."""
    source = CORPUS / "snmp" / "librenms" / "jetstream_sg2218p.snmprec"
    folder = tmp_path / "js"
    folder.mkdir()
    shutil.copyfile(source, folder / "snmp.snmprec")
    facts = parse_snmp_device(folder, "js")
    doc = json.loads(source.with_suffix(".json").read_text())
    names = {p["ifIndex"]: p["ifName"] for p in doc["ports"]["discovery"]["ports"]}
    rows = doc["fdb-table"]["discovery"]["ports_fdb"]
    per_port = Counter(r["ifIndex"] for r in rows)
    busy = max(per_port, key=lambda i: per_port[i])
    assert per_port[busy] == 50
    edge = [r for r in rows if per_port[r["ifIndex"]] == 1]
    behind = [r for r in rows if r["ifIndex"] == busy][:3]
    pool = pool_with([mac_text(r["mac_address"]) for r in [*edge, *behind]])
    cabling = correlate_pools([pool], {"js": facts})
    placed = by_mac(cabling, pool)
    for row in edge:
        got = placed[mac_text(row["mac_address"])]
        assert got.status == Status.PLACED
        assert got.endpoint is not None and got.endpoint.port == names[row["ifIndex"]]
    for row in behind:
        got = placed[mac_text(row["mac_address"])]
        assert got.status == Status.UNPLACED
        assert got.reason == (
            f"MAC learned only on uplinks: js {names[busy]} (more than 16 foreign MACs learned)"
        )


def test_arista_lldp_station_beside_switch_neighbours(tmp_path: Path) -> None:
    """EOS LLDP detail: spine2 on Ethernet1-4, Leaf1 on Ethernet9/10, a VMware station
    (aci-compute, port id = its MAC 0050.56ac.4cd9, capabilities 'router, station') on
    Ethernet33 beside a bridge (cvx-client-2)."""
    folder = NTC / "arista_eos" / "show_lldp_neighbors_detail"
    facts = device(
        tmp_path,
        "leaf",
        "arista_eos",
        {"show lldp neighbors detail": folder / "arista_eos_show_lldp_neighbors_detail.raw"},
    )
    pool = pool_with(["00:50:56:ac:4c:d9"])
    cabling = correlate_pools([pool], {"leaf": facts})
    got = cabling.placements[0]
    assert got.status == Status.PLACED and got.evidence_kinds == ("switch-lldp",)
    assert got.endpoint is not None and got.endpoint.port == "Ethernet33"
    uplinks = {p for s, p in cabling.uplinks if s == "leaf"}
    assert {
        "Ethernet1",
        "Ethernet2",
        "Ethernet3",
        "Ethernet4",
        "Ethernet9",
        "Ethernet10",
        "Ethernet23",
        "Ethernet49/1",
        "Ethernet51/1",
        "Ethernet52/1",
    } <= uplinks
    assert cabling.uplinks[("leaf", "Ethernet9")] == "switch neighbour Leaf1.cliqr.com (LLDP)"
