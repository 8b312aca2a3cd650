"""Canonical lab switches: the truth every collection method must reproduce.

Each lab switch is described once, as the :class:`SwitchFacts` a perfect collector would give.
The renderers (:mod:`xsfabric.lab.render_cli`, :mod:`xsfabric.lab.render_napalm`, and the SNMP
helper's ``render_snmprec``) write that truth in each method's wire format, and the round-trip
suite (``tests/switch/roundtrip.py``) checks that each method parses it back.

The switches are small on purpose (24 access ports, 4 VLANs, about 40 FDB rows, one LAG, three
LLDP neighbours of which one is a XenServer host advertising its NIC MAC as port id), so that
the lab starts in milliseconds and a failed comparison is readable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from xsfabric.names import canonical_interface, short_interface
from xsfabric.switch.model import (
    ArpEntry,
    CollectionMethod,
    DeviceFacts,
    FdbEntry,
    FdbEntryType,
    LldpNeighbor,
    MlagDomain,
    PortMode,
    SwitchFacts,
    SwitchPort,
    Vlan,
)

#: netmiko platform of each lab switch (its ``devices/<name>/platform``).
LAB_PLATFORMS: dict[str, str] = {
    "lab-sw1": "cisco_ios",
    "lab-sw2": "cisco_nxos",
}

#: Lab switches played through NAPALM's mock driver (eAPI and NETCONF have no SSH lab).
MOCK_NAPALM_PLATFORMS: dict[str, str] = {
    "lab-sw3": "arista_eos",
    "lab-sw4": "juniper_junos",
}

#: Every lab switch the SSH lab plays for the CLI method: the two above are reached over SSH
#: too (their CLI), only their NAPALM transports (eAPI, NETCONF) are mocked.
#: :data:`LAB_PLATFORMS` stays the SNMP and NAPALM-over-SSH set.
CLI_LAB_PLATFORMS: dict[str, str] = {**LAB_PLATFORMS, **MOCK_NAPALM_PLATFORMS}

#: Lab switches whose platform has an MLAG / vPC peer link: their LAG is the peer link.
PEER_LINK_SWITCHES = frozenset({"lab-sw2", "lab-sw3"})

#: The XenServer host NIC the lab switches see: host UUID as LLDP chassis id, NIC MAC as port id.
XS_HOST_UUID = "0f7b3a52-6c1e-4b8e-9d7a-2a4c1b9e5f01"
XS_HOST_NICS = {"eth0": "00:1b:21:0a:ba:30", "eth1": "00:1b:21:0a:ba:31"}
VLANS = (
    Vlan(1, "default", "active"),
    Vlan(10, "xen-mgmt", "active"),
    Vlan(20, "xen-storage", "active"),
    Vlan(30, "guests", "active"),
)


def _port(name: str, **kwargs: object) -> SwitchPort:
    canonical = canonical_interface(name)
    return SwitchPort(name=canonical, short_name=short_interface(canonical), **kwargs)  # type: ignore[arg-type]


def _ports(prefix: str, lag: str) -> list[SwitchPort]:
    """24 ports: 2 host access ports, 2 host trunks, 16 guest access, an uplink, 2 LAG members."""
    ports: list[SwitchPort] = []
    lag_name = canonical_interface(lag)
    for n in range(1, 25):
        name = f"{prefix}{n}"
        if n in (1, 2):
            port = _port(
                name,
                admin_up=True,
                oper_up=True,
                speed_mbps=1000,
                description=f"xs-host{n} eth0",
                mode=PortMode.ACCESS,
                access_vlan=10,
            )
        elif n in (3, 4):
            port = _port(
                name,
                admin_up=True,
                oper_up=True,
                speed_mbps=1000,
                description=f"xs-host{n - 2} eth1",
                mode=PortMode.TRUNK,
                native_vlan=1,
                allowed_vlans=(20, 30),
            )
        elif n <= 20:
            admin = n != 20
            oper = n <= 8
            port = _port(
                name,
                admin_up=admin,
                oper_up=oper,
                speed_mbps=1000,
                description=f"guest-{n}" if n % 2 else "",
                mode=PortMode.ACCESS,
                access_vlan=30,
            )
        elif n == 21:
            port = _port(
                name,
                admin_up=False,
                oper_up=False,
                speed_mbps=1000,
                description="unused",
                mode=PortMode.ACCESS,
                access_vlan=1,
            )
        elif n == 22:
            port = _port(
                name,
                admin_up=True,
                oper_up=True,
                speed_mbps=1000,
                description="uplink core1",
                mode=PortMode.TRUNK,
                native_vlan=1,
                allowed_vlans=(1, 10, 20, 30),
            )
        else:
            port = _port(
                name,
                admin_up=True,
                oper_up=True,
                speed_mbps=1000,
                description=f"dist1 member {n - 22}",
                mode=PortMode.TRUNK,
                native_vlan=1,
                allowed_vlans=(10, 20, 30),
                lag=lag_name,
            )
        ports.append(port)
    members = tuple(p.name for p in ports if p.lag)
    ports.append(
        _port(
            lag,
            admin_up=True,
            oper_up=True,
            speed_mbps=2000,
            description="dist1",
            mode=PortMode.TRUNK,
            native_vlan=1,
            allowed_vlans=(10, 20, 30),
            lag_members=members,
            is_peer_link=False,
        )
    )
    return ports


def junos_trunks(ports: list[SwitchPort]) -> list[SwitchPort]:
    """Junos (ELS) carries a trunk's native VLAN as one of its members: a trunk whose native
    VLAN is not allowed has no ``native-vlan-id`` there, so its truth has no native VLAN."""
    return [
        replace(p, native_vlan=None)
        if p.mode is PortMode.TRUNK
        and p.allowed_vlans is not None
        and p.native_vlan not in p.allowed_vlans
        else p
        for p in ports
    ]


def _mac(prefix: int, n: int) -> str:
    return f"00:50:56:{prefix:02x}:{n // 256:02x}:{n % 256:02x}"


def _fdb(ports: list[SwitchPort], seed: int) -> list[FdbEntry]:
    """About 40 rows: host NICs, guest VIFs (Xen OUI), far hosts behind the LAG and uplink."""
    by_n = {i + 1: p.name for i, p in enumerate(ports[:24])}
    lag = ports[24].name
    rows = [
        FdbEntry(XS_HOST_NICS["eth0"], 10, by_n[1]),
        FdbEntry("00:1b:21:0a:bb:30", 10, by_n[2]),
        FdbEntry(XS_HOST_NICS["eth1"], 20, by_n[3]),
        FdbEntry("00:1b:21:0a:bb:31", 20, by_n[4]),
    ]
    rows += [FdbEntry(f"00:16:3e:{seed:02x}:00:{n:02x}", 30, by_n[3 + n % 2]) for n in range(6)]
    rows += [FdbEntry(_mac(seed, n), 30, by_n[5 + n]) for n in range(4)]
    rows += [FdbEntry(_mac(seed + 1, n), (10, 20, 30)[n % 3], lag) for n in range(18)]
    rows += [FdbEntry(_mac(seed + 2, n), (1, 10)[n % 2], by_n[22]) for n in range(6)]
    rows.append(FdbEntry("00:50:56:ff:00:01", 10, by_n[1], FdbEntryType.STATIC))
    return sorted(rows, key=lambda e: (e.vlan or 0, e.mac))


def _lldp(ports: list[SwitchPort], remote_prefix: str) -> list[LldpNeighbor]:
    names = {i + 1: p.name for i, p in enumerate(ports[:24])}
    return [
        LldpNeighbor(
            local_port=names[1],
            chassis_id=XS_HOST_UUID,
            chassis_id_subtype="local",
            port_id=XS_HOST_NICS["eth0"],
            port_id_subtype="mac",
            port_description="eth0",
            system_name="xs-host1",
            capabilities=("station",),
        ),
        LldpNeighbor(
            local_port=names[22],
            chassis_id="00:1c:73:aa:00:01",
            chassis_id_subtype="mac",
            port_id=f"{remote_prefix}1",
            port_id_subtype="interface-name",
            port_description="to access",
            system_name="core1",
            management_address="192.0.2.1",
            capabilities=("bridge", "router"),
        ),
        LldpNeighbor(
            local_port=names[23],
            chassis_id="00:1c:73:bb:00:01",
            chassis_id_subtype="mac",
            port_id=f"{remote_prefix}7",
            port_id_subtype="interface-name",
            port_description="lag member",
            system_name="dist1",
            management_address="192.0.2.2",
            capabilities=("bridge",),
        ),
        LldpNeighbor(
            local_port=names[24],
            chassis_id="00:1c:73:bb:00:01",
            chassis_id_subtype="mac",
            port_id=f"{remote_prefix}8",
            port_id_subtype="interface-name",
            port_description="lag member",
            system_name="dist1",
            management_address="192.0.2.2",
            capabilities=("bridge",),
        ),
    ]


#: Platforms that speak CDP (the others' CDP table is not available).
CDP_PLATFORMS = frozenset({"cisco_ios", "cisco_nxos"})


def _cdp(ports: list[SwitchPort], remote_prefix: str) -> list[LldpNeighbor]:
    """CDP beside LLDP: the core on the uplink (also an LLDP neighbour) and a CDP-only
    neighbour, an access point, on a guest port. Device ids carry a serial, as NX-OS sends."""
    names = {i + 1: p.name for i, p in enumerate(ports[:24])}
    return [
        LldpNeighbor(
            local_port=names[22],
            chassis_id="core1(SSI17320ABC)",
            port_id=f"{remote_prefix}1",
            port_id_subtype="interface-name",
            system_name="core1",
            management_address="192.0.2.1",
            capabilities=("bridge", "router"),
            protocol="cdp",
        ),
        LldpNeighbor(
            local_port=names[7],
            chassis_id="ap-7",
            port_id="GigabitEthernet0",
            port_id_subtype="interface-name",
            system_name="ap-7",
            management_address="192.0.2.77",
            capabilities=("bridge",),
            protocol="cdp",
        ),
    ]


def _arp(junos: bool) -> list[ArpEntry]:
    """The host NICs' and a far host's bindings on the SVIs (Junos: IRB units, whose unit
    number is no VLAN id by definition, so the VLAN is not known there)."""

    def entry(ip: str, mac: str, vlan: int) -> ArpEntry:
        return (
            ArpEntry(ip, mac, f"irb.{vlan}", None)
            if junos
            else ArpEntry(ip, mac, f"Vlan{vlan}", vlan)
        )

    return [
        entry("192.0.2.21", XS_HOST_NICS["eth0"], 10),
        entry("192.0.2.22", "00:1b:21:0a:bb:30", 10),
        entry("198.51.100.21", XS_HOST_NICS["eth1"], 20),
    ]


#: Lab switches with an MLAG / vPC domain: their LAG is the peer link (see
#: :data:`PEER_LINK_SWITCHES`). The lab has no second LAG, so no shared port-channel ids.
MLAG_DOMAINS: dict[str, MlagDomain] = {
    "lab-sw2": MlagDomain(
        domain_id="10",
        peer_address="10.255.255.2",
        peer_link="Port-channel10",
        local_role="primary",
    ),
    "lab-sw3": MlagDomain(
        domain_id="mlag1",
        peer_address="10.255.255.2",
        peer_link="Port-channel1",
        local_role="primary",
    ),
}


def with_peer_link(truth: SwitchFacts) -> SwitchFacts:
    """The same switch with its LAG as the MLAG / vPC peer link: every other port says False,
    since a platform that has peer links tells which port is one."""
    ports = [replace(p, is_peer_link=bool(p.lag_members)) for p in truth.ports or []]
    return replace(truth, ports=ports)


def lab_switch(device: str) -> SwitchFacts:
    """The truth of one lab switch by name (see :data:`CLI_LAB_PLATFORMS`)."""
    truth = _lab_switch(device)
    return with_peer_link(truth) if device in PEER_LINK_SWITCHES else truth


@dataclass(frozen=True, slots=True)
class _LabSwitchSpec:
    """What tells the lab switches apart: their naming, facts and MAC range."""

    method: CollectionMethod
    port_prefix: str
    lag: str
    lldp_prefix: str  # the neighbours' port naming
    facts: DeviceFacts
    mac_base: int


_LAB_SPECS: dict[str, _LabSwitchSpec] = {
    "lab-sw1": _LabSwitchSpec(
        CollectionMethod.CLI,
        "GigabitEthernet1/0/",
        "Port-channel1",
        "Ethernet1/",
        DeviceFacts("lab-sw1", "Cisco", "WS-C2960X-24TD-L", "15.2(7)E4", "FOC2112X0AB"),
        0x10,
    ),
    "lab-sw2": _LabSwitchSpec(
        CollectionMethod.CLI,
        "Ethernet1/",
        "port-channel10",
        "Ethernet1/",
        DeviceFacts("lab-sw2", "Cisco", "C93180YC-EX", "9.3(8)", "FDO22110ABC"),
        0x20,
    ),
    "lab-sw3": _LabSwitchSpec(
        CollectionMethod.NAPALM,
        "Ethernet",
        "Port-Channel1",
        "Ethernet",
        DeviceFacts("lab-sw3", "Arista", "DCS-7050TX-64", "4.28.3M", "JPE21000000"),
        0x30,
    ),
    "lab-sw4": _LabSwitchSpec(
        CollectionMethod.NAPALM,
        "ge-0/0/",
        "ae0",
        "ge-0/0/",
        DeviceFacts("lab-sw4", "Juniper", "EX4300-24T", "21.4R3.15", "PE3721000000"),
        0x40,
    ),
}


def _lab_switch(device: str) -> SwitchFacts:
    spec = _LAB_SPECS.get(device)
    if spec is None:
        raise KeyError(f"no lab switch named {device!r}")
    ports = _ports(spec.port_prefix, spec.lag)
    if device == "lab-sw4":
        ports = junos_trunks(ports)  # Junos cannot express some trunk natives: see there
    platform = CLI_LAB_PLATFORMS[device]
    mlag = MLAG_DOMAINS.get(device)
    return SwitchFacts(
        device=device,
        method=spec.method,
        facts=spec.facts,
        ports=ports,
        fdb=_fdb(ports, spec.mac_base),
        lldp=_lldp(ports, spec.lldp_prefix),
        vlans=list(VLANS),
        cdp=_cdp(ports, spec.lldp_prefix) if platform in CDP_PLATFORMS else None,
        arp=_arp(platform == "juniper_junos"),
        mlag=[mlag] if mlag else None,
    )


def lab_switches() -> list[SwitchFacts]:
    """The SNMP / NAPALM-over-SSH lab switches; platform: ``LAB_PLATFORMS[truth.device]``."""
    return [lab_switch(name) for name in LAB_PLATFORMS]


def cli_lab_switches() -> list[SwitchFacts]:
    """Every lab switch the CLI method reads; platform: ``CLI_LAB_PLATFORMS[truth.device]``."""
    return [lab_switch(name) for name in CLI_LAB_PLATFORMS]


def renamed(truth: SwitchFacts, device: str) -> SwitchFacts:
    """The same switch under another name (benchmarks serve 50 copies of one switch)."""
    facts = replace(truth.facts, hostname=device) if truth.facts else None
    return replace(truth, device=device, facts=facts)
