"""Correlation against hand-written switch tables: the evidence precedence, Netdisco's FDB
filter, LAG / MLAG folding, and every way a NIC ends up contradicted or unplaced.

The pool side is a generated pool (one host, four NICs, an LACP bond on eth2/eth3); the
switch side is written here record by record, so each case states exactly what a switch shows.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from xsfabric.correlate import Status, correlate_pools
from xsfabric.correlate.model import Cabling, Placement
from xsfabric.lab.estate import parse_estate
from xsfabric.lab.xapi_dump_gen import pool_model
from xsfabric.model.xen import Pif, Pool
from xsfabric.switch.model import (
    ArpEntry,
    CollectionMethod,
    FdbEntry,
    LldpNeighbor,
    MlagDomain,
    PortMode,
    SwitchFacts,
    SwitchPort,
)

GUEST = "00:16:3e:00:00:01"


@pytest.fixture(scope="module")
def pool() -> Pool:
    spec = parse_estate(
        {
            "pools": [
                {
                    "name": "p",
                    "hosts": 1,
                    "host_name": "hv1",
                    "nics": 4,
                    "bonds": [{"members": ["eth2", "eth3"], "mode": "lacp"}],
                    "networks": [
                        {
                            "name": "Mgmt",
                            "on": "eth0",
                            "management": True,
                            "ip": {"subnet": "10.0.0.0/24"},
                        },
                        {"name": "Guests", "on": "bond0", "vlan": 30},
                    ],
                    "vms": [{"name": "vm", "vifs": [{"network": "Guests", "mac": GUEST}]}],
                    "overrides": {1: {"no_carrier": ["eth1"]}},
                }
            ]
        }
    )
    return pool_model(spec.pools[0])


def nic(pool: Pool, device: str) -> Pif:
    return next(p for p in pool.pifs.values() if p.device == device and p.physical)


def port(name: str, **kw: object) -> SwitchPort:
    return SwitchPort(
        name=name,
        short_name=name,
        mode=PortMode.TRUNK,
        native_vlan=1,
        allowed_vlans=(1, 30),
        **kw,  # type: ignore[arg-type]
    )


def switch(
    name: str,
    ports: Iterable[SwitchPort] = (),
    fdb: Iterable[FdbEntry] = (),
    lldp: Iterable[LldpNeighbor] = (),
    **kw: object,
) -> SwitchFacts:
    return SwitchFacts(
        device=name,
        method=CollectionMethod.CLI,
        ports=list(ports),
        fdb=list(fdb),
        lldp=list(lldp),
        **kw,  # type: ignore[arg-type]
    )


def switch_neighbour(local: str, name: str, mac: str = "00:1c:73:00:00:99") -> LldpNeighbor:
    return LldpNeighbor(
        local_port=local,
        chassis_id=mac,
        chassis_id_subtype="mac",
        port_id="Ethernet49",
        system_name=name,
        capabilities=("bridge",),
    )


def run(pool: Pool, *switches: SwitchFacts, failed: dict[str, str] | None = None) -> Cabling:
    return correlate_pools([pool], {s.device: s for s in switches}, None, failed)


def placed(cabling: Cabling, pool: Pool, device: str) -> Placement:
    found = cabling.placement(nic(pool, device).uuid)
    assert found is not None
    return found


def test_fdb_places_on_the_edge_port_never_on_an_uplink(pool: Pool) -> None:
    mac = nic(pool, "eth0").mac
    access = switch(
        "acc1",
        [port("Ethernet1"), port("Ethernet49")],
        [FdbEntry(mac, 10, "Ethernet1"), FdbEntry(mac, 10, "Ethernet49")],
        [switch_neighbour("Ethernet49", "core1")],
    )
    # the core learns the MAC on its downlink to acc1 (no LLDP there, but acc1's MAC is
    # learned on the same port: another switch's MAC)
    core = switch(
        "core1",
        [port("Ethernet7")],
        [
            FdbEntry(mac, 10, "Ethernet7"),
            FdbEntry("00:1c:73:00:00:99", 1, "Ethernet7"),
            FdbEntry("00:1c:73:00:00:99", 1, "Ethernet8"),
        ],
    )
    core.lldp = [switch_neighbour("Ethernet8", "acc1", "00:1c:73:00:00:99")]
    result = run(pool, access, core)
    eth0 = placed(result, pool, "eth0")
    assert eth0.status == Status.PLACED and eth0.confidence == "medium"
    assert eth0.endpoint is not None
    assert (eth0.endpoint.switch, eth0.endpoint.port) == ("acc1", "Ethernet1")
    assert result.uplinks[("acc1", "Ethernet49")] == "switch neighbour core1 (LLDP)"
    assert result.uplinks[("core1", "Ethernet7")].startswith("learns switch MAC")
    assert eth0.port is not None and eth0.port.learned_vlans == (10,)


def test_mac_only_on_uplinks_is_unplaced_with_the_uplinks_named(pool: Pool) -> None:
    mac = nic(pool, "eth0").mac
    many = [
        FdbEntry(f"00:50:56:00:{n // 256:02x}:{n % 256:02x}", 10, "Ethernet48") for n in range(40)
    ]
    sw = switch("acc1", [port("Ethernet48")], [FdbEntry(mac, 10, "Ethernet48"), *many])
    eth0 = placed(run(pool, sw), pool, "eth0")
    assert eth0.status == Status.UNPLACED and eth0.endpoint is None
    assert eth0.reason == (
        "MAC learned only on uplinks: acc1 Ethernet48 (more than 16 foreign MACs learned)"
    )
    assert [e.kind for e in eth0.evidence] == ["fdb"]


def test_host_lldp_beats_the_fdb_and_disagreement_is_contradicted(pool: Pool) -> None:
    eth0 = nic(pool, "eth0")
    eth0.lldp_neighbor = {
        "system_name": "acc1.example.net",
        "port_id": "Eth1/5",
        "port_description": "hv1",
    }
    try:
        agree = switch("acc1", [port("Ethernet1/5")], [FdbEntry(eth0.mac, 10, "Ethernet1/5")])
        got = placed(run(pool, agree), pool, "eth0")
        assert got.status == Status.PLACED and got.confidence == "high"
        assert got.evidence_kinds == ("host-lldp", "fdb")
        assert got.evidence[0].source == "xapi PIF_metrics.lldp_neighbor"
        differ = switch(
            "acc1",
            [port("Ethernet1/5"), port("Ethernet1/6")],
            [FdbEntry(eth0.mac, 10, "Ethernet1/6")],
        )
        got = placed(run(pool, differ), pool, "eth0")
        assert got.status == Status.CONTRADICTED and got.endpoint is None
        assert {c.port for c in got.candidates} == {"Ethernet1/5", "Ethernet1/6"}
        assert got.reason == ("host-lldp names acc1 Ethernet1/5, fdb names acc1 Ethernet1/6")
    finally:
        eth0.lldp_neighbor = {}


def test_mac_on_two_edge_ports_is_contradicted(pool: Pool) -> None:
    mac = nic(pool, "eth0").mac
    a = switch("a", [port("Ethernet1")], [FdbEntry(mac, 10, "Ethernet1")])
    b = switch("b", [port("Ethernet2")], [FdbEntry(mac, 10, "Ethernet2")])
    got = placed(run(pool, a, b), pool, "eth0")
    assert got.status == Status.CONTRADICTED
    assert {(c.switch, c.port) for c in got.candidates} == {("a", "Ethernet1"), ("b", "Ethernet2")}


def test_switch_side_lldp_by_mac_or_by_host_and_nic(pool: Pool) -> None:
    eth0, eth2 = nic(pool, "eth0"), nic(pool, "eth2")
    host = pool.hosts[eth0.host_uuid]
    by_mac = LldpNeighbor(
        local_port="Ethernet3",
        chassis_id=host.uuid,
        port_id=eth0.mac,
        port_id_subtype="mac",
        system_name="hv1",
    )
    by_name = LldpNeighbor(
        local_port="Ethernet4",
        chassis_id="aa:bb:cc:00:00:01",
        port_id="eth2",
        system_name="HV1",
        protocol="cdp",
    )
    got = run(
        pool, switch("acc1", [port("Ethernet3"), port("Ethernet4")], lldp=[by_mac], cdp=[by_name])
    )
    assert placed(got, pool, "eth0").endpoint.port == "Ethernet3"  # type: ignore[union-attr]
    member = placed(got, pool, "eth2")
    assert member.evidence_kinds == ("switch-cdp",) and member.confidence == "high"
    assert member.endpoint is not None and member.endpoint.port == "Ethernet4"
    assert not got.uplinks  # host neighbours never make an uplink, whatever their protocol
    assert eth2.mac != eth0.mac


def test_lacp_bond_on_an_mlag_pair_is_one_endpoint(pool: Pool) -> None:
    eth2, eth3 = nic(pool, "eth2"), nic(pool, "eth3")
    host = pool.hosts[eth2.host_uuid]

    def side(name: str, member: str, nic_: Pif) -> SwitchFacts:
        return switch(
            name,
            [
                port("Port-Channel10", lag_members=(member,)),
                port(member, lag="Port-Channel10"),
                port("Port-Channel99", lag_members=("Ethernet49",), is_peer_link=True),
            ],
            # the bond's MAC (eth2's, the primary) is learned on the port-channel of both
            [FdbEntry(eth2.mac, 30, "Port-Channel10"), FdbEntry(GUEST, 30, "Port-Channel10")],
            [
                LldpNeighbor(
                    local_port=member, chassis_id=host.uuid, port_id=nic_.mac, system_name="hv1"
                )
            ],
            mlag=[
                MlagDomain("dom1", peer_link="Port-Channel99", lag_ids=(("Port-Channel10", 10),))
            ],
        )

    result = run(pool, side("tor1", "Ethernet5", eth2), side("tor2", "Ethernet6", eth3))
    assert result.mlag_pairs == {"tor1": "tor2", "tor2": "tor1"}
    first, second = placed(result, pool, "eth2"), placed(result, pool, "eth3")
    assert first.status == second.status == Status.PLACED
    assert first.endpoint is not None and second.endpoint is not None
    assert (first.endpoint.switch, first.endpoint.port, first.endpoint.lag) == (
        "tor1",
        "Ethernet5",
        "Port-Channel10",
    )
    assert (second.endpoint.mlag_peer, second.endpoint.mlag_id) == ("tor1", 10)
    # the bond MAC on tor2's port-channel is the same MLAG endpoint: no contradiction
    assert first.endpoint.logical == second.endpoint.logical
    bond = result.bonds[0]
    assert bond.switches == ("tor1", "tor2") and bond.endpoint is not None
    assert bond.endpoint.logical == ("mlag", "tor1", "tor2", "10")
    # guest VIF MACs never place a NIC, but say which VLAN the port really carries
    assert [(s.switch, s.port, s.vlan) for s in result.vifs[GUEST]] == [
        ("tor1", "Port-Channel10", 30),
        ("tor2", "Port-Channel10", 30),
    ]
    assert first.port is not None and first.port.guest_vlans == (30,)
    assert ("tor1", "Port-Channel99") in result.uplinks


def test_unplaced_reasons(pool: Pool) -> None:
    eth0, eth1, eth3 = nic(pool, "eth0"), nic(pool, "eth1"), nic(pool, "eth3")
    empty = switch("acc1", [port("Ethernet1")])
    result = run(pool, empty, failed={"acc2": "unreachable: timed out"})
    assert placed(result, pool, "eth0").reason == (
        "no switch in the snapshot sees the MAC; not available: acc1 (MAC table empty (aged "
        "out?)); not collected: acc2"
    )
    no_table = SwitchFacts(device="acc3", method=CollectionMethod.SNMP, ports=[])
    assert placed(run(pool, no_table), pool, "eth0").reason == (
        "no switch in the snapshot sees the MAC; not available: acc3 (MAC table, LLDP)"
    )
    assert placed(result, pool, "eth1").reason == "NIC without carrier (no link)"
    assert placed(result, pool, "eth3").reason.startswith(
        "member of bond0 (lacp): the bond sends with its primary member's MAC"
    )
    # the primary's MAC on a port-channel: the other member is one of its ports
    lag = switch(
        "acc1",
        [
            port("Port-channel7", lag_members=("Ethernet1", "Ethernet2")),
            port("Ethernet1", lag="Port-channel7"),
            port("Ethernet2", lag="Port-channel7"),
        ],
        [FdbEntry(nic(pool, "eth2").mac, 30, "Port-channel7")],
    )
    member = placed(run(pool, lag), pool, "eth3")
    assert member.status == Status.UNPLACED
    assert member.reason.endswith(
        "; the bond is on acc1 Port-channel7, so this NIC is one of its member ports"
    )
    assert run(pool, lag).bonds[0].endpoint is not None
    assert placed(run(pool), pool, "eth0").reason == "no switch in the snapshot"
    eth0.lldp_neighbor = {"system_name": "acc2", "port_id": "Gi1/0/1"}
    try:
        got = placed(run(pool, empty, failed={"acc2": "unreachable"}), pool, "eth0")
        assert got.reason == "switch acc2 not collected (unreachable)"
    finally:
        eth0.lldp_neighbor = {}
    assert eth1.carrier is False and eth3.bond_slave_of


def test_placeholder_and_guest_macs_never_place(pool: Pool) -> None:
    eth0 = nic(pool, "eth0")
    saved = eth0.mac
    try:
        eth0.mac = "00:00:00:00:00:00"
        sw = switch("acc1", [port("Ethernet1")], [FdbEntry("00:00:00:00:00:00", 10, "Ethernet1")])
        assert placed(run(pool, sw), pool, "eth0").reason == (
            "MAC 00:00:00:00:00:00 identifies no NIC"
        )
        eth0.mac = "00:16:3e:12:34:56"  # a nested host: Xen OUI on a physical NIC
        sw = switch("acc1", [port("Ethernet1")], [FdbEntry(eth0.mac, 10, "Ethernet1")])
        got = placed(run(pool, sw), pool, "eth0")
        assert got.status == Status.UNPLACED and "Xen OUI" in got.reason
    finally:
        eth0.mac = saved


def test_arp_with_a_port_is_the_weakest_placement(pool: Pool) -> None:
    mac = nic(pool, "eth0").mac
    sw = switch("r1", [port("Ethernet9")], arp=[ArpEntry("10.0.0.11", mac, "Ethernet9")])
    got = placed(run(pool, sw), pool, "eth0")
    assert got.status == Status.PLACED and got.confidence == "low"
    svi = switch(
        "r1",
        [port("Ethernet9"), port("Vlan10")],  # an SVI in the port table
        arp=[ArpEntry("10.0.0.11", mac, "Vlan10", 10)],
    )
    got = placed(run(pool, svi), pool, "eth0")
    assert got.status == Status.UNPLACED
    assert got.reason == "only in ARP, without a port: r1 Vlan10"


def test_same_port_channel_on_two_switches_is_an_inferred_mlag(pool: Pool) -> None:
    """No MLAG table and no peer-link LLDP: the bond MAC on Po10 of two switches is one MLAG
    endpoint (noted), while Po10 and Po11 stay a contradiction."""
    mac = nic(pool, "eth2").mac

    def sw(name: str, lag: str) -> SwitchFacts:
        return switch(
            name,
            [port(lag, lag_members=("Ethernet5",)), port("Ethernet5", lag=lag)],
            [FdbEntry(mac, 30, lag)],
        )

    got = placed(run(pool, sw("a", "Port-channel10"), sw("b", "Port-channel10")), pool, "eth2")
    assert got.status == Status.PLACED and got.endpoint is not None
    assert (
        got.endpoint.switch,
        got.endpoint.lag,
        got.endpoint.mlag_peer,
        got.endpoint.mlag_id,
    ) == ("a", "Port-channel10", "b", 10)
    assert got.reason == "MLAG pair inferred from the same port-channel on a and b"
    differ = placed(run(pool, sw("a", "Port-channel10"), sw("b", "Port-channel11")), pool, "eth2")
    assert differ.status == Status.CONTRADICTED


def test_fdb_only_active_backup_member_is_low_confidence() -> None:
    spec = parse_estate(
        {
            "pools": [
                {
                    "name": "ab",
                    "hosts": 1,
                    "host_name": "hv1",
                    "nics": 2,
                    "bonds": [{"members": ["eth0", "eth1"], "mode": "active-backup"}],
                    "networks": [
                        {
                            "name": "Mgmt",
                            "on": "bond0",
                            "management": True,
                            "ip": {"subnet": "10.0.0.0/24"},
                        }
                    ],
                }
            ]
        }
    )
    ab = pool_model(spec.pools[0])
    primary = nic(ab, "eth0")
    got = placed(
        run(ab, switch("s", [port("Ethernet1")], [FdbEntry(primary.mac, 1, "Ethernet1")])),
        ab,
        "eth0",
    )
    assert got.status == Status.PLACED and got.confidence == "low"
    assert got.reason.startswith("bond MAC: learned on the active member's port")


def test_host_lldp_port_id_that_is_a_number_uses_the_description(pool: Pool) -> None:
    eth0 = nic(pool, "eth0")
    eth0.lldp_neighbor = {"system_name": "ex1", "port_id": "527", "port_description": "ge-0/0/5"}
    try:
        got = placed(run(pool, switch("ex1", [port("ge-0/0/5")])), pool, "eth0")
        assert got.endpoint is not None and got.endpoint.port == "ge-0/0/5"
    finally:
        eth0.lldp_neighbor = {}


def test_an_idle_nic_is_said_to_send_nothing() -> None:
    spec = parse_estate(
        {
            "pools": [
                {
                    "name": "idle",
                    "hosts": 1,
                    "host_name": "hv1",
                    "nics": 2,
                    "networks": [
                        {
                            "name": "Mgmt",
                            "on": "eth0",
                            "management": True,
                            "ip": {"subnet": "10.0.0.0/24"},
                        }
                    ],
                }
            ]
        }
    )
    idle = pool_model(spec.pools[0])
    other = "00:50:56:00:00:01"
    result = run(idle, switch("s", [port("Ethernet1")], [FdbEntry(other, 1, "Ethernet1")]))
    assert placed(result, idle, "eth1").reason == (
        "no switch in the snapshot sees the MAC (the NIC carries no IP, management or guest "
        "network: the host sends nothing on it to learn)"
    )
    assert placed(result, idle, "eth0").reason == "no switch in the snapshot sees the MAC"
