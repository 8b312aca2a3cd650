"""A lab switch's truth written as snmpsim ``.snmprec`` data that yields the same facts.

The agent is what a Cisco switch (the lab's platforms are ``cisco_ios`` and ``cisco_nxos``)
answers: IF-MIB, ENTITY-MIB chassis, BRIDGE-MIB base ports, CISCO-VTP-MIB VLANs and trunk
tables, CISCO-VLAN-MEMBERSHIP-MIB access VLANs, LLDP-MIB with local port numbers that are *not*
ifIndexes, and per-VLAN BRIDGE-MIB instances in their own files (``<community>@<vlan>.snmprec``,
which snmpsim serves as the ``community@vlan`` community). A lab switch stays well under the
~2,000 OIDs that keep snmpsim's start and walks quick.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from xsfabric.lab.render_join import snmp_join_records
from xsfabric.switch.model import FdbEntryType, PortMode, SwitchFacts, SwitchPort

#: (sysObjectID, sysDescr template) per platform; {version} is the truth's OS version.
PLATFORM_SYSTEM: dict[str, tuple[str, str]] = {
    "cisco_ios": (
        "1.3.6.1.4.1.9.1.1208",
        "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), "
        "Version {version}, RELEASE SOFTWARE (fc1)\r\n"
        "Technical Support: http://www.cisco.com/techsupport",
    ),
    "cisco_nxos": (
        "1.3.6.1.4.1.9.12.3.1.3.1812",
        "Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version {version}, "
        "RELEASE SOFTWARE Copyright (c) 2002-2021 by Cisco Systems, Inc.",
    ),
}
CHASSIS_ENTITY = 1001
LAG_IF_INDEX_BASE = 5000
PHYSICAL_IF_INDEX_BASE = 10100
CAPABILITY_BITS = {
    "other": 0,
    "repeater": 1,
    "bridge": 2,
    "wlan-access-point": 3,
    "router": 4,
    "telephone": 5,
    "docsis-cable-device": 6,
    "station": 7,
}
CHASSIS_SUBTYPES = {
    "chassis-component": 1,
    "interface-alias": 2,
    "port-component": 3,
    "mac": 4,
    "network-address": 5,
    "interface-name": 6,
    "local": 7,
}
PORT_SUBTYPES = {
    "interface-alias": 1,
    "port-component": 2,
    "mac": 3,
    "network-address": 4,
    "interface-name": 5,
    "agent-circuit-id": 6,
    "local": 7,
}

Record = tuple[tuple[int, ...], str, str]  # OID, snmprec type tag, value


def _oid(text: str, *index: int) -> tuple[int, ...]:
    return (*(int(x) for x in text.split(".")), *index)


def _string(oid: tuple[int, ...], value: str | bytes) -> Record:
    data = value.encode() if isinstance(value, str) else value
    if data and all(0x20 <= b < 0x7F for b in data) and b"|" not in data:
        return oid, "4", data.decode()
    return oid, "4x", data.hex()


def _mac_bytes(mac: str) -> bytes:
    return bytes(int(part, 16) for part in mac.split(":"))


def _bitmap(numbers: set[int], offset: int, size: int) -> bytes:
    """Cisco VLAN bitmap / PortList: the first bit of the first octet is number ``offset``."""
    data = bytearray(size)
    for n in numbers:
        bit = n - offset
        if 0 <= bit < size * 8:
            data[bit // 8] |= 0x80 >> (bit % 8)
    return bytes(data)


def _if_indexes(ports: list[SwitchPort]) -> dict[str, int]:
    indexes: dict[str, int] = {}
    lags = physical = 0
    for port in ports:
        if port.lag_members:
            lags += 1
            indexes[port.name] = LAG_IF_INDEX_BASE + lags
        else:
            physical += 1
            indexes[port.name] = PHYSICAL_IF_INDEX_BASE + physical
    return indexes


def render_snmprec(truth: SwitchFacts, platform: str | None) -> dict[int | None, str]:
    """The agent's data files: ``None`` → the base file, a VLAN id → that VLAN's bridge file."""
    ports = truth.ports or []
    if_index = _if_indexes(ports)
    bridge_port = {name: n for n, name in enumerate(if_index, start=1)}
    records: list[Record] = []
    records += _system(truth, platform or "cisco_ios")
    records += _interfaces(ports, if_index)
    records += [
        (_oid("1.3.6.1.2.1.17.1.4.1.2", bridge_port[p.name]), "2", str(if_index[p.name]))
        for p in ports
    ]
    records += _cisco_vlans(truth, if_index)
    records += _lldp(truth, bridge_port)
    records += snmp_join_records(truth, if_index, platform)  # CDP, ARP and its SVIs
    files: dict[int | None, str] = {None: _format(records)}
    for vlan in truth.vlans or []:
        files[vlan.vlan_id] = _format(_vlan_bridge(truth, vlan.vlan_id, bridge_port, if_index))
    return files


def _system(truth: SwitchFacts, platform: str) -> list[Record]:
    object_id, descr = PLATFORM_SYSTEM.get(platform, PLATFORM_SYSTEM["cisco_ios"])
    facts = truth.facts
    version = facts.os_version if facts and facts.os_version else "unknown"
    records: list[Record] = [
        _string(_oid("1.3.6.1.2.1.1.1.0"), descr.format(version=version)),
        (_oid("1.3.6.1.2.1.1.2.0"), "6", object_id),
        (_oid("1.3.6.1.2.1.1.3.0"), "67", "123456789"),
        _string(_oid("1.3.6.1.2.1.1.5.0"), facts.hostname if facts else truth.device),
    ]
    if facts is not None:
        entity = "1.3.6.1.2.1.47.1.1.1.1"
        records += [
            (_oid(f"{entity}.5", CHASSIS_ENTITY), "2", "3"),  # chassis
            _string(_oid(f"{entity}.10", CHASSIS_ENTITY), facts.os_version or ""),
            _string(_oid(f"{entity}.11", CHASSIS_ENTITY), facts.serial or ""),
            _string(_oid(f"{entity}.13", CHASSIS_ENTITY), facts.model or ""),
        ]
    return records


def _interfaces(ports: list[SwitchPort], if_index: dict[str, int]) -> list[Record]:
    records: list[Record] = []
    for n, port in enumerate(ports, start=1):
        i = if_index[port.name]
        mac = bytes([0x00, 0x1C, 0x58, 0x10, n // 256, n % 256])
        records += [
            _string(_oid("1.3.6.1.2.1.2.2.1.2", i), port.name),
            (_oid("1.3.6.1.2.1.2.2.1.3", i), "2", "161" if port.lag_members else "6"),
            _string(_oid("1.3.6.1.2.1.2.2.1.6", i), mac),
            (_oid("1.3.6.1.2.1.2.2.1.7", i), "2", "1" if port.admin_up else "2"),
            (_oid("1.3.6.1.2.1.2.2.1.8", i), "2", "1" if port.oper_up else "2"),
            _string(_oid("1.3.6.1.2.1.31.1.1.1.1", i), port.short_name),
            (_oid("1.3.6.1.2.1.31.1.1.1.15", i), "66", str(port.speed_mbps or 0)),
            _string(_oid("1.3.6.1.2.1.31.1.1.1.18", i), port.description),
        ]
        records += [
            (_oid("1.3.6.1.2.1.31.1.2.1.3", i, if_index[member]), "2", "1")
            for member in port.lag_members
        ]
    return records


def _cisco_vlans(truth: SwitchFacts, if_index: dict[str, int]) -> list[Record]:
    vtp, trunk = "1.3.6.1.4.1.9.9.46.1.3.1.1", "1.3.6.1.4.1.9.9.46.1.6.1.1"
    records: list[Record] = []
    for vlan in truth.vlans or []:
        state = "2" if vlan.state == "suspend" else "1"
        records.append((_oid(f"{vtp}.2", 1, vlan.vlan_id), "2", state))
        records.append(_string(_oid(f"{vtp}.4", 1, vlan.vlan_id), vlan.name))
    for port in truth.ports or []:
        i = if_index[port.name]
        trunking = port.mode is PortMode.TRUNK
        allowed = set(port.allowed_vlans or ())
        records += [
            _string(_oid(f"{trunk}.4", i), _bitmap(allowed, 0, 128)),
            (_oid(f"{trunk}.5", i), "2", str(port.native_vlan or 1)),
            (_oid(f"{trunk}.14", i), "2", "1" if trunking else "2"),
            _string(_oid(f"{trunk}.17", i), _bitmap(allowed, 1024, 128)),
            _string(_oid(f"{trunk}.18", i), _bitmap(allowed, 2048, 128)),
            _string(_oid(f"{trunk}.19", i), _bitmap(allowed, 3072, 128)),
        ]
        if port.mode is PortMode.ACCESS and port.access_vlan is not None:
            records.append((_oid("1.3.6.1.4.1.9.9.68.1.2.2.1.2", i), "2", str(port.access_vlan)))
    return records


def _lldp(truth: SwitchFacts, bridge_port: dict[str, int]) -> list[Record]:
    """Local port numbers are bridge port numbers, as on many switches, not ifIndexes."""
    loc, rem, man = ("1.0.8802.1.1.2.1.3.7.1", "1.0.8802.1.1.2.1.4.1.1", "1.0.8802.1.1.2.1.4.2.1.3")
    short = {p.name: p.short_name for p in truth.ports or []}
    records: list[Record] = []
    for name, number in bridge_port.items():
        records += [
            (_oid(f"{loc}.2", number), "2", "5"),  # interfaceName
            _string(_oid(f"{loc}.3", number), short[name]),
        ]
    counters: dict[int, int] = {}
    for neighbour in truth.lldp or []:
        number = bridge_port[neighbour.local_port]
        counters[number] = counters.get(number, 0) + 1
        key = (0, number, counters[number])
        chassis_sub = CHASSIS_SUBTYPES.get(neighbour.chassis_id_subtype or "local", 7)
        port_sub = PORT_SUBTYPES.get(neighbour.port_id_subtype or "local", 7)
        chassis = (
            _mac_bytes(neighbour.chassis_id) if chassis_sub == 4 else neighbour.chassis_id.encode()
        )
        port_id = _mac_bytes(neighbour.port_id) if port_sub == 3 else neighbour.port_id.encode()
        caps = _bitmap({CAPABILITY_BITS[c] for c in neighbour.capabilities}, 0, 2)
        records += [
            (_oid(f"{rem}.4", *key), "2", str(chassis_sub)),
            _string(_oid(f"{rem}.5", *key), chassis),
            (_oid(f"{rem}.6", *key), "2", str(port_sub)),
            _string(_oid(f"{rem}.7", *key), port_id),
            _string(_oid(f"{rem}.8", *key), neighbour.port_description),
            _string(_oid(f"{rem}.9", *key), neighbour.system_name),
            _string(_oid(f"{rem}.12", *key), caps),
        ]
        if neighbour.management_address:
            address = ipaddress.ip_address(neighbour.management_address)
            family = 1 if address.version == 4 else 2
            packed = address.packed
            records.append((_oid(man, *key, family, len(packed), *packed), "2", "2"))
    return records


def _vlan_bridge(
    truth: SwitchFacts, vlan: int, bridge_port: dict[str, int], if_index: dict[str, int]
) -> list[Record]:
    """One Cisco per-VLAN bridge instance: its base ports and its FDB rows."""
    fdb = "1.3.6.1.2.1.17.4.3.1"
    records: list[Record] = [
        (_oid("1.3.6.1.2.1.17.1.4.1.2", n), "2", str(if_index[name]))
        for name, n in bridge_port.items()
    ]
    for entry in truth.fdb or []:
        if entry.vlan != vlan:
            continue
        mac = _mac_bytes(entry.mac)
        status = "5" if entry.entry_type is FdbEntryType.STATIC else "3"
        records += [
            _string(_oid(f"{fdb}.1", *mac), mac),
            (_oid(f"{fdb}.2", *mac), "2", str(bridge_port[entry.port])),
            (_oid(f"{fdb}.3", *mac), "2", status),
        ]
    return records


def _format(records: list[Record]) -> str:
    return "".join(
        f"{'.'.join(map(str, oid))}|{tag}|{value}\n" for oid, tag, value in sorted(records)
    )


def write_snmprec_device(
    folder: Path,
    truth: SwitchFacts,
    platform: str | None,
    community: str | None = None,
    vlan_name: str = "{community}@{vlan}",
) -> list[Path]:
    """Write ``<community>.snmprec`` and one file per VLAN (named by ``vlan_name``: the v2c
    default, or ``vlan-{vlan}`` for a v3 agent's per-VLAN contexts). Returns the paths."""
    community = community or truth.device
    paths = []
    for vlan, text in render_snmprec(truth, platform).items():
        stem = community if vlan is None else vlan_name.format(community=community, vlan=vlan)
        path = folder / f"{stem}.snmprec"
        path.write_text(text)
        paths.append(path)
    return paths
