"""BRIDGE-MIB and Q-BRIDGE-MIB: the MAC table (dot1dTpFdb, dot1qTpFdb), bridge ports, VLAN
membership from PortLists and the PVID, and VLAN names.

PortLists: the first bit of the first octet is bridge port 1. Juniper ELS writes them as
comma-separated bridge port numbers instead. Anything else is a warning naming device, file and
line, and that VLAN's membership is left out. FDB ids are mapped to VLANs by dot1qVlanFdbId, or
by Juniper's own table (:mod:`~xsfabric.switch.mib_juniper`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xsfabric.switch.mib_if import PortModeInfo
from xsfabric.switch.mib_juniper import juniper_fdb_vlans
from xsfabric.switch.model import FdbEntry, FdbEntryType, PortMode, Vlan
from xsfabric.switch.snmp_files import Oid, Value, Walk
from xsfabric.switch.snmp_values import display_text, mac_from_index, portlist_bits, printable

if TYPE_CHECKING:
    from xsfabric.switch.snmp_device import SnmpDevice


BASE_PORT_IFINDEX = "1.3.6.1.2.1.17.1.4.1.2"
TP_FDB_PORT, TP_FDB_STATUS = "1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.17.4.3.1.3"
Q_FDB_PORT, Q_FDB_STATUS = "1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3"
Q_VLAN_FDB_ID = "1.3.6.1.2.1.17.7.1.4.2.1.3"
Q_CUR_EGRESS, Q_CUR_UNTAGGED = "1.3.6.1.2.1.17.7.1.4.2.1.4", "1.3.6.1.2.1.17.7.1.4.2.1.5"
Q_STATIC_NAME, Q_STATIC_EGRESS, Q_STATIC_UNTAGGED = (
    "1.3.6.1.2.1.17.7.1.4.3.1.1",
    "1.3.6.1.2.1.17.7.1.4.3.1.2",
    "1.3.6.1.2.1.17.7.1.4.3.1.4",
)
Q_PVID = "1.3.6.1.2.1.17.7.1.4.5.1.1"


def bridge_port_table(walk: Walk) -> dict[int, int]:
    """Bridge port → ifIndex (dot1dBasePortIfIndex)."""
    return {
        i[0]: v.integer
        for i, v in walk.column(BASE_PORT_IFINDEX).items()
        if len(i) == 1 and v.integer is not None
    }


@dataclass(slots=True)
class Membership:
    """Q-BRIDGE VLAN membership of one bridge port."""

    tagged: set[int] = field(default_factory=set)
    untagged: set[int] = field(default_factory=set)


def _portlist(dev: SnmpDevice, value: Value, juniper: bool) -> set[int] | None:
    """Bridge ports of a PortList value; None (with a warning) when it is garbage."""
    text = value.text.strip()
    if value.kind not in ("STRING", "Hex-STRING", "BITS"):
        dev.warn(dev.walk.path, value.line, f"PortList is a {value.kind}, not an octet string")
        return None
    is_text = value.kind == "STRING" and printable(value.octets) and value.octets
    if is_text and (juniper or "," in text):
        if re.fullmatch(r"\d+(\s*,\s*\d+)*", text):
            return {int(x) for x in text.split(",")}
        dev.warn(
            dev.walk.path,
            value.line,
            f"PortList {text[:40]!r} is neither a bitmap nor comma-separated bridge ports",
        )
        return None
    if not value.octets and juniper:
        return set()
    return portlist_bits(value.octets)


def qbridge_memberships(dev: SnmpDevice, vendor: str) -> dict[int, Membership]:
    walk = dev.walk
    juniper = vendor == "juniper"
    current_egress = walk.column(Q_CUR_EGRESS)
    if current_egress:
        egress = {i[-1]: v for i, v in current_egress.items()}
        untagged = {i[-1]: v for i, v in walk.column(Q_CUR_UNTAGGED).items()}
    else:
        egress = {i[-1]: v for i, v in walk.column(Q_STATIC_EGRESS).items()}
        untagged = {i[-1]: v for i, v in walk.column(Q_STATIC_UNTAGGED).items()}
    members: dict[int, Membership] = defaultdict(Membership)
    for vlan, value in egress.items():
        ports = _portlist(dev, value, juniper)
        if ports is None:
            continue
        plain_value = untagged.get(vlan)
        plain = _portlist(dev, plain_value, juniper) if plain_value is not None else set()
        if plain is None:
            continue
        for port in ports | plain:
            if port in plain:
                members[port].untagged.add(vlan)
            else:
                members[port].tagged.add(vlan)
    return members


def qbridge_modes(dev: SnmpDevice, vendor: str) -> dict[int, PortModeInfo]:
    """Mode inferred from PortLists: tagged anywhere → trunk (native = PVID if untagged there);
    untagged only → access on the PVID."""
    pvid = {i[0]: v.integer for i, v in dev.walk.column(Q_PVID).items() if len(i) == 1}
    modes: dict[int, PortModeInfo] = {}
    for bridge_port, member in qbridge_memberships(dev, vendor).items():
        if_index = dev.bridge_ports.get(bridge_port)
        if if_index is None:
            continue
        port_pvid = pvid.get(bridge_port)
        if member.tagged:
            native = port_pvid if port_pvid in member.untagged else None
            allowed = tuple(sorted(member.tagged | member.untagged))
            modes[if_index] = (PortMode.TRUNK, None, native, allowed)
        elif member.untagged:
            vlan = port_pvid if port_pvid in member.untagged else min(member.untagged)
            modes[if_index] = (PortMode.ACCESS, vlan, None, None)
    return modes


_FDB_TYPES = {3: FdbEntryType.DYNAMIC, 5: FdbEntryType.STATIC, 1: FdbEntryType.DYNAMIC}


def _fdb_vlans(dev: SnmpDevice) -> dict[int, int]:
    """FDB id → VLAN: dot1qVlanFdbId, then JUNIPER-L2ALD-MIB."""
    mapping: dict[int, int] = {}
    for index, value in dev.walk.column(Q_VLAN_FDB_ID).items():
        if value.integer is not None:
            mapping[value.integer] = index[-1]
    juniper_fdb_vlans(dev.walk, mapping)
    return mapping


def fdb_table(dev: SnmpDevice, vlan_walks: dict[int, Walk]) -> list[FdbEntry] | None:
    walk = dev.walk
    q_ports = walk.column(Q_FDB_PORT)
    entries: dict[tuple[str, int | None], FdbEntry] = {}
    seen_table = bool(q_ports) or bool(walk.column(TP_FDB_PORT)) or bool(vlan_walks)
    if q_ports:
        statuses = walk.column(Q_FDB_STATUS)
        vlans = _fdb_vlans(dev)
        for index, value in q_ports.items():
            if len(index) != 7:
                continue
            entry = _fdb_entry(dev, index[0], index[1:], value, statuses.get(index), None)
            if entry is not None:
                vlan = vlans.get(index[0], index[0] if index[0] <= 4094 else None)
                entry = FdbEntry(entry.mac, vlan, entry.port, entry.entry_type)
                entries[(entry.mac, entry.vlan)] = entry
    elif vlan_walks:
        for vlan, vlan_walk in sorted(vlan_walks.items()):
            table = bridge_port_table(vlan_walk) or dev.bridge_ports
            statuses = vlan_walk.column(TP_FDB_STATUS)
            for index, value in vlan_walk.column(TP_FDB_PORT).items():
                entry = _fdb_entry(dev, vlan, index, value, statuses.get(index), table)
                if entry is not None:
                    entries[(entry.mac, vlan)] = entry
    else:
        statuses = walk.column(TP_FDB_STATUS)
        for index, value in walk.column(TP_FDB_PORT).items():
            entry = _fdb_entry(dev, None, index, value, statuses.get(index), None)
            if entry is not None:
                entries[(entry.mac, None)] = entry
    if not seen_table:
        return [] if walk.column(BASE_PORT_IFINDEX) else None
    return sorted(entries.values(), key=lambda e: (e.vlan or 0, e.mac))


def _fdb_entry(
    dev: SnmpDevice,
    vlan: int | None,
    mac_index: Oid,
    port: Value,
    status: Value | None,
    table: dict[int, int] | None,
) -> FdbEntry | None:
    if len(mac_index) != 6 or port.integer in (None, 0):
        return None
    state = status.integer if status is not None else 3
    if state not in _FDB_TYPES:  # invalid(2), self(4): not a learned station
        return None
    name = dev.port_of_bridge(port.integer or 0, table)
    if name is None:
        return None
    return FdbEntry(mac_from_index(mac_index), vlan, name, _FDB_TYPES[state or 3])


def qbridge_vlans(dev: SnmpDevice) -> list[Vlan] | None:
    """VLANs of dot1qVlanStaticTable / CurrentTable; None when the device has neither."""
    walk = dev.walk
    static = walk.column(Q_STATIC_NAME)
    current = walk.column(Q_CUR_EGRESS) or walk.column(Q_STATIC_EGRESS)
    if not static and not current:
        return None
    ids = {i[-1] for i in static} | {i[-1] for i in current}
    names = {i[-1]: display_text(v) for i, v in static.items()}
    return [Vlan(v, names.get(v, ""), "active") for v in sorted(ids)]
