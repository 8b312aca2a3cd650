"""Round trip (see ``roundtrip.py``): the SNMP method (pysnmp walks of snmpsim serving the
lab switches' rendered ``.snmprec`` files) reads back their truth."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from tests.switch.conftest_snmp import SnmpLab, snmp_host
from tests.switch.roundtrip import (
    ARP_FIELDS,
    CDP_FIELDS,
    FACT_FIELDS,
    FDB_FIELDS,
    LLDP_FIELDS,
    PORT_FIELDS,
    VLAN_FIELDS,
    SwitchRoundTrip,
)

from xsfabric.collect import CollectOptions, collect_hosts
from xsfabric.lab.switches import LAB_PLATFORMS, lab_switch
from xsfabric.snapshot import Snapshot, SnapshotWriter
from xsfabric.switch.model import SwitchFacts
from xsfabric.switch.snmp_parse import parse_snmp_device


@pytest.fixture(scope="module")
def snmp_snapshot(snmp_lab: SnmpLab, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """Both lab switches collected over SNMP v2c by the real orchestrator, without a platform:
    the Cisco MIB paths must be chosen from sysObjectID."""
    hosts = [snmp_host(name, snmp_lab.port) for name in LAB_PLATFORMS]
    target: Path = tmp_path_factory.mktemp("snmp-snap") / "lab"
    with SnapshotWriter(target) as writer:
        collect_hosts(hosts, writer, CollectOptions(timeout=30, workers=4))
        writer.commit()
    return Snapshot.open(target)


class TestSnmpRoundTrip(SwitchRoundTrip):
    # SNMP cannot tell an MLAG / vPC peer link; the lab truth names no ifIndex to compare.
    capabilities: ClassVar[dict[str, frozenset[str]]] = {
        "facts": FACT_FIELDS,
        "ports": PORT_FIELDS - {"is_peer_link", "if_index"},
        "fdb": FDB_FIELDS,
        "lldp": LLDP_FIELDS,
        "vlans": VLAN_FIELDS,
        # both lab switches are Cisco: cdpCacheTable; no MLAG / vPC MIB is read
        "cdp": CDP_FIELDS,
        "arp": ARP_FIELDS,
    }

    @pytest.fixture(params=sorted(LAB_PLATFORMS))
    def roundtrip_case(
        self, request: pytest.FixtureRequest, snmp_snapshot: Snapshot
    ) -> tuple[SwitchFacts, SwitchFacts]:
        name = request.param
        device = next(d for d in snmp_snapshot.devices() if d["name"] == name)
        assert device["status"] == "ok", device["error"]
        return lab_switch(name), parse_snmp_device(snmp_snapshot.device_dir(name), name)


def test_snmp_gives_no_peer_link_and_real_if_indexes(snmp_snapshot: Snapshot) -> None:
    got = parse_snmp_device(snmp_snapshot.device_dir("lab-sw1"), "lab-sw1")
    assert got.ports is not None
    assert {p.is_peer_link for p in got.ports} == {None}  # not available, not False
    assert all(p.if_index is not None for p in got.ports)


def test_per_vlan_walks_are_stored_per_vlan(snmp_snapshot: Snapshot) -> None:
    folder = snmp_snapshot.device_dir("lab-sw1")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "snmpwalk.snmprec",
        "snmpwalk@1.snmprec",
        "snmpwalk@10.snmprec",
        "snmpwalk@20.snmprec",
        "snmpwalk@30.snmprec",
    ]
    first = (folder / "snmpwalk.snmprec").read_text().splitlines()[0]
    oid, tag, value = first.split("|", 2)
    assert (oid, tag) == ("1.3.6.1.2.1.1.1.0", "4x")  # sysDescr has line breaks: hex
    assert bytes.fromhex(value).decode().startswith("Cisco IOS Software")
